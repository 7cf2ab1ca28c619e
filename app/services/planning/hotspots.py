"""Significant hotspots: local Getis-Ord Gi* on mahalle contiguity and on a hexagon grid.

Gi* comes from esda (`G_Local(star=True)`, row-standardised weights) with 999 conditional
permutations and a fixed seed, so the same data give the same classes. Classes use the sign of
the z-score and the folded pseudo p-value (esda's `p_sim`, but with ties counted against
significance on both sides, see `pseudo_p`): hot/cold at 99 % (p ≤ 0.01), 95 %
(≤ 0.05), 90 % (≤ 0.10), else not significant. Cells without neighbours are never
significant.

Counts come from SQL (PostGIS); only the per-cell values reach Python.
"""

from __future__ import annotations

import json

from sqlalchemy import Select, literal_column, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.models import Category, Report
from app.services.scope import filtered_reports
from app.services.statistics import GiResult, gi_star, weights_from_neighbours
from app.services.suppression import PTable, protect_partition, small
from app.services.visibility import has_map_point

HEX_SIZES_M = (250, 500)


# Queen contiguity: polygons that share at least one point. Mahalle change only on import.
ADJACENCY_SQL = text(
    """
    SELECT a.id, b.id FROM mahalle a JOIN mahalle b
      ON a.id < b.id AND a.geom && b.geom AND ST_Intersects(a.geom, b.geom)
    """
)


_ADJ_CACHE: dict[str, dict[int, list[int]]] = {}


def mahalle_adjacency(session: Session) -> dict[int, list[int]]:
    """Queen neighbours of every mahalle, cached while the mahalle table is unchanged."""
    version = session.execute(
        text("SELECT count(*)::text || ':' || coalesce(max(updated_at)::text, '') FROM mahalle")
    ).scalar_one()
    key = f"{session.get_bind().engine.url.database}:{version}"
    if key not in _ADJ_CACHE:
        neighbours: dict[int, list[int]] = {}
        for a, b in session.execute(ADJACENCY_SQL):
            neighbours.setdefault(a, []).append(b)
            neighbours.setdefault(b, []).append(a)
        _ADJ_CACHE.clear()
        _ADJ_CACHE[key] = neighbours
    return _ADJ_CACHE[key]


def mahalle_hotspots(session: Session, ids: list[int], values: list[float]) -> list[GiResult]:
    """Gi* of `values` over the given mahalle (queen contiguity among them)."""
    if not ids:
        return []
    adjacency = mahalle_adjacency(session)
    inside = set(ids)
    neighbours = {i: [j for j in adjacency.get(i, []) if j in inside] for i in ids}
    return gi_star(values, weights_from_neighbours(neighbours, ids))


def utm_srid(lon: float, lat: float) -> int:
    """The WGS 84 / UTM zone SRID of a point: metric, little distortion over a city."""
    zone = min(60, int((lon + 180) // 6) + 1)
    return (32600 if lat >= 0 else 32700) + zone


# Cells of ST_HexagonGrid(size) have centres (1.5·size·i, √3·size·(j + ½·(i odd))). A point
# belongs to the cell with the nearest centre, which lies in column floor(x / 1.5·size) or the
# next one: arithmetic on the points, not a point-in-polygon test per cell.
HEX_SQL = """
WITH extent AS (
    SELECT ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 4326) AS g4326
), grid AS (
    SELECT h.i, h.j, ST_Transform(h.geom, 4326) AS g4326
    FROM extent, ST_HexagonGrid(:size, ST_Transform(extent.g4326, :srid)) AS h
), cells AS (
    SELECT * FROM grid WHERE EXISTS (
        SELECT 1 FROM mahalle m
        WHERE (:all_districts OR m.district = ANY(:districts))
          AND (:all_municipalities OR m.municipality_id = ANY(:municipalities))
          AND ST_Intersects(m.geom, grid.g4326)
    )
), pts AS (
    {points}
), xy AS MATERIALIZED (  -- transform each point once, not once per use
    SELECT ST_X(t.g) AS x, ST_Y(t.g) AS y, t.sensitive, t.rk
    FROM (SELECT ST_Transform(pts.pt, :srid) AS g, pts.sensitive, pts.rk
          -- the envelope as values, so the planner sees how many points and goes parallel
          FROM pts WHERE pts.pt && ST_MakeEnvelope(:xmin, :ymin, :xmax, :ymax, 4326)) t
), columns AS (
    -- float8 throughout: numeric arithmetic on half a million rows is several times slower
    SELECT x, y, sensitive, rk, floor(x / (1.5 * CAST(:size AS float8)))::int AS a,
           CAST(:size AS float8) AS s, sqrt(3.0::float8) * CAST(:size AS float8) AS h
    FROM xy
), candidates AS (
    SELECT x, y, sensitive, rk, s, h, a, a + 1 AS b,
           round((y - (a & 1) * h / 2) / h)::int AS ja,
           round((y - ((a + 1) & 1) * h / 2) / h)::int AS jb
    FROM columns
), assigned AS (
    SELECT CASE WHEN da <= db THEN a ELSE b END AS i,
           CASE WHEN da <= db THEN ja ELSE jb END AS j, sensitive, rk
    FROM (
        SELECT a, b, ja, jb, sensitive, rk,
               (x - 1.5 * s * a) ^ 2 + (y - h * (ja + (a & 1) * 0.5::float8)) ^ 2 AS da,
               (x - 1.5 * s * b) ^ 2 + (y - h * (jb + (b & 1) * 0.5::float8)) ^ 2 AS db
        FROM candidates
    ) d
), counts AS (
    -- each count with its cell key: the sum of its records' keys mod 256 (DESIGN.md §11)
    SELECT i, j, count(*) AS n, sum(rk) % 256 AS n_ckey,
           count(*) FILTER (WHERE sensitive) AS sensitive_n,
           coalesce(sum(rk) FILTER (WHERE sensitive), 0) % 256 AS sensitive_n_ckey
    FROM assigned GROUP BY i, j
)
SELECT cells.i, cells.j, coalesce(counts.n, 0) AS n, coalesce(counts.n_ckey, 0) AS n_ckey,
       coalesce(counts.sensitive_n, 0) AS sensitive_n,
       coalesce(counts.sensitive_n_ckey, 0) AS sensitive_n_ckey,
       ST_AsGeoJSON(cells.g4326, 6) AS geometry
FROM cells LEFT JOIN counts ON counts.i = cells.i AND counts.j = cells.j
ORDER BY cells.i, cells.j
"""


def hex_counts(
    session: Session,
    points_sql: str,
    params: dict,
    size_m: int,
    districts,
    municipalities: tuple[int, ...] | None = None,
):
    """(i, j, count, geometry) of every hexagon over the mahalle of `districts` (all if empty)
    of the `municipalities` (all if None)."""
    scope = {
        "all_districts": not districts,
        "districts": list(districts),
        "all_municipalities": municipalities is None,
        "municipalities": list(municipalities or ()),
    }
    extent = session.execute(
        text(
            "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) e "
            "FROM mahalle WHERE (:all_districts OR district = ANY(:districts))"
            " AND (:all_municipalities OR municipality_id = ANY(:municipalities))) s"
        ),
        scope,
    ).one()
    if extent[0] is None:
        return []
    xmin, ymin, xmax, ymax = (float(v) for v in extent)
    sql = text(HEX_SQL.format(points=points_sql))
    session.execute(text("SET LOCAL jit = off"))
    return session.execute(
        sql,
        {
            **params,
            "srid": utm_srid((xmin + xmax) / 2, (ymin + ymax) / 2),
            "xmin": xmin,
            "ymin": ymin,
            "xmax": xmax,
            "ymax": ymax,
            "size": float(size_m),
            **scope,
        },
    ).all()


def hex_neighbours(rows) -> dict[int, list[int]]:
    """The six adjacent cells of each hexagon of ST_HexagonGrid (flat-top, odd columns up)."""
    index = {(r.i, r.j): n for n, r in enumerate(rows)}
    neighbours: dict[int, list[int]] = {}
    for n, r in enumerate(rows):
        dj = 1 if r.i % 2 else -1  # odd columns sit half a cell higher
        around = [(r.i, r.j - 1), (r.i, r.j + 1), (r.i - 1, r.j), (r.i + 1, r.j)]
        around += [(r.i - 1, r.j + dj), (r.i + 1, r.j + dj)]
        neighbours[n] = [index[c] for c in around if c in index]
    return neighbours


def hex_features(rows, k: int, ptable: PTable) -> list[dict]:
    """Hexagon features with Gi* class, on perturbed counts; counts below k withheld (the
    class stays).

    Secondary suppression: the cell's non-sensitive reports are public points (at the same
    displaced locations), so its count minus those points is its sensitive part. The count is
    withheld when that part is 1..k-1 (the count's own noise would not hide it). And the
    cells partition the layer's reports: one withheld cell alone would be the
    layer's total minus the others, so the smallest other shown cell goes with it
    (`protect_partition`).
    """
    published = [ptable.protect(r.n, r.n_ckey, k) or 0 for r in rows]
    order = list(range(len(rows)))
    w = weights_from_neighbours(hex_neighbours(rows), order)
    results = gi_star([float(n) for n in published], w)
    hidden_cells: set[int] = set()
    for index, (row, n) in enumerate(zip(rows, published, strict=True)):
        sensitive = ptable.protect(
            getattr(row, "sensitive_n", 0), getattr(row, "sensitive_n_ckey", 0), k
        )
        if small(n, k) or small(sensitive, k):
            hidden_cells.add(index)
    if len(hidden_cells) == 1:
        # The withheld cell enters as a small one (k - 1), whatever its published value.
        cells = {str(i): k - 1 if i in hidden_cells else n for i, n in enumerate(published)}
        extra = protect_partition(cells, True, k)
        hidden_cells |= {int(code) for code in extra}
    features = []
    for index, (row, n, gi) in enumerate(zip(rows, published, results, strict=True)):
        hidden = index in hidden_cells
        features.append(
            {
                "type": "Feature",
                "id": f"{row.i}_{row.j}",
                "geometry": json.loads(row.geometry),
                "properties": {
                    "cell": f"{row.i}_{row.j}",
                    "reports": None if hidden else n,
                    "reports_suppressed": hidden,
                    # z and p could be worked back to a small count; the class may stay.
                    "hotspot_z": None if hidden or gi.z is None else round(gi.z, 3),
                    "hotspot_p": None if hidden or gi.p is None else round(gi.p, 4),
                    "hotspot_class": gi.label,
                },
            }
        )
    return features


def hex_layer(
    session: Session,
    filters,
    size_m: int,
    k: int,
    ptable: PTable,
    allowed: tuple[int, ...] = HEX_SIZES_M,
) -> list[dict]:
    """The hexagon hotspot layer for the filters (reports at their displaced public point)."""
    if size_m not in allowed:
        raise InvalidInput(
            f"Hexagon size must be one of {', '.join(map(str, allowed))} metres.",
            field="size",
        )
    points: Select = (
        filtered_reports(filters, filters.since, filters.until)
        .where(has_map_point())
        # The raw column: GeoAlchemy would wrap a selected geometry in ST_AsEWKB.
        .with_only_columns(
            literal_column("report.public_location").label("pt"),
            Category.sensitive.label("sensitive"),
            Report.record_key.label("rk"),
        )
    )
    points_sql = str(
        points.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    )
    rows = hex_counts(session, points_sql, {}, size_m, filters.districts, filters.municipalities)
    return hex_features(rows, k, ptable)
