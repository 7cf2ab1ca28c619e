"""Audit point tiles (GeoJSON per WebMercatorQuad tile) for the public map's audit layer.

The same points as the whole layer (`audits.public_layer_points`: approved walks only, only
in mahalle with at least k approved points, at the displaced point chosen when each point was
stored), served like the report tiles: below POINT_MIN_ZOOM each tile's points are counted in
the cells of the report tiles' grid (CLUSTER_CELLS² per tile, so a tile carries at most 64
features whatever the number of points), the count perturbed by the cell key method from the
points' record keys and drawn as "fewer than k" below k, with the cell's mean composite score
withheld with it; from POINT_MIN_ZOOM each point with its scores.
"""

from __future__ import annotations

import json

from sqlalchemy import func, literal_column, text
from sqlalchemy.orm import Session

from app.models import AuditPoint, Mahalle
from app.services import audits
from app.services.reference import area_for_code, area_k
from app.services.standards import tile_reports
from app.services.standards.tile_geojson import lonlat
from app.services.standards.tile_matrix import TileAddress, tile_address
from app.services.standards.tiles import Tile, etag_of
from app.services.suppression import PTable, small

POINT_MIN_ZOOM = tile_reports.POINT_MIN_ZOOM
MIN_ZOOM = 0
MAX_ZOOM = tile_reports.MAX_ZOOM
LAYER_CLUSTERS = "audit_clusters"
LAYER_POINTS = "audit_points"

# A point belongs to the cell its lon/lat falls in (the spherical Mercator formula, as the
# report tiles' CELLS_SQL), half-open so no point counts in two tiles.
CELLS_SQL = """
WITH env AS (SELECT ST_TileEnvelope(:z, :x, :y) AS e),
pts AS ({points}),
xy AS (
    SELECT floor((pts.lon + 180.0) / 360.0 * :cells)::int - :i0 AS i,
           floor((1.0 - ln(tan(radians(45.0 + pts.lat / 2.0))) / pi()) / 2.0 * :cells)::int
               - :j0 AS j,
           pts.rk, pts.score
    FROM pts
)
SELECT i, j, count(*) AS n, sum(rk) % 256 AS ckey, avg(score) AS score
FROM xy WHERE i BETWEEN 0 AND :last AND j BETWEEN 0 AND :last
GROUP BY i, j ORDER BY i, j
"""

POINTS_SQL = """
WITH env AS (SELECT ST_TileEnvelope(:z, :x, :y) AS e),
pts AS ({points})
SELECT pts.*, ST_X(pts.g) AS mx, ST_Y(pts.g) AS my FROM pts, env
WHERE ST_X(pts.g) >= ST_XMin(env.e) AND ST_X(pts.g) < ST_XMax(env.e)
  AND ST_Y(pts.g) > ST_YMin(env.e) AND ST_Y(pts.g) <= ST_YMax(env.e)
ORDER BY pts.id
"""


def _in_tile(
    session: Session, k_floor: int, municipality: str | None, columns: list, named: bool = False
) -> str:
    """SQL of the public layer's points inside the tile (`env.e`), with `columns` (and the
    mahalle's name joined in when `named`)."""
    envelope = func.ST_Transform(literal_column("(SELECT e FROM env)"), 4326)
    stmt = audits.public_layer_points(
        session, k_floor, municipality, lambda point: point.public_location.op("&&")(envelope)
    )
    if named:
        stmt = stmt.outerjoin(Mahalle, Mahalle.id == AuditPoint.mahalle_id)
    return tile_reports._sql(stmt.with_only_columns(*columns))


def _clusters(
    session: Session, tile: TileAddress, k_floor: int, municipality: str | None, ptable: PTable
) -> list[dict]:
    # One k for the tile, as the report tiles: the strictest of the area's municipalities.
    k = area_k(session, k_floor, area_for_code(session, municipality))
    columns = [
        func.ST_X(AuditPoint.public_location).label("lon"),
        func.ST_Y(AuditPoint.public_location).label("lat"),
        AuditPoint.record_key.label("rk"),
        audits.composite_score().label("score"),
    ]
    points = _in_tile(session, k_floor, municipality, columns)
    cells = tile_reports.CLUSTER_CELLS
    rows = session.execute(
        text(CELLS_SQL.format(points=points)),
        {
            "z": tile.z,
            "x": tile.x,
            "y": tile.y,
            "cells": (1 << tile.z) * cells,
            "i0": tile.x * cells,
            "j0": tile.y * cells,
            "last": cells - 1,
        },
    ).all()
    xmin, _, _, ymax = tile.bounds_3857
    size = tile.size_m / cells
    features = []
    for row in rows:
        published = ptable.protect(row.n, row.ckey, k) or 0
        if not published:
            continue
        few = small(published, k)
        props: dict = {"suppressed": few, "k": k, "count": None, "score": None}
        if not few:
            props |= {"count": published, "score": round(float(row.score), 2)}
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": lonlat(xmin + (row.i + 0.5) * size, ymax - (row.j + 0.5) * size),
                },
                "properties": props,
            }
        )
    return features


def _points(session: Session, tile: TileAddress, k_floor: int, municipality: str | None):
    columns = [
        AuditPoint.id.label("id"),
        func.ST_Transform(AuditPoint.public_location, 3857).label("g"),
        *audits.public_columns(),
    ]
    points = _in_tile(session, k_floor, municipality, columns, named=True)
    rows = session.execute(
        text(POINTS_SQL.format(points=points)), {"z": tile.z, "x": tile.x, "y": tile.y}
    ).all()
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": lonlat(row.mx, row.my)},
            "properties": audits.public_properties(row),
        }
        for row in rows
    ]


def audit_tile(
    session: Session,
    z: int,
    x: int,
    y: int,
    k_floor: int,
    municipality: str | None,
    ptable: PTable,
) -> Tile:
    """One tile of the public audit layer as a GeoJSON FeatureCollection (`layer` names
    which), with its ETag."""
    tile = tile_address(z, x, y, MIN_ZOOM, MAX_ZOOM)
    session.execute(text("SET LOCAL jit = off"))
    if tile.z < POINT_MIN_ZOOM:
        layer, features = LAYER_CLUSTERS, _clusters(session, tile, k_floor, municipality, ptable)
    else:
        layer, features = LAYER_POINTS, _points(session, tile, k_floor, municipality)
    content = json.dumps(
        {"type": "FeatureCollection", "layer": layer, "features": features},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    return Tile(content, etag_of(content), "application/json")
