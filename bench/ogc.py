"""OGC API Features items: one page of public report points, as /ogc serves it.

    python -m bench.ogc [--reports N] [--repeat R]

Uses its own database `<db>_ogc_bench` (the demo plus N synthetic reports, bench/generate.py)
and times, interleaved round by round, the service behind /ogc/collections/reports/items
(GeoJSON assembled in PostgreSQL) against the JSON API's page (`public_report_collection`,
features built in Python) for a ~1 km box and the whole city at limit 100 and 1,000; and
the items query with the plan settings (custom plans, no JIT) against PostgreSQL's defaults.
Prints medians, p95 and the ratios, with the load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

from sqlalchemy import text

from app.db import unit_of_work
from app.geo.bbox import BBox
from app.services.reporting import public_layer
from bench.generate import generate
from bench.run_all import demo_database

ONE_KM = BBox(32.848, 39.916, 32.860, 39.925)  # about 1 km around Kızılay


def _measure(cases: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[float]]:
    """Run every case once per round, `repeat` rounds, so load changes hit them alike."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, fn in cases.items():
            start = time.perf_counter()
            fn()
            samples[name].append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    settings, engine, factory = demo_database("_ogc_bench")
    with unit_of_work(factory) as session:
        generate(session, args.reports)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))

    def ogc(bbox, limit, defaults=False):
        def run():
            with unit_of_work(factory) as session:
                if defaults:  # what the plan settings replace, for comparison
                    original = public_layer.PLAN_SETTINGS
                    public_layer.PLAN_SETTINGS = text("SELECT 1")
                    try:
                        public_layer.public_points_json(
                            session,
                            settings,
                            public_layer.ReportFilters(bbox),
                            limit=limit,
                            offset=0,
                        )
                    finally:
                        public_layer.PLAN_SETTINGS = original
                else:
                    public_layer.public_points_json(
                        session, settings, public_layer.ReportFilters(bbox), limit=limit, offset=0
                    )

        return run

    def json_api(bbox, limit):
        def run():
            with unit_of_work(factory) as session:
                public_layer.public_report_collection(
                    session, settings, public_layer.ReportFilters(bbox), limit=limit, offset=0
                )

        return run

    cases: dict[str, Callable[[], object]] = {}
    for where, bbox in (("1 km box", ONE_KM), ("whole city", None)):
        for limit in (100, 1000):
            cases[f"ogc items, {where}, limit {limit}"] = ogc(bbox, limit)
            cases[f"ogc items (pg defaults), {where}, limit {limit}"] = ogc(bbox, limit, True)
            cases[f"json api page, {where}, limit {limit}"] = json_api(bbox, limit)
    samples = _measure(cases, args.repeat)
    print(f"reports: {args.reports:,} synthetic; load average {os.getloadavg()}")
    print(f"{'case':<52} {'median ms':>10} {'p95 ms':>8}")
    medians = {}
    for name, values in samples.items():
        medians[name] = statistics.median(values)
        p95 = sorted(values)[max(0, int(len(values) * 0.95) - 1)]
        print(f"{name:<52} {medians[name]:>10.1f} {p95:>8.1f}")
    for name in medians:
        if name.startswith("ogc items, "):
            rest = name.removeprefix("ogc items, ")
            api = medians[f"json api page, {rest}"]
            defaults = medians[f"ogc items (pg defaults), {rest}"]
            print(
                f"{rest:<30} json api / ogc = {api / medians[name]:.2f}x; "
                f"defaults / plan settings = {defaults / medians[name]:.2f}x"
            )
    engine.dispose()


if __name__ == "__main__":
    main()
