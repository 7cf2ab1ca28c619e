"""Timings of the audit walk aggregates on the database of DATABASE_URL.

    python -m bench.audits [--points 50000] [--repeat 5]

Adds `--points` audit points in published walks (one walk of 10 points per mahalle and round,
spread over every mahalle, scores drawn at random) unless that many are there already, then
times the per-mahalle audit aggregates alone, the full planner indicator set (which joins
them), the public layer of audit points all at once (GET /api/v1/audits/points, answer
serialised) against what the public map now asks for instead: the audit tiles of a
360×740 phone's view (GET /api/v1/audits/tiles/...) at the city's zoom and at zoom 15 over
the densest place. Needs the migrated schema and imported mahalle (e.g. after
bench.generate, or `morharita demo`).
"""

from __future__ import annotations

import argparse
import json
import math

from sqlalchemy import func, select, text
from sqlalchemy.orm import sessionmaker

from app.config import Settings
from app.db import make_engine, unit_of_work
from app.services import audits, standards
from app.services.planning.indicators import planner_indicators
from app.services.suppression import perturbation_table
from bench.planner import period, print_rows, timed

POINTS_PER_WALK = 10

FILL = """
WITH m AS (SELECT id, municipality_id, ST_PointOnSurface(geom) AS p, row_number() OVER () AS n
           FROM mahalle),
walks AS (
  INSERT INTO audit_walk (id, municipality_id, mahalle_id, walked_on, time_band, group_size,
                          status, submitted_at, moderated_at)
  SELECT gen_random_uuid(), m.municipality_id, m.id,
         current_date - (random() * 600)::int, 'evening', 4, 'published', now(), now()
  FROM m, generate_series(1, :rounds)
  RETURNING id, mahalle_id, municipality_id
)
INSERT INTO audit_point (id, walk_id, client_id, municipality_id, mahalle_id, location,
  public_location, lighting, openness, visibility, people, security, walk_path,
  public_transport, gender_usage, feeling)
SELECT gen_random_uuid(), w.id, 'bench-' || i, w.municipality_id, w.mahalle_id, m.p,
  -- displaced up to ~250 m around the mahalle's inner point, as placement spreads them
  ST_Translate(m.p, (random() - 0.5) * 0.006, (random() - 0.5) * 0.004),
  (random() * 3)::int, (random() * 3)::int, (random() * 3)::int, (random() * 3)::int,
  (random() * 3)::int, (random() * 3)::int, (random() * 3)::int, (random() * 3)::int,
  (random() * 3)::int
FROM walks w JOIN m ON m.id = w.mahalle_id, generate_series(1, :per_walk) AS i
"""


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The WebMercatorQuad column and row holding lon/lat at zoom z."""
    n = 1 << z
    x = int((lon + 180.0) / 360.0 * n)
    y = int((1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n)
    return x, y


def phone_view(lon: float, lat: float, z: int) -> list[tuple[int, int, int]]:
    """The tiles (z, x, y) a 360×740 view centred on lon/lat needs (Leaflet adds none)."""
    n = 1 << z
    cx = (lon + 180.0) / 360.0 * n * 256
    cy = (1.0 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2.0 * n * 256
    xs = range(int((cx - 180) // 256), int((cx + 180) // 256) + 1)
    ys = range(int((cy - 370) // 256), int((cy + 370) // 256) + 1)
    return [(z, x, y) for x in xs for y in ys]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--points", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = Settings()
    if not settings.database_url:
        raise SystemExit("Set DATABASE_URL to the benchmark database.")
    engine = make_engine(settings.database_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with unit_of_work(factory) as session:
        have = session.scalar(text("SELECT count(*) FROM audit_point")) or 0
        mahalle = session.scalar(text("SELECT count(*) FROM mahalle")) or 0
        if not mahalle:
            raise SystemExit("No mahalle: import boundaries first (bench.generate).")
        missing = args.points - have
        if missing > 0:
            rounds = -(-missing // (mahalle * POINTS_PER_WALK))
            session.execute(text(FILL), {"rounds": rounds, "per_walk": POINTS_PER_WALK})
        total = session.scalar(text("SELECT count(*) FROM audit_point"))
    with engine.connect() as conn:
        conn.execute(text("ANALYZE audit_walk; ANALYZE audit_point"))
        conn.commit()
    print(f"audit points in database: {total:,}")
    filters = period()
    ptable = perturbation_table()
    k = settings.k_threshold

    def run(fn):
        def call():
            with unit_of_work(factory) as session:
                return fn(session)

        return call

    aggregates = audits.audit_aggregates(filters)
    rows = [
        timed(
            "audit aggregates per mahalle",
            run(lambda s: s.execute(select(func.count()).select_from(aggregates)).scalar()),
            args.repeat,
        ),
        timed(
            "full indicator set with the audit indicators",
            run(lambda s: planner_indicators(s, filters, k, ptable)),
            args.repeat,
        ),
        timed(
            "public layer of audit points (whole deployment, JSON)",
            run(lambda s: json.dumps(audits.public_points(s, k, None))),
            args.repeat,
        ),
    ]
    with unit_of_work(factory) as session:
        # The map's centre (the area's), and the place with the most public audit points.
        centre = session.execute(
            text(
                "SELECT ST_X(c), ST_Y(c) FROM (SELECT ST_Centroid(ST_Extent(geom)) c FROM mahalle) t"
            )
        ).one()
        densest = session.execute(
            text(
                "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_Centroid(ST_Collect(public_location)) p, "
                "count(*) n FROM audit_point GROUP BY mahalle_id ORDER BY n DESC LIMIT 1) t"
            )
        ).one()
    for label, (lon, lat), z in (
        ("city view", centre, 12),
        ("city view", centre, 11),
        ("densest mahalle", densest, 15),
    ):
        view = phone_view(lon, lat, z)

        def tiles(s, view=view):
            return [
                json.dumps(standards.audit_tile(s, tz, tx, ty, k, None, ptable))
                for tz, tx, ty in view
            ]

        with unit_of_work(factory) as session:
            features = sum(len(json.loads(t)["features"]) for t in tiles(session))
        rows.append(
            timed(
                f"audit tiles of a phone's {label}, z{z} ({len(view)} tiles, {features} features)",
                run(tiles),
                args.repeat,
            )
        )
    print_rows(rows)
    engine.dispose()


if __name__ == "__main__":
    main()
