"""N synthetic reports over the imported mahalle, in one INSERT ... SELECT (no Python loop).

    python -m bench.generate --reports 1000000 [--seed 42]

Writes into the database of DATABASE_URL (use a separate one, e.g. dev_i5_bench, after
`morharita migrate && morharita demo`). Reports are spread unevenly, so that hotspots exist:
each mahalle gets a share drawn from a skewed distribution (a few mahalle many reports), and
points fall uniformly inside it (ST_GeneratePoints, one call per mahalle). Dates cover the
last two years; 90 % published, 10 % pending; 3 % placed by mahalle only; a fifth of the
non-sensitive reports forwarded to the municipality, half of those resolved after 1-60 days.
"""

from __future__ import annotations

import argparse
import time

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import make_engine, unit_of_work

GENERATE_SQL = """
WITH weights AS (
    SELECT id, geom, municipality_id,
           -- a skewed, repeatable weight per mahalle: a few get many reports
           power(((hashtext(code || CAST(:seed AS text)) & 1023) + 1) / 1024.0, 3) AS w
    FROM mahalle
), shares AS (
    SELECT id, geom, municipality_id,
           greatest(1, round(:n * w / sum(w) OVER ()))::int AS n
    FROM weights
), pts AS (
    SELECT s.id AS mahalle_id, s.municipality_id, d.geom AS pt,
           row_number() OVER () AS k
    FROM shares s, LATERAL ST_Dump(ST_GeneratePoints(s.geom, s.n, :seed)) d
), cats AS (
    SELECT array_agg(id ORDER BY id) AS ids, array_agg(sensitive ORDER BY id) AS sens
    FROM category WHERE active
), rows AS (
    SELECT p.*, c.ids[1 + (hashtext(p.k::text || 'c') & 2147483647) % array_length(c.ids, 1)]
               AS category_id,
           (hashtext(p.k::text || 'r') & 2147483647) % 1000 AS r,
           (hashtext(p.k::text || 'd') & 2147483647) % 730 AS days_ago
    FROM pts p, cats c
)
INSERT INTO report (
    id, public_id, category_id, location, public_location, location_precision, mahalle_id,
    municipality_id, occurred_on, time_band, perceived_safety, reporter_gender, reporter_age_band,
    status, municipal_status, tracking_code_hash, source, consent_version, published_at,
    forwarded_at, resolved_at, created_at, updated_at
)
SELECT gen_random_uuid(),
       'g' || lpad(to_hex(CAST(:seed AS int) % 4096), 3, '0') || lpad(to_hex(k::int), 12, '0'),
       category_id,
       pt,
       ST_Translate(pt, ((r % 7) - 3) * 0.0004, ((r % 5) - 2) * 0.0004),
       CASE WHEN r % 33 = 0 THEN 'mahalle' ELSE 'point' END,
       mahalle_id,
       municipality_id,
       current_date - days_ago,
       (ARRAY['day', 'evening', 'night'])[1 + r % 3],
       1 + r % 5,
       (ARRAY['woman', 'woman', 'woman', 'undisclosed', 'other', 'man'])[1 + r % 6],
       (ARRAY['18_24', '25_34', '35_44', '45_54', '55_64', '65_plus', 'under_18',
              'undisclosed'])[1 + (r / 7) % 8],
       CASE WHEN r % 10 = 0 THEN 'pending' ELSE 'published' END,
       CASE WHEN r % 10 <> 0 AND r % 5 = 1 THEN
            CASE WHEN r % 2 = 1 THEN 'resolved' ELSE 'forwarded' END ELSE 'none' END,
       md5(k::text || 'bench' || CAST(:seed AS text)) || md5(k::text),
       'import',
       'bench',
       CASE WHEN r % 10 = 0 THEN NULL ELSE now() - make_interval(days => days_ago) END,
       CASE WHEN r % 10 <> 0 AND r % 5 = 1 THEN now() - make_interval(days => days_ago) END,
       CASE WHEN r % 10 <> 0 AND r % 5 = 1 AND r % 2 = 1
            THEN now() - make_interval(days => days_ago) + make_interval(days => 1 + r % 60) END,
       now() - make_interval(days => days_ago),
       now()
FROM rows
"""


def generate(session: Session, n: int, seed: int = 42) -> int:
    """Insert about `n` synthetic reports (rounded per mahalle); returns how many."""
    result = session.execute(text(GENERATE_SQL), {"n": n, "seed": seed})
    return result.rowcount


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    settings = Settings()
    if not settings.database_url:
        raise SystemExit("Set DATABASE_URL to a separate benchmark database.")
    engine = make_engine(settings.database_url)
    factory = sessionmaker(bind=engine)
    start = time.perf_counter()
    with unit_of_work(factory) as session:
        made = generate(session, args.reports, args.seed)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE report"))  # index-only scans need the visibility map
    print(f"{made:,} reports in {time.perf_counter() - start:.1f} s")
    engine.dispose()


if __name__ == "__main__":
    main()
