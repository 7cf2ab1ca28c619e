"""Helpers of bench/ogc_vs_tipg.py: the data set, tipg in its own virtualenv, wrk, pgbench.

Nothing here runs in `make test`; every server listens on 127.0.0.1 only.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import create_engine, event, literal_column, make_url, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import sessionmaker

from app import localdb
from app.db import unit_of_work
from app.models import Category, Report
from app.services.visibility import public_point_reports
from bench.durability import free_port, prepare
from bench.generate import generate

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / ".bench"
TIPG_VENV = BENCH_DIR / "tipg"
TIPG_REQUIREMENT = "tipg>=1.6,<1.7"
VIEW = "bench_public_points"


# The data set ---------------------------------------------------------------------------


def public_points_view_sql() -> str:
    """CREATE VIEW of exactly the public points (the app's own rule, compiled to SQL)."""
    stmt = public_point_reports().with_only_columns(
        Report.public_id.label("id"),
        Category.code.label("category"),
        Report.time_band,
        Report.occurred_on,
        Report.perceived_safety,
        Report.municipal_status,
        Report.published_at,
        # The column itself (typed geometry(Point, 4326)), not GeoAlchemy2's ST_AsEWKB of it.
        literal_column("report.public_location").label("geom"),
    )
    compiled = stmt.compile(dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True})
    return f"CREATE OR REPLACE VIEW {VIEW} AS {compiled}"


def build_database(server_url: str, name: str, reports: int, *, reuse: bool) -> str:
    """A database `name` with the Ankara mahalle, `reports` synthetic reports and the view."""
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    if reuse and _report_count(url) >= reports * 0.99:
        print(f"reusing {name}: {_report_count(url):,} reports", flush=True)
        return url
    started = time.perf_counter()
    url = localdb.recreate_database(server_url, name)
    prepare(url)  # migrations, categories, the real Ankara mahalle and municipalities
    engine = create_engine(url)
    with unit_of_work(sessionmaker(bind=engine)) as session:
        made = generate(session, reports, seed=11)
        session.execute(text(public_points_view_sql()))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()
    print(f"built {name}: {made:,} reports in {time.perf_counter() - started:.0f} s", flush=True)
    return url


def _report_count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM report")).scalar_one()
    except Exception:  # no such database or table yet
        return 0
    finally:
        engine.dispose()


def dataset_summary(url: str) -> dict:
    """How many reports there are, and of which kind."""
    engine = create_engine(url)
    with engine.connect() as conn:
        row = conn.execute(
            text(
                f"""SELECT count(*) AS reports,
                       count(*) FILTER (WHERE r.status = 'published') AS published,
                       count(*) FILTER (WHERE r.status = 'pending') AS pending,
                       count(*) FILTER (WHERE c.sensitive) AS sensitive,
                       (SELECT count(*) FROM {VIEW}) AS public_points,
                       (SELECT ST_Extent(geom)::text FROM mahalle) AS extent
                FROM report r JOIN category c ON c.id = r.category_id"""
            )
        ).one()
    engine.dispose()
    return dict(row._mapping)


# Servers --------------------------------------------------------------------------------


def ensure_tipg() -> Path:
    """tipg 1.6 from PyPI in its own virtualenv under .bench/ (its pins are its own)."""
    uvicorn = TIPG_VENV / "bin" / "uvicorn"
    if not uvicorn.exists():
        subprocess.run([sys.executable, "-m", "venv", str(TIPG_VENV)], check=True)
        pip = [str(TIPG_VENV / "bin" / "pip"), "install", "--quiet"]
        subprocess.run([*pip, TIPG_REQUIREMENT, "uvicorn"], check=True)
    return uvicorn


@contextmanager
def tipg_served(url: str, workers: int) -> Iterator[str]:
    """tipg on a free loopback port, serving only the public points view of `url`."""
    uvicorn = ensure_tipg()
    port = free_port()
    plain = url.replace("postgresql+psycopg://", "postgresql://")
    env = {
        **os.environ,
        "DATABASE_URL": plain,
        "TIPG_DB_SCHEMAS": '["public"]',
        "TIPG_DB_TABLES": f'["public.{VIEW}"]',
        "TIPG_DB_FUNCTIONS": "[]",
        "TIPG_MAX_FEATURES_PER_QUERY": "10000",
        # One pool per worker, like ours (5 + 5).
        "DB_MIN_CONN_SIZE": "1",
        "DB_MAX_CONN_SIZE": "10",
    }
    command = [str(uvicorn), "tipg.main:app", "--host", "127.0.0.1", "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    # cwd: tipg reads a `.env` of its working directory; not ours.
    with _running([*command, "--workers", str(workers)], env, base, cwd=BENCH_DIR) as running:
        yield running


@contextmanager
def ours_served(url: str, workers: int, cache_mb: int | None = None) -> Iterator[str]:
    """`morharita serve --workers N` against `url` on a free loopback port (`cache_mb`: the
    tile and layer cache's budget; 0 computes every answer)."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url}
    if cache_mb is not None:
        env["MORHARITA_LAYER_CACHE_MB"] = str(cache_mb)
    env.pop("DATABASE_REPLICA_URL", None)
    command = [str(Path(sys.executable).with_name("morharita")), "serve", "--port", str(port)]
    with _running([*command, "--workers", str(workers)], env, f"http://127.0.0.1:{port}") as base:
        yield base


@contextmanager
def _running(command: list[str], env: dict, base: str, cwd: Path | None = None) -> Iterator[str]:
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            command, env=env, stdout=log, stderr=subprocess.STDOUT, text=True, cwd=cwd
        )
        try:
            deadline = time.monotonic() + 180
            while True:
                try:
                    if httpx.get(base + "/", timeout=5).status_code < 500:
                        break
                except httpx.HTTPError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    raise RuntimeError(f"{command[0]} did not start:\n{log.read()[-3000:]}")
                time.sleep(0.3)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


# Load -----------------------------------------------------------------------------------


@dataclass
class Measure:
    """One load run: requests (or transactions) per second and latency percentiles."""

    rps: float
    p50_ms: float
    p99_ms: float
    errors: int = 0


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(url: str, seconds: int, connections: int, threads: int = 2) -> Measure:
    """wrk against `url` (keep-alive connections); its requests/s, p50, p99 and non-2xx."""
    wrk_bin = shutil.which("wrk")
    if wrk_bin is None:
        raise SystemExit("wrk is missing: run scripts/system-deps.sh bench")
    out = subprocess.run(
        [
            wrk_bin,
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "60s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(bad.group(1)) if bad else 0) + (
        sum(int(g) for g in socket.groups()) if socket else 0
    )
    return Measure(rps, p50, p99, errors)


def pgbench(url: str, script: str, seconds: int, clients: int, threads: int = 2) -> Measure:
    """pgbench -f with `script` (literal values, simple protocol): tx/s, p50, p99."""
    bindir = localdb.find_bindir()
    if bindir is None:
        raise SystemExit("pgbench is missing (PostgreSQL's binaries)")
    parsed = make_url(url)
    with tempfile.TemporaryDirectory(prefix="morharita-pgbench-") as tmp:
        path = Path(tmp) / "query.sql"
        path.write_text(script)
        command = [
            str(bindir / "pgbench"),
            *("-h", parsed.host or "127.0.0.1", "-p", str(parsed.port or 5432)),
            *("-U", parsed.username or "postgres", "-n", "-M", "simple"),
            *("-c", str(clients), "-j", str(threads), "-T", str(seconds)),
            *("-f", str(path), "-l", "--log-prefix", str(Path(tmp) / "tx")),
            parsed.database or "postgres",
        ]
        env = {**os.environ, "PGPASSWORD": parsed.password or ""}
        out = subprocess.run(command, capture_output=True, text=True, env=env, cwd=tmp)
        if out.returncode != 0:
            raise RuntimeError(f"pgbench failed: {out.stderr[-2000:]}")
        latencies = []
        for log in Path(tmp).glob("tx*"):
            latencies += [int(line.split()[2]) / 1000 for line in log.read_text().splitlines()]
    tps = float(re.search(r"tps = ([\d.]+)", out.stdout).group(1))  # type: ignore[union-attr]
    return Measure(tps, _percentile(latencies, 50), _percentile(latencies, 99))


def _percentile(values: list[float], p: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1]


# What our app sends to PostgreSQL for one request ---------------------------------------


def captured_sql(app_factory, path: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The statements our app runs for GET `path`, with their values inlined (in-process)."""
    from fastapi.testclient import TestClient

    statements: list[str] = []
    app = app_factory()
    with TestClient(app) as client:
        engine = app.state.engine

        def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
            mogrified = psycopg.ClientCursor(cursor.connection).mogrify(statement, parameters)
            statements.append(mogrified)

        client.get(path)  # warm-up: what is cached per process is not counted
        event.listen(engine, "before_cursor_execute", capture)
        response = client.get(path)
        event.remove(engine, "before_cursor_execute", capture)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: {response.status_code} {response.text[:300]}")
    return statements


def pgbench_script(statements: list[str]) -> str:
    """One transaction of `statements`, as the request runs them."""
    body = "".join(f"{s.strip().rstrip(';')};\n" for s in statements)
    return f"BEGIN;\n{body}COMMIT;\n"
