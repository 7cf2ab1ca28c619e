"""Benchmarks of the foundation paths on a real PostGIS (prints a table of figures).

    python -m bench.run_all [--reports N]

Uses a separate database `morharita_bench` (on the local cluster, or next to DATABASE_URL),
loads the Ankara demo, adds N synthetic reports generated in SQL (bench/generate.py), then
times: report creation through the service (point-in-polygon + displacement + insert), the
public indicator layer for all 184 mahalle, one page of public report points, and the
planners' paths (bench/planner.py: full indicator set, hexagon hotspots, detail, export).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from sqlalchemy import Engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from app import localdb
from app.config import Settings
from app.db import make_engine, unit_of_work
from app.demo.load import load_demo
from app.migrate import upgrade
from app.schemas.reporting import ReportCreate
from app.services.planning import public_indicators
from app.services.reporting import public_layer, submission
from bench.generate import generate
from bench.planner import planner_benchmarks, print_rows


def timed(label: str, fn: Callable[[], object], repeat: int) -> tuple[str, float, float]:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return label, statistics.median(samples), max(samples)


def demo_database(suffix: str) -> tuple[Settings, Engine, sessionmaker[Session]]:
    """A fresh `<db><suffix>` database next to DATABASE_URL (or the local cluster).

    Migrated, with the Ankara demo loaded: every benchmark starts from the same state.
    """
    base = Settings()
    server = base.database_url or localdb.up(base).url()
    url = localdb.recreate_database(server, make_url(server).database + suffix)
    settings = Settings(DATABASE_URL=url)
    engine = make_engine(url)
    upgrade(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with unit_of_work(factory) as session:
        load_demo(session, settings)
    return settings, engine, factory


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=100_000, help="synthetic published reports")
    args = parser.parse_args()

    settings, engine, factory = demo_database("_bench")
    with unit_of_work(factory) as session:
        start = time.perf_counter()
        generate(session, args.reports)
        load_s = time.perf_counter() - start
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))  # index-only scans need the visibility map
        total = conn.execute(text("SELECT count(*) FROM report")).scalar()

    payload = ReportCreate(
        category="dark_street",
        location={"lon": 32.8541, "lat": 39.9208},
        happening_now=True,
        perceived_safety=2,
        consent=True,
    )

    def create_one() -> None:
        with unit_of_work(factory) as session:
            submission.create_report(session, settings, payload)

    def indicator_layer() -> None:
        with unit_of_work(factory) as session:
            public_indicators.indicator_collection(session, public_indicators.IndicatorFilters(), 5)

    def points_page() -> None:
        with unit_of_work(factory) as session:
            public_layer.public_report_collection(
                session, settings, public_layer.ReportFilters(), limit=500, offset=0
            )

    rows = [
        timed("create one report (PIP + displacement + insert + commit)", create_one, 200),
        timed("indicator layer, 184 mahalle, all reports", indicator_layer, 20),
        timed("public points, one page of 500", points_page, 20),
    ]
    rows += planner_benchmarks(factory, repeat=5, k=settings.k_threshold)
    print(f"reports in database: {total:,} (synthetic load {load_s:.1f} s)")
    print_rows(rows)
    engine.dispose()


if __name__ == "__main__":
    main()
