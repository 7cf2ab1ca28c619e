"""Planners' report tiles (`planner-reports`, `planner-reports.<municipality>`): the
dashboard's report layer, drawn from tiles like the public map.

What a planner sees is what the one visibility rule gives her (`visible_reports(viewer,
area)`: published reports in the municipalities her role covers), of the categories that may
be points (non-sensitive, placed on the map), at their displaced points: the public map's
points, limited to her scope and to the dashboard's filters (its period, by default the last
twelve months, category groups, time bands and districts). Below POINT_MIN_ZOOM they are
protected clusters on the same grid as the public tiles (cell key perturbation, "fewer than
k" without a count); from it each report with its popup. Another municipality's staff are
refused (403) and the public must log in (401), as for the planners' collections.

This module keeps its own SQL (the public tiles' queries are tuned and cached for the public
points alone), built on the same grid, layers and properties as `tile_reports`.
"""

from __future__ import annotations

import json

from sqlalchemy import Select, func, literal_column, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from app.errors import InvalidInput, NotAuthenticated, NotPermitted
from app.models import Category, Mahalle, Report, ReportStatus, User
from app.services.reference import area_k, municipality_by_code, staff_area
from app.services.reporting import ConfirmationCounts, public_details
from app.services.scope import PlannerFilters
from app.services.standards import tile_geojson, tile_reports
from app.services.standards.collections import is_planner
from app.services.standards.tile_matrix import EXTENT, TileAddress, tile_address
from app.services.standards.tiles import (
    ENCODINGS,
    GEOJSON_MEDIA_TYPE,
    KINDS,
    Kind,
    Tile,
    collection_bounds,
    etag_of,
    tileset_document,
    tilesets,
)
from app.services.suppression import PTable, small
from app.services.visibility import may_be_public_point, visible_reports

KIND = "planner-reports"
# Tiles drawn for one planner: a shared cache must never keep them, and her browser keeps
# them a minute, as the public tiles.
CACHE_CONTROL = "private, max-age=60"
VARY = "Accept-Encoding, Cookie, Authorization"


# The same layers as the public report tiles, for the planner's area and filters.
PLANNER_KIND = Kind(
    "Planners: published reports of her municipalities (displaced points; sensitive never)",
    KINDS["reports"].min_zoom,
    KINDS["reports"].max_zoom,
    KINDS["reports"].layers,
)


def is_planner_tileset(collection_id: str) -> bool:
    """Whether the id names the planners' report tiles (with or without a municipality)."""
    return collection_id.partition(".")[0] == KIND


def planner_area(
    session: Session, viewer: User | None, collection_id: str, code: str | None
) -> tuple[int, ...] | None:
    """The municipalities the tiles cover for `viewer`: her role's (or the one asked for,
    inside it); 404 for an unknown code, 401 without a login or token, 403 for a role that is
    not a planner's or does not cover the municipality."""
    if code is not None:
        municipality_by_code(session, code)  # 404 naming the code when unknown
    if viewer is None:
        raise NotAuthenticated(
            f"The tiles of {collection_id!r} are for planners: log in, or send a personal API "
            "token (Authorization: Bearer mh_...) created on the dashboard."
        )
    if not is_planner(viewer):
        raise NotPermitted(f"The tiles of {collection_id!r} need a planner's role.")
    return staff_area(session, viewer, code)  # 403 outside her role's municipalities


def planner_points(viewer: User, filters: PlannerFilters) -> Select:
    """The published reports the planner may see as points, matching the dashboard's filters
    (published only for every role: an administrator sees pending reports in moderation, never
    on a planning layer)."""
    stmt = (
        visible_reports(viewer, filters.municipalities)
        .join(Category, Category.id == Report.category_id)
        .where(Report.status == ReportStatus.published)
        .where(may_be_public_point())
        .where(Report.occurred_on.between(filters.since, filters.until))
    )
    if filters.groups:
        stmt = stmt.where(Category.group.in_(filters.groups))
    if filters.time_bands:
        stmt = stmt.where(Report.time_band.in_(filters.time_bands))
    if filters.districts:
        stmt = stmt.join(Mahalle, Mahalle.id == Report.mahalle_id).where(
            Mahalle.district.in_(filters.districts)
        )
    return stmt


def _in_tile(points: Select, *columns) -> str:
    """SQL of `points` inside the tile (`env.e`) with `columns`, values inlined (validated
    enums, dates and ids)."""
    inside = literal_column("report.public_location").op("&&")(
        func.ST_Transform(literal_column("(SELECT e FROM env)"), 4326)
    )
    stmt = points.where(inside).with_only_columns(*columns)
    return str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


# Each point into its grid cell (CLUSTER_CELLS² per tile, half-open: a point on the east or
# south edge is the next tile's), in EPSG:3857 metres.
CELLS_SQL = """
WITH env AS (SELECT ST_TileEnvelope(:z, :x, :y) AS e),
pts AS ({points})
SELECT floor((ST_X(pts.g) - ST_XMin(env.e)) / :cell)::int AS i,
       floor((ST_YMax(env.e) - ST_Y(pts.g)) / :cell)::int AS j,
       count(*) AS n, sum(pts.rk) % 256 AS ckey
FROM pts, env
WHERE ST_X(pts.g) >= ST_XMin(env.e) AND ST_X(pts.g) < ST_XMax(env.e)
  AND ST_Y(pts.g) > ST_YMin(env.e) AND ST_Y(pts.g) <= ST_YMax(env.e)
GROUP BY 1, 2 ORDER BY 1, 2
"""

POINTS_SQL = """
WITH env AS (SELECT ST_TileEnvelope(:z, :x, :y) AS e),
pts AS ({points})
SELECT pts.*, ST_X(pts.g) AS mx, ST_Y(pts.g) AS my FROM pts, env
WHERE ST_X(pts.g) >= ST_XMin(env.e) AND ST_X(pts.g) < ST_XMax(env.e)
  AND ST_Y(pts.g) > ST_YMin(env.e) AND ST_Y(pts.g) <= ST_YMax(env.e)
ORDER BY pts.public_id
"""

POINTS_MVT_SQL = """
SELECT ST_AsMVT(t, :layer, :extent, 'geom') FROM (
    SELECT ST_AsMVTGeom(ST_SetSRID(ST_MakePoint(p.mx, p.my), 3857),
                        ST_TileEnvelope(:z, :x, :y), :extent, 0, true) AS geom,
           p.public_id, p.category, p.category_group, p.occurred_month, p.time_band,
           p.perceived_safety
    FROM ({inner}) p
) t WHERE t.geom IS NOT NULL
"""


def _cells(
    session: Session, tile: TileAddress, points: Select, k: int, ptable: PTable
) -> list[tuple[int, int, int | None]]:
    """(column, row, published count or None below k) of each grid cell with reports."""
    sql = _in_tile(points, tile_reports.in_web_mercator(), Report.record_key.label("rk"))
    rows = session.execute(
        text(CELLS_SQL.format(points=sql)),
        {"z": tile.z, "x": tile.x, "y": tile.y, "cell": tile.size_m / tile_reports.CLUSTER_CELLS},
    ).all()
    cells = []
    for row in rows:
        published = ptable.protect(row.n, row.ckey, k) or 0
        if published:
            cells.append((row.i, row.j, None if small(published, k) else published))
    return cells


def _point_sql(points: Select) -> str:
    """SQL of the tile's points with the properties of the public tiles' points layer."""
    return _in_tile(
        points,
        tile_reports.in_web_mercator(),
        Report.public_id.label("public_id"),
        Category.code.label("category"),
        literal_column('category."group"::text').label("category_group"),
        func.to_char(Report.occurred_on, "YYYY-MM").label("occurred_month"),
        literal_column("report.time_band::text").label("time_band"),
        Report.perceived_safety.label("perceived_safety"),
    )


def _points(session: Session, tile: TileAddress, points: Select) -> list[dict]:
    """The tile's points (their layer's properties and EPSG:3857 metres `mx`, `my`)."""
    found = session.execute(
        text(POINTS_SQL.format(points=_point_sql(points))), {"z": tile.z, "x": tile.x, "y": tile.y}
    ).mappings()
    return [{key: value for key, value in row.items() if key != "g"} for row in found]


def _cluster_geojson(tile: TileAddress, cells, k: int) -> list[dict]:
    xmin, _, _, ymax = tile.bounds_3857
    size = tile.size_m / tile_reports.CLUSTER_CELLS
    features = []
    for i, j, count in cells:
        props: dict = {"suppressed": count is None, "k": k}
        if count is not None:
            props["count"] = count
        centre = tile_geojson.lonlat(xmin + (i + 0.5) * size, ymax - (j + 0.5) * size)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": centre},
                "properties": props,
            }
        )
    return features


def _point_geojson(session: Session, rows: list[dict], counts: ConfirmationCounts) -> list[dict]:
    details = public_details(session, counts, [row["public_id"] for row in rows])
    features = []
    for row in rows:
        props = {key: value for key, value in row.items() if key not in ("mx", "my")}
        extra = details.get(row["public_id"], {})
        props |= {key: extra[key] for key in tile_geojson.POPUP_FIELDS if key in extra}
        coordinates = tile_geojson.lonlat(row["mx"], row["my"])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": coordinates},
                "properties": props,
            }
        )
    return features


def _mvt(session: Session, tile: TileAddress, cells, points_sql: str | None, k: int) -> bytes:
    if points_sql is not None:
        inner = POINTS_SQL.format(points=points_sql)
        found = session.execute(
            text(POINTS_MVT_SQL.format(inner=inner)),
            {"z": tile.z, "x": tile.x, "y": tile.y, "layer": tile_reports.LAYER_POINTS}
            | {"extent": EXTENT},
        ).scalar_one()
        return bytes(found or b"")
    if not cells:
        return b""
    found = session.execute(
        text(tile_reports.CLUSTERS_MVT_SQL),
        {
            "z": tile.z,
            "x": tile.x,
            "y": tile.y,
            "cell": tile.size_m / tile_reports.CLUSTER_CELLS,
            "layer": tile_reports.LAYER_CLUSTERS,
            "extent": EXTENT,
            "k": k,
            "i": [c[0] for c in cells],
            "j": [c[1] for c in cells],
            "counts": [c[2] for c in cells],
            "suppressed": [c[2] is None for c in cells],
        },
    ).scalar_one()
    return bytes(found)


def planner_report_tile(
    session: Session,
    viewer: User | None,
    collection_id: str,
    z: int,
    x: int,
    y: int,
    filters: PlannerFilters,
    floor: int,
    ptable: PTable,
    encoding: str = "mvt",
) -> Tile:
    """One tile of the planners' report layer for `viewer` (401 without a planner, 403 for
    a municipality outside her role); `filters.municipalities` is replaced by the area the
    collection id and her role give."""
    if encoding not in ENCODINGS:
        raise InvalidInput(
            f"Unknown tile format {encoding!r}: use f=mvt (Mapbox vector tiles) or f=geojson.",
            field="f",
        )
    code = _code(collection_id)
    area = planner_area(session, viewer, collection_id, code)
    assert viewer is not None
    scoped = PlannerFilters(
        filters.since,
        filters.until,
        filters.groups,
        filters.time_bands,
        filters.districts,
        area,
        code,
    )
    tile = tile_address(z, x, y, 0, tile_reports.MAX_ZOOM)
    k = area_k(session, floor, area)
    points = planner_points(viewer, scoped)
    session.execute(text("SET LOCAL jit = off"))  # as the public tiles (bench/tiles.py)
    as_points = tile.z >= tile_reports.POINT_MIN_ZOOM
    cells = [] if as_points else _cells(session, tile, points, k, ptable)
    if encoding == "mvt":
        content = _mvt(session, tile, cells, _point_sql(points) if as_points else None, k)
        return Tile(content, etag_of(content))
    if as_points:
        counts = ConfirmationCounts.with_table(session, ptable, floor)
        layer = tile_reports.LAYER_POINTS
        features = _point_geojson(session, _points(session, tile, points), counts)
    else:
        layer = tile_reports.LAYER_CLUSTERS
        features = _cluster_geojson(tile, cells, k)
    body = {"type": "FeatureCollection", "layer": layer, "features": features}
    content = json.dumps(body, separators=(",", ":")).encode()
    return Tile(content, etag_of(content), GEOJSON_MEDIA_TYPE)


def _code(collection_id: str) -> str | None:
    return collection_id.partition(".")[2] or None


def planner_tilesets(session: Session, viewer: User | None, base: str, collection_id: str) -> dict:
    """The tileset list of a planners' report collection, for a planner who may read it."""
    planner_area(session, viewer, collection_id, _code(collection_id))
    return tilesets(base, collection_id)


def planner_tileset(
    session: Session, viewer: User | None, base: str, collection_id: str, query: str
) -> dict:
    """The tileset document of a planners' report collection (its URLs carry `query`: the
    filters; her login or token is still needed for every tile)."""
    code = _code(collection_id)
    planner_area(session, viewer, collection_id, code)
    return tileset_document(
        base, collection_id, PLANNER_KIND, collection_bounds(session, code), query
    )
