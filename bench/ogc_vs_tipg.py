"""Our public points side by side with tipg 1.6 on the same database, and each of our
queries against its raw PostGIS floor (issue 11, item 8).

    scripts/system-deps.sh bench        # wrk, the load generator (Debian)
    export DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:54329/dev
    .venv/bin/python -m bench.ogc_vs_tipg --reports 1000000 [--rounds 3] [--seconds 5] [--reuse]

Builds `<db>_ogc_bench` next to DATABASE_URL: the real Ankara mahalle, N synthetic reports
in one INSERT ... SELECT (bench/generate.py: skewed per mahalle, 90 % published, sensitive
and pending ones too, record keys from the column default as the app writes them) and a
view of exactly the public points (compiled from `visibility.public_point_reports`). Then
serves tipg (its own virtualenv under .bench/, on loopback, pointed at that view) and our
app (`morharita serve --workers 2`) on it, and measures interleaved rounds with wrk (the
server order alternates each round; same URLs), pgbench -f with the statements our app ran
for each URL (captured in-process, values inlined), and the indicator set against a bare
GROUP BY over the same rows. Prints requests/s, the ratios ours/tipg and ours/floor, p50
and p99 latencies and /proc/loadavg; for kept cases also the floor of the statements that build
the answer (what a request runs when nothing is kept). Never run by `make test`.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import unit_of_work
from app.main import create_app
from bench import side_by_side as sbs

# What is measured: one row per case, the same parameters for both servers. Placeholders:
# {bbox_1km}, {bbox_city}, {tile_zyx_<z>} (ours: tileMatrix/tileRow/tileCol, OGC API – Tiles'
# order) and {tile_zxy_<z>} (tipg 1.x: /tiles/{tileMatrixSetId}/{z}/{x}/{y}).
COLLECTION = f"public.{sbs.VIEW}"
OURS_ITEMS = "/ogc/collections/reports/items"
# Tiles are kept per public data version (app/services/standards/layer_cache.py): "kept" is
# what a map asking again gets, "computed" the same URL on a server that keeps nothing.
KEPT, COMPUTED = "kept", "computed"
CASES: list[tuple[str, str, str]] = [
    # (case, ours, tipg)
    *(
        (
            f"{where}, limit {limit}",
            f"{OURS_ITEMS}?bbox={{{box}}}&limit={limit}",
            f"/collections/{COLLECTION}/items?bbox={{{box}}}&limit={limit}",
        )
        for where, box in (("bbox 1 km", "bbox_1km"), ("whole city", "bbox_city"))
        for limit in (100, 1000)
    ),
    *(
        (
            f"tile z{z}, {how}",
            f"/ogc/collections/reports/tiles/WebMercatorQuad/{{tile_zyx_{z}}}",
            f"/collections/{COLLECTION}/tiles/WebMercatorQuad/{{tile_zxy_{z}}}",
        )
        for z in (12, 13, 14)
        for how in (KEPT, COMPUTED)
    ),
]
KIZILAY = (32.854163, 39.920857)
CONNECTIONS = 4  # wrk connections and pgbench clients


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The WebMercatorQuad tile holding the point."""
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def placeholders(extent: str) -> dict[str, str]:
    """The values of the URL placeholders: a ~1 km box at Kızılay, the city, the tiles."""
    lon, lat = KIZILAY
    dlat = 0.0045  # ~500 m
    dlon = dlat / math.cos(math.radians(lat))
    box = (lon - dlon, lat - dlat, lon + dlon, lat + dlat)
    west, south, east, north = (float(v) for v in extent[4:-1].replace(",", " ").split())
    values = {
        "bbox_1km": ",".join(f"{v:.6f}" for v in box),
        "bbox_city": ",".join(f"{v:.6f}" for v in (west, south, east, north)),
    }
    for z in (12, 13, 14):
        x, y = tile_of(lon, lat, z)
        values[f"tile_zyx_{z}"] = f"{z}/{y}/{x}"
        values[f"tile_zxy_{z}"] = f"{z}/{x}/{y}"
    return values


def loadavg() -> str:
    """The 1, 5 and 15 minute load averages."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# The floors' pgbench scripts: what the request runs ("floor") and, for kept cases, what
# builds the answer when nothing is kept ("build").
FLOOR, BUILD = "floor", "build"


def floor_scripts(url: str, paths: dict[str, str], seconds: int) -> dict[str, dict[str, str]]:
    """{case: {FLOOR: script, BUILD: script (kept cases)}}: the statements our app runs for
    each path (captured in-process), each pgbench'd once here (a warm-up, printed)."""
    from app.services.standards import layer_cache

    # No webhook delivery loop in the capturing app: its statements would join the capture.
    settings = Settings(_env_file=None, DATABASE_URL=url, webhooks_worker=False)
    scripts: dict[str, dict[str, str]] = {}
    budget = layer_cache.TILES.max_bytes

    def capture(path: str, keep: bool) -> tuple[int, str]:
        layer_cache.TILES.max_bytes = budget if keep else 0
        layer_cache.TILES.clear()
        statements = sbs.captured_sql(lambda: create_app(settings), path)
        return len(statements), sbs.pgbench_script(statements)

    for case, path in paths.items():
        count, script = capture(path, keep=not case.endswith(COMPUTED))
        scripts[case] = {FLOOR: script}
        sbs.pgbench(url, script, 2, CONNECTIONS)
        found = sbs.pgbench(url, script, seconds, CONNECTIONS)
        line = f"  floor {case}: {count} statements, {found.rps:.0f} tx/s"
        if case.endswith(KEPT):
            count, scripts[case][BUILD] = capture(path, keep=False)
            built = sbs.pgbench(url, scripts[case][BUILD], seconds, CONNECTIONS)
            line += f"; building it: {count} statements, {built.rps:.0f} tx/s"
        print(line + " (before the rounds)", flush=True)
    layer_cache.TILES.max_bytes = budget
    return scripts


def interleaved(
    servers: dict[str, str],
    urls: dict[str, tuple[str, str]],
    rounds: int,
    seconds: int,
    url: str,
    scripts: dict[str, dict[str, str]],
) -> dict[str, dict[str, list[sbs.Measure]]]:
    """wrk rounds, alternating which server goes first; every case for both each round, then
    its floors (pgbench), so that servers and floors meet the same load.
    `servers`: the base URLs of "ours", "computed" (ours keeping nothing) and "tipg"."""

    def base(case: str, who: str) -> str:
        if who == "tipg":
            return servers["tipg"]
        return servers[COMPUTED] if case.endswith(COMPUTED) else servers["ours"]

    results: dict[str, dict[str, list[sbs.Measure]]] = {
        c: {"ours": [], "tipg": [], FLOOR: [], BUILD: []} for c in urls
    }
    for case, (our_path, tipg_path) in urls.items():  # warm-up: plans, caches, catalogues
        sbs.wrk(base(case, "ours") + our_path, 1, CONNECTIONS)
        sbs.wrk(base(case, "tipg") + tipg_path, 1, CONNECTIONS)
    for r in range(rounds):
        order = ("ours", "tipg") if r % 2 == 0 else ("tipg", "ours")
        for case, (our_path, tipg_path) in urls.items():
            for who in order:
                path = our_path if who == "ours" else tipg_path
                results[case][who].append(sbs.wrk(base(case, who) + path, seconds, CONNECTIONS))
            for kind, script in scripts[case].items():
                results[case][kind].append(sbs.pgbench(url, script, seconds, CONNECTIONS))
        print(f"  round {r + 1}/{rounds} done, load {loadavg()}", flush=True)
        report(results)
    return results


def _median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


BARE_GROUP_BY = text(
    "SELECT mahalle_id, count(*) FROM report WHERE status = 'published' "
    "AND occurred_on BETWEEN :since AND :until GROUP BY mahalle_id"
)


def indicator_ratios(url: str, repeat: int) -> list[tuple[str, float, float]]:
    """(path, indicators ms, bare GROUP BY ms) for the public and the planner indicator set."""
    from app.services.planning import public_indicators
    from app.services.planning.indicators import planner_indicators
    from app.services.scope import PlannerFilters
    from app.services.suppression import perturbation_table

    today = date.today()
    first = date(today.year - 2 + (today.month == 12), today.month % 12 + 1, 1)
    until = date(today.year + (today.month == 12), today.month % 12 + 1, 1) - timedelta(days=1)
    ptable = perturbation_table()
    engine = create_engine(url)
    factory = sessionmaker(bind=engine, expire_on_commit=False)

    def run(fn: Callable[[Session], object]) -> Callable[[], object]:
        def call() -> object:
            with unit_of_work(factory) as session:
                return fn(session)

        return call

    bare = run(lambda s: s.execute(BARE_GROUP_BY, {"since": first, "until": until}).all())
    # The planners' set reads the period and the previous one (its change indicators): its
    # bare GROUP BY reads the same rows.
    planner_filters = PlannerFilters(first, until)
    bare_both = run(
        lambda s: s.execute(
            BARE_GROUP_BY, {"since": planner_filters.previous[0], "until": until}
        ).all()
    )
    public_filters = public_indicators.IndicatorFilters(first, until)
    rows = [
        (
            "public /api/v1/indicators",
            _median_ms(
                run(lambda s: public_indicators.indicator_collection(s, public_filters, 5, ptable)),
                repeat,
            ),
            _median_ms(bare, repeat),
        ),
        (
            "planner full indicator set",
            _median_ms(
                run(lambda s: planner_indicators(s, planner_filters, 5, ptable)),
                repeat,
            ),
            _median_ms(bare_both, repeat),
        ),
    ]
    engine.dispose()
    return rows


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "n/a"


def _median(measures: list[sbs.Measure]) -> sbs.Measure:
    return sbs.Measure(
        statistics.median(m.rps for m in measures),
        statistics.median(m.p50_ms for m in measures),
        statistics.median(m.p99_ms for m in measures),
    )


def report(results: dict[str, dict[str, list[sbs.Measure]]]) -> None:
    """The table: medians over rounds (requests/s with one decimal: heavy cases are slow).
    For kept cases, also the floor of the SQL that builds the answer and ours against it."""
    print(
        f"{'case':24} {'ours r/s':>8} {'tipg r/s':>8} {'ours/tipg':>9} {'floor tx/s':>10} "
        f"{'ours/floor':>10}  {'ours p50/p99 ms':>17} {'tipg p50/p99 ms':>17} "
        f"{'floor p50/p99 ms':>17} {'build floor':>11} {'ours/build':>10}"
    )
    for case, by in results.items():
        o = statistics.median(m.rps for m in by["ours"])
        t = statistics.median(m.rps for m in by["tipg"])
        f = _median(by[FLOOR])
        b = _median(by[BUILD]) if by[BUILD] else None
        ours_lat = (
            statistics.median(m.p50_ms for m in by["ours"]),
            statistics.median(m.p99_ms for m in by["ours"]),
        )
        tipg_lat = (
            statistics.median(m.p50_ms for m in by["tipg"]),
            statistics.median(m.p99_ms for m in by["tipg"]),
        )
        errors = sum(m.errors for m in by["ours"] + by["tipg"])
        print(
            f"{case:24} {o:8.1f} {t:8.1f} {_ratio(o, t):>9} {f.rps:10.1f} {_ratio(o, f.rps):>10}  "
            f"{ours_lat[0]:8.0f}/{ours_lat[1]:<8.0f} {tipg_lat[0]:8.0f}/{tipg_lat[1]:<8.0f} "
            f"{f.p50_ms:8.0f}/{f.p99_ms:<8.0f}"
            + (f" {b.rps:11.1f} {_ratio(o, b.rps):>10}" if b else "")
            + (f"  ({errors} errors)" if errors else "")
        )


def save(results: dict, summary: dict) -> Path:
    """Every round's figures as JSON under .bench/, so a long run is never lost."""
    sbs.BENCH_DIR.mkdir(exist_ok=True)
    path = sbs.BENCH_DIR / f"ogc_vs_tipg-{time.strftime('%Y%m%dT%H%M%S')}.json"
    data = {
        "summary": {k: str(v) for k, v in summary.items()},
        "rounds": {
            c: {w: [vars(m) for m in ms] for w, ms in by.items()} for c, by in results.items()
        },
        "loadavg": loadavg(),
    }
    path.write_text(json.dumps(data, indent=1))
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5, help="per wrk / pgbench run")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="keep a database already built")
    parser.add_argument("--only", action="append", help="run only cases containing this text")
    parser.add_argument("--build-only", action="store_true", help="build the database and stop")
    parser.add_argument("--database", help="the benchmark database's name (<db>_ogc_bench)")
    args = parser.parse_args()
    server = Settings().database_url
    if not server:
        raise SystemExit("Set DATABASE_URL (its server gets the benchmark's own database).")
    name = args.database or f"{make_url(server).database}_ogc_bench"
    url = sbs.build_database(server, name, args.reports, reuse=args.reuse)
    summary = sbs.dataset_summary(url)
    if args.build_only:
        print("data:", summary)
        return
    print("data:", {k: v for k, v in summary.items() if k != "extent"}, flush=True)
    values = placeholders(summary["extent"])
    cases = [c for c in CASES if not args.only or any(o in c[0] for o in args.only)]
    urls = {case: (ours.format(**values), tipg.format(**values)) for case, ours, tipg in cases}
    print(f"load before: {loadavg()}", flush=True)
    print("pgbench floors of our SQL:", flush=True)
    scripts = floor_scripts(url, {case: paths[0] for case, paths in urls.items()}, args.seconds)
    any_computed = any(c.endswith(COMPUTED) for c in urls)
    with (
        sbs.ours_served(url, args.workers) as ours,
        sbs.ours_served(url, args.workers if any_computed else 1, cache_mb=0) as computed,
        sbs.tipg_served(url, args.workers) as tipg,
    ):
        print(f"ours {ours} (and {computed} keeping nothing), tipg {tipg}; ", end="")
        print(f"{args.rounds} rounds of {args.seconds} s", flush=True)
        servers = {"ours": ours, COMPUTED: computed, "tipg": tipg}
        results = interleaved(servers, urls, args.rounds, args.seconds, url, scripts)
    print(f"\nN = {summary['reports']:,} reports, {summary['public_points']:,} public points")
    print(f"raw figures: {save(results, summary)}")
    report(results)
    print("\nindicators vs a bare GROUP BY over the same rows (median of 5, ms):")
    for label, full, bare in indicator_ratios(url, 5):
        print(f"  {label:28} {full:8.0f} vs {bare:6.0f}  ratio {full / bare:5.1f}x")
    print(f"load after: {loadavg()}")


if __name__ == "__main__":
    main()
