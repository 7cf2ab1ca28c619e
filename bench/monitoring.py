"""The final monitoring report of a large plan, and the public plan API, at N reports.

    python -m bench.monitoring [--reports 1000000] [--requests 60] [--reuse]

A seed database `<db>_monitoring_seed` (Ankara demo + N synthetic reports from
bench/generate.py) is built once; `--reuse` keeps it when it already holds about N reports.
Each run copies it (`CREATE DATABASE ... TEMPLATE`) into `<db>_monitoring_bench`, which gets a plan of 100 items (7 themes, 14 objectives, 30 targets, 49
activities) and 40 indicators on its targets (30 computed from the map's indicators over each
target's 6 mahalle, with 4 different stored filters; 10 entered, with values), one final
period, and accepted progress on every activity. Timed: freezing the computed values (the
period moves to review), publishing the final report (frozen snapshot, HTML and PDF with
WeasyPrint), both in one transaction like the API does; then `GET /api/v1/plans/{code}` over
real HTTP (uvicorn, anonymous), median and 99th percentile. Targets (issue 10): the report
under 10 s, PDF included; the plan API under 100 ms.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from datetime import date
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import Engine, create_engine, make_url, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings
from app.db import make_engine, unit_of_work
from app.main import create_app
from app.migrate import upgrade
from app.models import EqualityPlan, Mahalle, PeriodState, PlanState
from app.schemas.monitoring import (
    IndicatorCreate,
    ItemCreate,
    ObservationCreate,
    PeriodCreate,
    PlanCreate,
    UnitCreate,
)
from app.services.monitoring import indicators, periods, plans, reports, units
from app.services.monitoring.spreadsheet import OPERATOR
from app.services.reference import municipality_by_code
from bench.generate import generate
from bench.run_all import demo_database

CODE = "BENCH-YEEP"
COMPUTED = [
    ("reports_per_1000_women", ["lighting"]),
    ("reports_per_km2", ["harassment"]),
    ("share_evening_night", ["transport"]),
    ("reports", []),
]


def load() -> str:
    """The machine's load average now (1, 5, 15 min), printed next to every figure."""
    loadavg = Path("/proc/loadavg")
    return " ".join(loadavg.read_text().split()[:3]) if loadavg.exists() else "?"


def seed_database(reports: int, reuse: bool) -> tuple[str, int]:
    """The seed database's URL (demo + N reports), built unless reused; and its report count."""
    seed_url = Settings().database_url
    name = make_url(seed_url).database + "_monitoring_seed" if seed_url else ""
    if reuse and name:
        admin = create_engine(make_url(seed_url).set(database="postgres"))
        with admin.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        admin.dispose()
        if exists:
            url = make_url(seed_url).set(database=name).render_as_string(hide_password=False)
            engine = make_engine(url)
            upgrade(engine)
            with engine.connect() as conn:
                total = conn.execute(text("SELECT count(*) FROM report")).scalar() or 0
            engine.dispose()
            if total >= reports * 0.9:
                print(f"reusing {name}: {total:,} reports")
                return url, total
    settings, engine, factory = demo_database("_monitoring_seed")
    start = time.perf_counter()
    with unit_of_work(factory) as session:
        generate(session, reports)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
        total = conn.execute(text("SELECT count(*) FROM report")).scalar() or 0
    engine.dispose()
    print(f"{total:,} reports in {time.perf_counter() - start:.0f} s")
    return settings.database_url or "", total


def bench_database(seed_url: str) -> tuple[Settings, Engine, sessionmaker[Session]]:
    """A fresh copy of the seed database (a template copy: seconds, not a regeneration)."""
    seed = make_url(seed_url)
    name = seed.database.replace("_monitoring_seed", "_monitoring_bench")
    admin = create_engine(seed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{seed.database}"'))
    admin.dispose()
    url = seed.set(database=name).render_as_string(hide_password=False)
    settings = Settings(DATABASE_URL=url)
    engine = make_engine(url)
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    return settings, engine, sessionmaker(bind=engine, expire_on_commit=False)


def build_plan(session, year: int) -> None:
    """The plan, its tree and indicators, through the real services (rules apply)."""
    cankaya = municipality_by_code(session, "cankaya")
    mahalle = list(
        session.scalars(
            select(Mahalle.code).where(Mahalle.municipality_id == cankaya.id).order_by(Mahalle.code)
        )
    )
    units.create_unit(session, OPERATOR, UnitCreate(municipality="cankaya", code="u", name="U"))
    plan = plans.create_plan(
        session,
        OPERATOR,
        PlanCreate(
            municipality="cankaya",
            code=CODE,
            title_tr="Büyük örnek plan",
            period_start=date(year - 2, 1, 1),
            period_end=date(year, 12, 31),
        ),
    )
    add = lambda body: plans.create_item(session, OPERATOR, plan, body)  # noqa: E731
    targets, n_activities = [], 0
    for t in range(7):
        add(ItemCreate(code=f"{t}", kind="theme", title_tr=f"Tema {t}"))
        for o in range(2):
            objective = f"{t}.{o}"
            add(ItemCreate(code=objective, kind="objective", parent=f"{t}", title_tr="Amaç"))
            for g in range(3 if (t * 2 + o) < 2 else 2):
                if len(targets) == 30:
                    break
                target = f"{objective}.{g}"
                first = (len(targets) * 6) % (len(mahalle) - 6)
                add(
                    ItemCreate(
                        code=target,
                        kind="target",
                        parent=objective,
                        title_tr="Hedef",
                        mahalle=mahalle[first : first + 6],
                    )
                )
                targets.append(target)
    while n_activities < 49:
        parent = targets[n_activities % len(targets)]
        add(
            ItemCreate(
                code=f"{parent}.a{n_activities}",
                kind="activity",
                parent=parent,
                title_tr="Faaliyet",
                responsible_unit="u",
                status="in_progress",
                progress=(n_activities * 7) % 100,
            )
        )
        n_activities += 1
    for i, target in enumerate(targets):
        code, groups = COMPUTED[i % len(COMPUTED)]
        indicators.create_indicator(
            session,
            OPERATOR,
            plan,
            IndicatorCreate(
                code=f"G{i}",
                item=target,
                name_tr=f"Gösterge {i}",
                unit="value",
                level="outcome",
                source="computed",
                computed_code=code,
                computed_groups=groups,
                baseline_value=5.0,
                baseline_period=year - 3,
                target_value=2.0,
                target_period=year + 1,
                direction="decrease",
            ),
        )
    for i in range(10):
        indicators.create_indicator(
            session,
            OPERATOR,
            plan,
            IndicatorCreate(
                code=f"M{i}",
                item=targets[i],
                name_tr=f"Girilen {i}",
                unit="count",
                level="output",
                source="manual",
                baseline_value=10,
                baseline_period=year - 3,
                target_value=100,
                target_period=year + 1,
                direction="increase",
            ),
        )
    for state in (PlanState.consultation, PlanState.approved, PlanState.in_force):
        plans.change_plan_state(session, OPERATOR, plan, state)
    periods.create_period(
        session,
        OPERATOR,
        plan,
        PeriodCreate(
            label="final", kind="final", starts_on=date(year - 2, 1, 1), ends_on=date(year, 12, 31)
        ),
    )
    for i in range(10):
        found = indicators.indicator_by_code(session, plan, f"M{i}")
        periods.enter_observation(
            session, OPERATOR, plan, found, ObservationCreate(period="final", value=40 + i)
        )


def time_report(settings, factory, keep: bool) -> tuple[float, float, float, float]:
    """Seconds to freeze the computed values and to publish the report (HTML + PDF), each
    as wall time and as this process's CPU time (the rest is PostgreSQL, or waiting for a
    core on a loaded machine).

    All in one transaction, like the API; rolled back unless `keep`, so rounds repeat.
    """
    session = factory()
    try:
        plan = session.scalar(select(EqualityPlan).where(EqualityPlan.code == CODE))
        period = periods.period_by_label(session, plan, "final")
        reports.move_period(session, settings, OPERATOR, plan, period, PeriodState.collecting)
        start, cpu = time.perf_counter(), time.process_time()
        reports.move_period(session, settings, OPERATOR, plan, period, PeriodState.under_review)
        frozen, frozen_cpu = time.perf_counter() - start, time.process_time() - cpu
        start, cpu = time.perf_counter(), time.process_time()
        reports.move_period(session, settings, OPERATOR, plan, period, PeriodState.published)
        published, published_cpu = time.perf_counter() - start, time.process_time() - cpu
        if keep:
            session.commit()
    finally:
        session.rollback()
        session.close()
    return frozen, frozen_cpu, published, published_cpu


def time_api(settings, requests: int) -> tuple[float, float, int]:
    """Median and p99 ms of the public plan API over real HTTP, and the answer's bytes."""
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    samples, size = [], 0
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        for i in range(requests + 5):
            start = time.perf_counter()
            answer = client.get(f"/api/v1/plans/{CODE}")
            elapsed = (time.perf_counter() - start) * 1000
            answer.raise_for_status()
            size = len(answer.content)
            if i >= 5:  # warm-up
                samples.append(elapsed)
    server.should_exit = True
    thread.join(timeout=10)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1], size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3, help="final reports to build and time")
    parser.add_argument("--reuse", action="store_true", help="keep the seed database if present")
    args = parser.parse_args()
    seed_url, total = seed_database(args.reports, args.reuse)
    settings, engine, factory = bench_database(seed_url)
    year = date.today().year
    with unit_of_work(factory) as session:
        build_plan(session, year)
    print(f"plan: 100 items, 40 indicators (30 computed over 6 mahalle each), {total:,} reports")
    # WeasyPrint and its fonts load on the first PDF of a process, as in the app: a warm-up
    # round (rolled back) keeps that one-off cost out of the figures; it is printed.
    frozen, frozen_cpu, published, published_cpu = time_report(settings, factory, keep=False)
    print(
        f"warm-up round (cold database copy, first PDF of the process): freeze {frozen:5.2f} s "
        f"(cpu {frozen_cpu:4.2f}), publish {published:5.2f} s (cpu {published_cpu:4.2f}); "
        f"load {load()}"
    )
    rounds = []
    for i in range(args.rounds):
        frozen, frozen_cpu, published, published_cpu = time_report(
            settings, factory, keep=i == args.rounds - 1
        )
        rounds.append(frozen + published)
        print(
            f"round {i + 1}: freeze {frozen:5.2f} s (cpu {frozen_cpu:4.2f}), publish (snapshot, "
            f"HTML, PDF) {published:5.2f} s (cpu {published_cpu:4.2f}), in all "
            f"{frozen + published:5.2f} s; load {load()}"
        )
    rounds.sort()
    print(
        f"final report in all: median {statistics.median(rounds):6.2f} s, "
        f"worst {rounds[-1]:6.2f} s over {len(rounds)} (target < 10 s)"
    )
    median, p99, size = time_api(settings, args.requests)
    print(
        f"GET /api/v1/plans/{CODE}: median {median:.1f} ms, p99 {p99:.1f} ms, {size:,} bytes; "
        f"load {load()}"
    )
    engine.dispose()


if __name__ == "__main__":
    main()
