"""Report tiles: protected clusters in tile space below POINT_MIN_ZOOM, displaced points above.

Only public points reach these tiles (`visibility.public_point_reports`: published,
non-sensitive, placed on the map, at the displaced location chosen at write time), so a
sensitive category never appears, neither as a point nor inside a cluster's count.

Clusters are the cells of a fixed grid in tile space (CLUSTER_CELLS × CLUSTER_CELLS per tile,
32 px at 256 px tiles): the grid nests across zooms and tiles, so the same place is always
the same cell, and a tile carries at most CLUSTER_CELLS² features whatever the number of
reports. A cluster is drawn at its cell's centre (never the points' centroid, which for a
cell of one would be the point), with its count perturbed by the cell key method from its
records' keys; a cluster whose published count is below k is drawn as "fewer than k"
without its count. Its members are public points anyway (drawn one by one from
POINT_MIN_ZOOM), and the perturbation keeps the difference of a parent cell and its
children noisy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, func, literal_column, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from app.models import Category, CategoryGroup, Report, TimeBand
from app.services.standards.tile_matrix import EXTENT, TileAddress
from app.services.suppression import PTable, small
from app.services.visibility import public_point_reports

POINT_MIN_ZOOM = 15  # a z15 tile is about 1 km across in Ankara: hundreds of points at most
MAX_ZOOM = 22
CLUSTER_CELLS = 8
LAYER_CLUSTERS = "clusters"
LAYER_POINTS = "reports"


@dataclass(frozen=True)
class TileFilters:
    """Server-side filters of a tile: category groups, a period of whole months, time bands."""

    groups: tuple[CategoryGroup, ...] = ()
    since: date | None = None
    until: date | None = None
    time_bands: tuple[TimeBand, ...] = ()

    def as_params(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        if self.groups:
            out["group"] = [g.value for g in self.groups]
        if self.since:
            out["since"] = [self.since.isoformat()]
        if self.until:
            out["until"] = [self.until.isoformat()]
        if self.time_bands:
            out["time_band"] = [b.value for b in self.time_bands]
        return out


def _sql(stmt: Select) -> str:
    """A select as SQL text with its values inlined (they are validated enums and dates)."""
    return str(stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}))


def public_points(area: tuple[int, ...] | None, filters: TileFilters) -> Select:
    """The public points of `area` matching `filters` (the one visibility rule)."""
    stmt = public_point_reports(area)
    if filters.groups:
        stmt = stmt.where(Category.group.in_(filters.groups))
    if filters.since:
        stmt = stmt.where(Report.occurred_on >= filters.since)
    if filters.until:
        stmt = stmt.where(Report.occurred_on <= filters.until)
    if filters.time_bands:
        stmt = stmt.where(Report.time_band.in_(filters.time_bands))
    return stmt


# Every point of the tile into its cell, by arithmetic on its lon/lat (the spherical
# Mercator formula of EPSG:3857: a transform per point costs several times more); a point on
# the tile's east or south edge belongs to the next tile (half-open cells), so no point is
# counted twice.
CELLS_SQL = """
WITH env AS (SELECT ST_TileEnvelope(:z, :x, :y) AS e),
pts AS ({points}),
xy AS (
    SELECT floor((pts.lon + 180.0) / 360.0 * :cells)::int - :i0 AS i,
           floor((1.0 - ln(tan(radians(45.0 + pts.lat / 2.0))) / pi()) / 2.0 * :cells)::int
               - :j0 AS j,
           pts.rk
    FROM pts
)
SELECT i, j, count(*) AS n, sum(rk) % 256 AS ckey
FROM xy WHERE i BETWEEN 0 AND :last AND j BETWEEN 0 AND :last
GROUP BY i, j ORDER BY i, j
"""

# Without filters, the same cells summed from `public_point_cell` (the public points per
# level-17 cell and municipality, kept by triggers: migration 20261201_0014): a cell of zoom
# z's grid (level z + 3) is a block of 2^(14 - z) × 2^(14 - z) of them, by the same
# arithmetic (floor(v · 2^17) >> s is floor(v · 2^(17 - s)), exactly in floating point).
CELL_LEVEL = 17
KEPT_CELLS_SQL = """
SELECT (c.i >> :shift) - :i0 AS i, (c.j >> :shift) - :j0 AS j,
       sum(c.n)::int AS n, (sum(c.rk) % 256)::int AS ckey
FROM public_point_cell c
WHERE c.i BETWEEN :imin AND :imax AND c.j BETWEEN :jmin AND :jmax
  AND (CAST(:area AS int[]) IS NULL OR c.municipality_id = ANY(:area))
GROUP BY 1, 2 HAVING sum(c.n) > 0 ORDER BY 1, 2
"""

CLUSTERS_MVT_SQL = """
SELECT ST_AsMVT(t, :layer, :extent, 'geom') FROM (
    SELECT ST_AsMVTGeom(
               ST_SetSRID(ST_MakePoint(ST_XMin(env.e) + (c.i + 0.5) * :cell,
                                       ST_YMax(env.e) - (c.j + 0.5) * :cell), 3857),
               env.e, :extent, 0, true) AS geom,
           c.count, c.suppressed, :k AS k
    FROM (SELECT ST_TileEnvelope(:z, :x, :y) AS e) env,
         unnest(CAST(:i AS int[]), CAST(:j AS int[]), CAST(:counts AS int[]),
                CAST(:suppressed AS bool[])) AS c(i, j, count, suppressed)
) t
"""

POINTS_MVT_SQL = """
WITH env AS (SELECT ST_TileEnvelope(:z, :x, :y) AS e),
pts AS ({points})
SELECT ST_AsMVT(t, :layer, :extent, 'geom') FROM (
    SELECT ST_AsMVTGeom(pts.g, env.e, :extent, 0, true) AS geom,
           pts.public_id, pts.category, pts.category_group, pts.occurred_month,
           pts.time_band, pts.perceived_safety
    FROM pts, env
) t WHERE t.geom IS NOT NULL
"""


def points_in_tile(area, filters: TileFilters, *columns) -> str:
    """SQL of the public points inside the tile (`env.e`), with `columns`."""
    inside = literal_column("report.public_location").op("&&")(
        func.ST_Transform(literal_column("(SELECT e FROM env)"), 4326)
    )
    return _sql(public_points(area, filters).where(inside).with_only_columns(*columns))


def in_web_mercator():
    """The column `g`: the displaced point in EPSG:3857."""
    return func.ST_Transform(literal_column("report.public_location"), 3857).label("g")


def protected_cells(
    session: Session,
    tile: TileAddress,
    area: tuple[int, ...] | None,
    filters: TileFilters,
    k: int,
    ptable: PTable,
) -> list[tuple[int, int, int | None]]:
    """(column, row, published count or None below k) of each grid cell with reports."""
    rows = (
        _kept_cells(session, tile, area)
        if filters == TileFilters() and tile.z + 3 <= CELL_LEVEL
        else _cells(session, tile, area, filters)
    )
    cells = []
    for row in rows:
        published = ptable.protect(row.n, row.ckey, k) or 0
        if published:
            cells.append((row.i, row.j, None if small(published, k) else published))
    return cells


def _kept_cells(session: Session, tile: TileAddress, area: tuple[int, ...] | None) -> list:
    """(i, j, n, ckey) of the tile's cells from the kept level-17 cells."""
    shift = CELL_LEVEL - (tile.z + 3)
    first_i, first_j = tile.x * CLUSTER_CELLS, tile.y * CLUSTER_CELLS
    return list(
        session.execute(
            text(KEPT_CELLS_SQL),
            {
                "shift": shift,
                "i0": first_i,
                "j0": first_j,
                "imin": first_i << shift,
                "imax": ((first_i + CLUSTER_CELLS) << shift) - 1,
                "jmin": first_j << shift,
                "jmax": ((first_j + CLUSTER_CELLS) << shift) - 1,
                "area": list(area) if area is not None else None,
            },
        ).all()
    )


def _cells(
    session: Session, tile: TileAddress, area: tuple[int, ...] | None, filters: TileFilters
) -> list:
    """(i, j, n, ckey) of the tile's cells, from the public points matching `filters`."""
    points = points_in_tile(
        area,
        filters,
        func.ST_X(literal_column("report.public_location")).label("lon"),
        func.ST_Y(literal_column("report.public_location")).label("lat"),
        Report.record_key.label("rk"),
    )
    found = session.execute(
        text(CELLS_SQL.format(points=points)),
        {
            "z": tile.z,
            "x": tile.x,
            "y": tile.y,
            "cells": (1 << tile.z) * CLUSTER_CELLS,
            "i0": tile.x * CLUSTER_CELLS,
            "j0": tile.y * CLUSTER_CELLS,
            "last": CLUSTER_CELLS - 1,
        },
    ).all()
    return list(found)


def cluster_tile(
    session: Session,
    tile: TileAddress,
    area: tuple[int, ...] | None,
    filters: TileFilters,
    k: int,
    ptable: PTable,
) -> bytes:
    """The clusters layer of a tile: published count per grid cell, or "fewer than k"."""
    cells = protected_cells(session, tile, area, filters, k, ptable)
    if not cells:
        return b""
    return bytes(
        session.execute(
            text(CLUSTERS_MVT_SQL),
            {
                "z": tile.z,
                "x": tile.x,
                "y": tile.y,
                "cell": tile.size_m / CLUSTER_CELLS,
                "layer": LAYER_CLUSTERS,
                "extent": EXTENT,
                "k": k,
                "i": [c[0] for c in cells],
                "j": [c[1] for c in cells],
                "counts": [c[2] for c in cells],
                "suppressed": [c[2] is None for c in cells],
            },
        ).scalar_one()
    )


def point_tile(
    session: Session, tile: TileAddress, area: tuple[int, ...] | None, filters: TileFilters
) -> bytes:
    """The points layer of a tile: each public report at its displaced point."""
    points = points_in_tile(
        area,
        filters,
        in_web_mercator(),
        Report.public_id.label("public_id"),
        Category.code.label("category"),
        literal_column('category."group"::text').label("category_group"),
        func.to_char(Report.occurred_on, "YYYY-MM").label("occurred_month"),
        literal_column("report.time_band::text").label("time_band"),
        Report.perceived_safety.label("perceived_safety"),
    )
    found = session.execute(
        text(POINTS_MVT_SQL.format(points=points)),
        {"z": tile.z, "x": tile.x, "y": tile.y, "layer": LAYER_POINTS, "extent": EXTENT},
    ).scalar_one()
    return bytes(found or b"")


def report_tile(
    session: Session,
    tile: TileAddress,
    area: tuple[int, ...] | None,
    filters: TileFilters,
    k: int,
    ptable: PTable,
) -> bytes:
    """A report tile: clusters below POINT_MIN_ZOOM, points from it."""
    session.execute(text("SET LOCAL jit = off"))  # see bench/tiles.py: JIT only costs here
    if tile.z < POINT_MIN_ZOOM:
        return cluster_tile(session, tile, area, filters, k, ptable)
    return point_tile(session, tile, area, filters)
