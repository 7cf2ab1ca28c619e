"""Timings of the planners' paths on the database of DATABASE_URL (after bench.generate).

    python -m bench.planner [--repeat 5]

The full indicator set (every indicator of docs/indicators.md, EB, mahalle Gi* with 999
permutations) for all mahalle over the last 24 months, the hexagon hotspot layers for
Çankaya, one mahalle's detail, and a GeoPackage export.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import make_engine, unit_of_work
from app.services.planning import exports, hotspots, layers
from app.services.planning.indicators import planner_indicators
from app.services.scope import PlannerFilters
from app.services.suppression import perturbation_table

DISTRICT = "Çankaya"


def period() -> PlannerFilters:
    """The last 24 whole months, the current one included (all generated reports)."""
    today = date.today()
    start = today.year * 12 + today.month - 1 - 23
    end = (today.year * 12 + today.month) + 0
    until = date(end // 12, end % 12 + 1, 1)
    from datetime import timedelta

    return PlannerFilters(date(start // 12, start % 12 + 1, 1), until - timedelta(days=1))


def timed(label: str, fn: Callable[[], object], repeat: int) -> tuple[str, float, float]:
    fn()  # warm-up: caches (mahalle adjacency), plans
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return label, statistics.median(samples), max(samples)


def planner_benchmarks(factory: sessionmaker[Session], repeat: int, k: int = 5) -> list[tuple]:
    """(label, median ms, max ms) of the planners' paths."""
    filters = period()
    cankaya = PlannerFilters(filters.since, filters.until, districts=(DISTRICT,))

    def run(fn: Callable[[Session], object]) -> Callable[[], object]:
        def call() -> object:
            with unit_of_work(factory) as session:
                return fn(session)

        return call

    ptable = perturbation_table()  # the shipped table, as production uses
    with unit_of_work(factory) as session:
        code = session.execute(
            text("SELECT code FROM mahalle WHERE district = :d ORDER BY code LIMIT 1"),
            {"d": DISTRICT},
        ).scalar_one()
    return [
        timed(
            "full indicator set, all mahalle (with EB and Gi*)",
            run(lambda s: planner_indicators(s, filters, k, ptable)),
            repeat,
        ),
        timed(
            f"hexagon hotspots 250 m, {DISTRICT}",
            run(lambda s: hotspots.hex_layer(s, cankaya, 250, k, ptable)),
            repeat,
        ),
        timed(
            f"hexagon hotspots 500 m, {DISTRICT}",
            run(lambda s: hotspots.hex_layer(s, cankaya, 500, k, ptable)),
            repeat,
        ),
        timed(
            "one mahalle's detail",
            run(lambda s: layers.mahalle_detail(s, code, filters, k, ptable)),
            repeat,
        ),
        timed(
            "GeoPackage export, indicators",
            run(lambda s: exports.export_layer(s, "indicators", "gpkg", filters, k, ptable)),
            max(1, repeat // 2),
        ),
    ]


def print_rows(rows: list[tuple]) -> None:
    print(f"{'benchmark':<58} {'median ms':>10} {'max ms':>10}")
    for label, median, worst in rows:
        print(f"{label:<58} {median:>10.1f} {worst:>10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = Settings()
    if not settings.database_url:
        raise SystemExit("Set DATABASE_URL to the benchmark database.")
    engine = make_engine(settings.database_url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with engine.connect() as conn:
        total = conn.execute(text("SELECT count(*) FROM report")).scalar()
    print(f"reports in database: {total:,}")
    print_rows(planner_benchmarks(factory, args.repeat, settings.k_threshold))
    engine.dispose()


if __name__ == "__main__":
    main()
