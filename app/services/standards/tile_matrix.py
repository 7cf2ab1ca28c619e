"""The WebMercatorQuad tile matrix set (OGC 17-083r4) and the arithmetic of its tiles."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import InvalidInput

TMS_ID = "WebMercatorQuad"
TMS_URI = "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
CRS_URI = "http://www.opengis.net/def/crs/EPSG/0/3857"
HALF_WORLD_M = 20037508.3427892  # half the width of the EPSG:3857 square
MAX_TMS_ZOOM = 24  # the matrices this set describes
EXTENT = 4096  # MVT coordinates per tile side


@dataclass(frozen=True)
class TileAddress:
    """One tile: zoom, column (x) and row (y, from the top)."""

    z: int
    x: int
    y: int

    @property
    def size_m(self) -> float:
        return 2 * HALF_WORLD_M / (1 << self.z)

    @property
    def bounds_3857(self) -> tuple[float, float, float, float]:
        """(xmin, ymin, xmax, ymax) in EPSG:3857, as ST_TileEnvelope computes them."""
        size = self.size_m
        xmin = -HALF_WORLD_M + self.x * size
        ymax = HALF_WORLD_M - self.y * size
        return xmin, ymax - size, xmin + size, ymax


def tile_address(z: int, x: int, y: int, min_zoom: int, max_zoom: int) -> TileAddress:
    """A validated tile address: z within the collection's zoom range, x and y in the matrix."""
    if not min_zoom <= z <= max_zoom:
        raise InvalidInput(
            f"Zoom level {z} is outside this tileset's range {min_zoom}..{max_zoom}.",
            field="tileMatrix",
        )
    last = (1 << z) - 1
    if not 0 <= x <= last:
        raise InvalidInput(f"Tile column {x} is outside 0..{last} at zoom {z}.", field="tileCol")
    if not 0 <= y <= last:
        raise InvalidInput(f"Tile row {y} is outside 0..{last} at zoom {z}.", field="tileRow")
    return TileAddress(z, x, y)


def tile_matrix_set() -> dict:
    """The WebMercatorQuad definition as an OGC TileMatrixSet document (JSON encoding)."""
    matrices = []
    for z in range(MAX_TMS_ZOOM + 1):
        n = 1 << z
        matrices.append(
            {
                "id": str(z),
                "scaleDenominator": 559082264.028717 / n,
                "cellSize": 156543.033928041 / n,
                "cornerOfOrigin": "topLeft",
                "pointOfOrigin": [-HALF_WORLD_M, HALF_WORLD_M],
                "tileWidth": 256,
                "tileHeight": 256,
                "matrixWidth": n,
                "matrixHeight": n,
            }
        )
    return {
        "id": TMS_ID,
        "title": "Google Maps Compatible for the World",
        "uri": TMS_URI,
        "crs": CRS_URI,
        "orderedAxes": ["E", "N"],
        "wellKnownScaleSet": "http://www.opengis.net/def/wkss/OGC/1.0/GoogleMapsCompatible",
        "tileMatrices": matrices,
    }


def tile_matrix_sets(base: str) -> dict:
    """The list at /ogc/tileMatrixSets."""
    return {
        "tileMatrixSets": [
            {
                "id": TMS_ID,
                "title": "Google Maps Compatible for the World",
                "uri": TMS_URI,
                "links": [
                    {
                        "rel": "self",
                        "type": "application/json",
                        "title": "The WebMercatorQuad tile matrix set",
                        "href": f"{base}/ogc/tileMatrixSets/{TMS_ID}",
                    }
                ],
            }
        ]
    }
