"""Vector tiles of the public collections (OGC API – Tiles, WebMercatorQuad, MVT).

The interface other parts use: `collection_tile` (a collection kind, an optional municipality
code, z/x/y and server-side filters -> MVT bytes and an ETag), `tileset_metadata` and
`tilesets` for the documents, and `parse_collection_id` for the agreed collection ids
(`reports`, `indicators`, `hotspots`, and `<kind>.<municipality code>`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.errors import InvalidInput, NotFound
from app.services.reference import area_k, covered_ids, municipality_by_code
from app.services.standards import layer_cache, tile_areas, tile_geojson, tile_reports
from app.services.standards.tile_matrix import CRS_URI, TMS_ID, TMS_URI, TileAddress, tile_address
from app.services.standards.tile_reports import TileFilters
from app.services.suppression import PTable

MVT_MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
CACHE_CONTROL = "public, max-age=60"  # the public layers change when a report is published


class CollectionNotFound(NotFound):
    code = "collection_not_found"


@dataclass(frozen=True)
class Layer:
    id: str
    geometry: str
    min_zoom: int
    max_zoom: int
    fields: dict[str, str]
    description: str


@dataclass(frozen=True)
class Kind:
    title: str
    min_zoom: int
    max_zoom: int
    layers: tuple[Layer, ...]


PUBLIC_POINT_FIELDS = {
    "public_id": "String",
    "category": "String",
    "category_group": "String",
    "occurred_month": "String",
    "time_band": "String",
    "perceived_safety": "Number",
}
KINDS: dict[str, Kind] = {
    "reports": Kind(
        "Published reports (displaced points; sensitive categories never)",
        0,
        tile_reports.MAX_ZOOM,
        (
            Layer(
                tile_reports.LAYER_CLUSTERS,
                "points",
                0,
                tile_reports.POINT_MIN_ZOOM - 1,
                {"count": "Number", "suppressed": "Boolean", "k": "Number"},
                "Reports per grid cell (32 px), perturbed; below k: suppressed, no count",
            ),
            Layer(
                tile_reports.LAYER_POINTS,
                "points",
                tile_reports.POINT_MIN_ZOOM,
                tile_reports.MAX_ZOOM,
                PUBLIC_POINT_FIELDS,
                "Each published non-sensitive report at its displaced point",
            ),
        ),
    ),
    "indicators": Kind(
        "Indicators per mahalle (protected counts)",
        0,
        18,
        (
            Layer(
                tile_areas.LAYER_INDICATORS,
                "polygons",
                0,
                18,
                {
                    "code": "String",
                    "name": "String",
                    "district": "String",
                    "reports": "Number",
                    "reports_suppressed": "Boolean",
                    "sensitive_reports": "Number",
                    "sensitive_reports_suppressed": "Boolean",
                    "reports_per_1000_women": "Number",
                    "suppression_threshold_k": "Number",
                },
                "Published reports per mahalle; counts 1..k-1 withheld (absent)",
            ),
        ),
    ),
    "hotspots": Kind(
        "Hotspot cells (Gi* on 250 m hexagons)",
        0,
        18,
        (
            Layer(
                tile_areas.LAYER_HOTSPOTS,
                "polygons",
                0,
                18,
                {
                    "cell": "String",
                    "reports": "Number",
                    "reports_suppressed": "Boolean",
                    "hotspot_class": "String",
                    "hotspot_z": "Number",
                    "hotspot_p": "Number",
                },
                "Hexagons with their Gi* class; counts below k withheld (absent)",
            ),
        ),
    ),
}


GEOJSON_MEDIA_TYPE = "application/geo+json"
ENCODINGS = ("mvt", "geojson")


@dataclass(frozen=True)
class Tile:
    content: bytes
    etag: str
    media_type: str = MVT_MEDIA_TYPE


def parse_collection_id(session: Session, collection_id: str) -> tuple[str, str | None]:
    """(kind, municipality code or None) of a collection id; unknown ones: 404."""
    kind, _, code = collection_id.partition(".")
    if kind not in KINDS:
        raise CollectionNotFound(
            f"Unknown collection {collection_id!r}: tiles are served for "
            f"{', '.join(KINDS)} and <kind>.<municipality code>."
        )
    if code:
        municipality_by_code(session, code)  # 404 naming the code when unknown
    return kind, code or None


def etag_of(content: bytes) -> str:
    """A strong ETag: the digest of the tile's bytes."""
    return '"' + hashlib.sha256(content).hexdigest()[:32] + '"'


def collection_tile(
    session: Session,
    kind: str,
    municipality: str | None,
    z: int,
    x: int,
    y: int,
    filters: TileFilters,
    k: int,
    ptable: PTable,
    encoding: str = "mvt",
) -> Tile:
    """The MVT of one tile of a collection (`k`: the deployment's threshold); report tiles
    also as GeoJSON (`encoding="geojson"`), for the public map."""
    spec = KINDS.get(kind)
    if spec is None:
        raise CollectionNotFound(f"Unknown collection kind {kind!r}.")
    if encoding not in ENCODINGS or (encoding == "geojson" and kind != "reports"):
        raise InvalidInput(
            f"Unknown tile format {encoding!r}: tiles are Mapbox vector tiles (f=mvt); "
            "report tiles are also served as GeoJSON (f=geojson).",
            field="f",
        )
    tile = tile_address(z, x, y, spec.min_zoom, spec.max_zoom)

    def compute() -> Tile:
        return _computed_tile(session, kind, municipality, tile, filters, k, ptable, encoding)

    # Popups (text, photos, "me too" counts) change without a new data version: report
    # points as GeoJSON are always computed; every other tile is kept per data version.
    if encoding == "geojson" and tile.z >= tile_reports.POINT_MIN_ZOOM:
        return compute()
    key = ("tile", kind, municipality, tile.z, tile.x, tile.y, filters, k, ptable.source, encoding)
    return layer_cache.TILES.get_or_compute(session, key, compute)


def _computed_tile(
    session: Session,
    kind: str,
    municipality: str | None,
    tile: TileAddress,
    filters: TileFilters,
    k: int,
    ptable: PTable,
    encoding: str,
) -> Tile:
    """`collection_tile`, computed."""
    area = None
    if municipality is not None:
        area = covered_ids(session, [municipality_by_code(session, municipality).id])
    if encoding == "geojson":
        collection = tile_geojson.report_tile_geojson(
            session, tile, area, filters, area_k(session, k, area), ptable, k
        )
        content = json.dumps(collection, separators=(",", ":")).encode()
        return Tile(content, etag_of(content), GEOJSON_MEDIA_TYPE)
    if kind == "reports":
        content = tile_reports.report_tile(
            session, tile, area, filters, area_k(session, k, area), ptable
        )
    elif kind == "indicators":
        content = tile_areas.indicator_tile(session, tile, municipality, filters, k, ptable)
    else:
        content = tile_areas.hotspot_tile(
            session, tile, area, municipality, filters, area_k(session, k, area), ptable
        )
    return Tile(content, etag_of(content))


def collection_bounds(session: Session, municipality: str | None) -> list[float]:
    """The lon/lat box of the collection's mahalle (the world when none is imported)."""
    area = None
    if municipality is not None:
        area = list(covered_ids(session, [municipality_by_code(session, municipality).id]))
    row = session.execute(
        text(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) e"
            " FROM mahalle WHERE CAST(:area AS int[]) IS NULL OR municipality_id = ANY(:area)) s"
        ),
        {"area": area},
    ).one()
    if row[0] is None:
        return [-180.0, -85.0511287798066, 180.0, 85.0511287798066]
    return [round(float(v), 6) for v in row]


def _tiles_url(base: str, collection_id: str) -> str:
    return f"{base}/ogc/collections/{collection_id}/tiles/{TMS_ID}"


def tilesets(base: str, collection_id: str) -> dict:
    """The tileset list of a collection (one: vector tiles on WebMercatorQuad)."""
    url = _tiles_url(base, collection_id)
    return {
        "links": [
            {"rel": "self", "type": "application/json", "href": url.rsplit("/", 1)[0]},
        ],
        "tilesets": [
            {
                "title": f"{collection_id} ({TMS_ID})",
                "dataType": "vector",
                "crs": CRS_URI,
                "tileMatrixSetURI": TMS_URI,
                "links": [
                    {"rel": "self", "type": "application/json", "href": url},
                    {
                        "rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
                        "type": "application/json",
                        "href": f"{base}/ogc/tileMatrixSets/{TMS_ID}",
                    },
                ],
            }
        ],
    }


def tileset_metadata(session: Session, base: str, collection_id: str, filters: TileFilters) -> dict:
    """The tileset document (OGC API – Tiles) with TileJSON 3.0 fields for web maps."""
    kind, municipality = parse_collection_id(session, collection_id)
    query = "&".join(f"{key}={v}" for key, values in filters.as_params().items() for v in values)
    return tileset_document(
        base, collection_id, KINDS[kind], collection_bounds(session, municipality), query
    )


def tileset_document(
    base: str, collection_id: str, spec: Kind, bounds: list[float], query: str
) -> dict:
    """The tileset document of `spec`'s layers over `bounds`, its URLs carrying `query`."""
    url = _tiles_url(base, collection_id)
    template = f"{url}/{{tileMatrix}}/{{tileRow}}/{{tileCol}}" + (f"?{query}" if query else "")
    xyz = f"{url}/{{z}}/{{y}}/{{x}}" + (f"?{query}" if query else "")
    return {
        "title": f"{spec.title}: {collection_id}",
        "dataType": "vector",
        "crs": CRS_URI,
        "tileMatrixSetURI": TMS_URI,
        "links": [
            {"rel": "self", "type": "application/json", "href": url},
            {
                "rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
                "type": "application/json",
                "href": f"{base}/ogc/tileMatrixSets/{TMS_ID}",
            },
            {
                "rel": "item",
                "type": MVT_MEDIA_TYPE,
                "title": "Mapbox vector tiles",
                "href": template,
                "templated": True,
            },
        ],
        "tileMatrixSetLimits": [
            {"tileMatrix": str(z), "minTileRow": 0, "maxTileRow": (1 << z) - 1}
            | {"minTileCol": 0, "maxTileCol": (1 << z) - 1}
            for z in range(spec.min_zoom, spec.max_zoom + 1)
        ],
        "layers": [
            {
                "id": layer.id,
                "title": layer.description,
                "dataType": "vector",
                "geometryDimension": 0 if layer.geometry == "points" else 2,
                "minTileMatrix": str(layer.min_zoom),
                "maxTileMatrix": str(layer.max_zoom),
                "propertiesSchema": {
                    "type": "object",
                    "properties": {
                        name: {"type": kind_of.lower()} for name, kind_of in layer.fields.items()
                    },
                },
            }
            for layer in spec.layers
        ],
        # TileJSON 3.0.0, for web maps (note: the URL template is {z}/{y}/{x}, row before
        # column, as OGC API – Tiles orders them).
        "tilejson": "3.0.0",
        "tiles": [xyz],
        "minzoom": spec.min_zoom,
        "maxzoom": spec.max_zoom,
        "bounds": bounds,
        "center": [
            round((bounds[0] + bounds[2]) / 2, 6),
            round((bounds[1] + bounds[3]) / 2, 6),
            12,
        ],
        "vector_layers": [
            {
                "id": layer.id,
                "description": layer.description,
                "minzoom": layer.min_zoom,
                "maxzoom": layer.max_zoom,
                "fields": layer.fields,
            }
            for layer in spec.layers
        ],
    }
