"""Report tiles as GeoJSON (`f=geojson`): the same protected cells and public points as the
MVT, for the public map, which draws them as Leaflet markers (focusable, with popups) and so
needs neither a protobuf decoder nor a build step in the browser."""

from __future__ import annotations

import math

from sqlalchemy import func, literal_column, text
from sqlalchemy.orm import Session

from app.models import Category, Report
from app.services.reporting import ConfirmationCounts, public_details
from app.services.standards import tile_reports
from app.services.standards.tile_matrix import HALF_WORLD_M, TileAddress
from app.services.standards.tile_reports import TileFilters
from app.services.suppression import PTable

POINTS_SQL = """
WITH env AS (SELECT ST_TileEnvelope(:z, :x, :y) AS e),
pts AS ({points})
SELECT pts.*, ST_X(pts.g) AS mx, ST_Y(pts.g) AS my FROM pts, env
WHERE ST_X(pts.g) >= ST_XMin(env.e) AND ST_X(pts.g) < ST_XMax(env.e)
  AND ST_Y(pts.g) > ST_YMin(env.e) AND ST_Y(pts.g) <= ST_YMax(env.e)
ORDER BY pts.public_id
"""


# Labels are left out: the page has the category list (a tile of hundreds of points would
# repeat them for each).
POPUP_FIELDS = ("text", "photos", "mahalle", "confirmations", "confirmations_suppressed", "demo")


def lonlat(mx: float, my: float) -> list[float]:
    """EPSG:3857 metres to lon/lat, rounded to 6 decimals (0.1 m)."""
    lon = mx / HALF_WORLD_M * 180
    lat = math.degrees(math.atan(math.sinh(my / HALF_WORLD_M * math.pi)))
    return [round(lon, 6), round(lat, 6)]


def cluster_features(
    session: Session,
    tile: TileAddress,
    area: tuple[int, ...] | None,
    filters: TileFilters,
    k: int,
    ptable: PTable,
) -> list[dict]:
    """Each cell's cluster at its centre: its published count, or suppressed below k."""
    xmin, _, _, ymax = tile.bounds_3857
    cell = tile.size_m / tile_reports.CLUSTER_CELLS
    features = []
    for i, j, count in tile_reports.protected_cells(session, tile, area, filters, k, ptable):
        props: dict = {"suppressed": count is None, "k": k}
        if count is not None:
            props["count"] = count
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": lonlat(xmin + (i + 0.5) * cell, ymax - (j + 0.5) * cell),
                },
                "properties": props,
            }
        )
    return features


def point_features(
    session: Session,
    tile: TileAddress,
    area: tuple[int, ...] | None,
    filters: TileFilters,
    counts: ConfirmationCounts,
) -> list[dict]:
    """Each public report of the tile at its displaced point, with what its popup shows
    (its public feature's properties, as GET /api/v1/reports gives them)."""
    points = tile_reports.points_in_tile(
        area,
        filters,
        tile_reports.in_web_mercator(),
        Report.public_id.label("public_id"),
        Category.code.label("category"),
        literal_column('category."group"::text').label("category_group"),
        func.to_char(Report.occurred_on, "YYYY-MM").label("occurred_month"),
        literal_column("report.time_band::text").label("time_band"),
        Report.perceived_safety.label("perceived_safety"),
    )
    rows = session.execute(
        text(POINTS_SQL.format(points=points)), {"z": tile.z, "x": tile.x, "y": tile.y}
    ).mappings()
    found = list(rows)
    # What the popup shows besides: the public text, photos, mahalle, "me too" (as GET
    # /api/v1/reports gives them); the point stays the tile's.
    details = public_details(session, counts, [row["public_id"] for row in found])
    features = []
    for row in found:
        props = {key: value for key, value in row.items() if key not in ("g", "mx", "my")}
        extra = details.get(row["public_id"], {})
        props |= {key: extra[key] for key in POPUP_FIELDS if key in extra}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": lonlat(row["mx"], row["my"])},
                "properties": props,
            }
        )
    return features


def report_tile_geojson(
    session: Session,
    tile: TileAddress,
    area: tuple[int, ...] | None,
    filters: TileFilters,
    k: int,
    ptable: PTable,
    floor: int,
) -> dict:
    """The report tile as a FeatureCollection: clusters below POINT_MIN_ZOOM, points from it
    (`k`: the area's threshold; `floor`: the deployment's, for each point's "me too")."""
    session.execute(text("SET LOCAL jit = off"))
    if tile.z < tile_reports.POINT_MIN_ZOOM:
        layer = tile_reports.LAYER_CLUSTERS
        features = cluster_features(session, tile, area, filters, k, ptable)
    else:
        layer = tile_reports.LAYER_POINTS
        counts = ConfirmationCounts.with_table(session, ptable, floor)
        features = point_features(session, tile, area, filters, counts)
    return {"type": "FeatureCollection", "layer": layer, "features": features}
