"""Nothing acknowledged is lost: posts over HTTP while PostgreSQL is stopped and started.

    python -m bench.durability [--posts N] [--clients C] [--workers W] [--mode immediate|fast]

Makes a throwaway PostGIS cluster in a temporary directory on its own port (app/localdb.py,
with the durability the local cluster keeps: synchronous_commit on), migrates it, loads the
Ankara boundaries and categories, serves the app with `morharita serve --workers W`, and
posts N reports from C clients. Halfway it stops PostgreSQL (`immediate`: as a crash would,
by default) and starts it again a moment later. Then it counts, from the database:

- acknowledged: answered 201; lost: acknowledged but not a row (must be 0);
- refused: answered anything else (503 while the database was down) and not a row;
- reported: not answered 201 but a row, and the sender was told so (503 `outcome_unknown`
  with the report's public id and tracking code); unreported: a row whose sender was told
  nothing of it (must be 0);
- the slowest refusal (the API must answer within 2 s, not hang) and whether every refusal
  carried Retry-After.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.orm import sessionmaker

from app import localdb
from app.config import Settings
from app.db import unit_of_work
from app.migrate import upgrade
from app.models import MunicipalityKind
from app.services.imports import MunicipalityChoice
from app.services.imports.boundaries import BoundaryFields, import_boundaries
from app.services.reference import ensure_municipality, seed_categories

ROOT = Path(__file__).resolve().parent.parent
BOUNDARIES = ROOT / "data" / "demo" / "ankara" / "mahalle_cankaya_yenimahalle.geojson"
KIZILAY = (32.854163, 39.920857)
JSON_HEADERS = {"Content-Type": "application/json"}
HIGH = str(10**9)  # intake ceilings out of the way: this measures durability, not limits


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def throwaway_cluster() -> Iterator[tuple[localdb.Cluster, Settings]]:
    """A new local cluster in a temporary directory on a free port; removed afterwards."""
    tmp = Path(tempfile.mkdtemp(prefix="morharita-durability-"))
    settings = Settings(_env_file=None, data_dir=tmp, local_db_port=free_port())
    cluster = localdb.up(settings)
    try:
        yield cluster, settings
    finally:
        if localdb.is_running(cluster):
            localdb.stop(cluster, "immediate")
        shutil.rmtree(cluster.datadir, ignore_errors=True)
        shutil.rmtree(tmp, ignore_errors=True)


def prepare(url: str) -> None:
    """Migrate, and load the categories and the Ankara boundaries."""
    engine = create_engine(url)
    upgrade(engine)
    with unit_of_work(sessionmaker(bind=engine, expire_on_commit=False)) as session:
        seed_categories(session)
        ensure_municipality(session, "ankara", "Ankara BB", MunicipalityKind.metropolitan)
        import_boundaries(
            session,
            BOUNDARIES,
            fields=BoundaryFields(code="osm_id", name="name", district="ilce", province="il"),
            municipality=MunicipalityChoice(field="ilce", create=True, parent="ankara"),
        )
    engine.dispose()


@contextmanager
def served(url: str, workers: int) -> Iterator[str]:
    """`morharita serve` on a free port against `url`; its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MORHARITA_INTAKE_REPORTS_PER_CLIENT": HIGH,
        "MORHARITA_INTAKE_REPORTS_PER_MAHALLE": HIGH,
        "MORHARITA_INTAKE_REPORTS_TOTAL": HIGH,
    }
    command = [str(Path(sys.executable).with_name("morharita")), "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(workers)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the app did not start: {process.stderr.read()[-2000:]}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def payload(marker: str) -> dict:
    return {
        "category": "dark_street",
        "location": {"lon": KIZILAY[0], "lat": KIZILAY[1]},
        "occurred_on": date.today().replace(day=1).isoformat(),
        "time_band": "night",
        "perceived_safety": 2,
        "text": marker,
        "consent": True,
    }


@dataclass
class Outcome:
    sent: int = 0
    acknowledged: set[str] = field(default_factory=set)
    told_unknown: set[str] = field(default_factory=set)  # 503 outcome_unknown: sender told
    refused: set[str] = field(default_factory=set)
    statuses: dict[int, int] = field(default_factory=dict)
    slowest_refusal_s: float = 0.0
    refusals_without_retry_after: int = 0
    health_while_down: int | None = None
    restarted_at: float | None = None
    acknowledged_after_restart: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _post(conn: http.client.HTTPConnection, body: bytes) -> tuple[int, str | None, dict]:
    """One post on a kept-alive connection: (status, Retry-After, JSON answer)."""
    conn.request("POST", "/api/v1/reports", body=body, headers=JSON_HEADERS)
    response = conn.getresponse()
    data = response.read()
    try:
        answer = json.loads(data) if data else {}
    except ValueError:
        answer = {}
    return response.status, response.getheader("Retry-After"), answer


def _client(base: str, run: str, numbers: range, outcome: Outcome) -> None:
    """Post one report per number, one after the other, on one kept-alive connection (the
    standard library's client: a heavier one would take the server's CPU on a small
    machine); a broken connection is opened again for the next post."""
    host, port = base.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    for i in numbers:
        marker = f"durability {run} {i}"
        body = json.dumps(payload(marker)).encode()
        start = time.monotonic()
        try:
            status, retry_after, answer = _post(conn, body)
        except (OSError, http.client.HTTPException):
            conn.close()  # reconnects on the next request
            status, retry_after, answer = 0, None, {}
        elapsed = time.monotonic() - start
        with outcome.lock:
            outcome.sent += 1
            outcome.statuses[status] = outcome.statuses.get(status, 0) + 1
            if status == 201:
                outcome.acknowledged.add(marker)
                if outcome.restarted_at is not None and start > outcome.restarted_at:
                    outcome.acknowledged_after_restart += 1
                continue
            outcome.slowest_refusal_s = max(outcome.slowest_refusal_s, elapsed)
            if retry_after is None:
                outcome.refusals_without_retry_after += 1
            error = answer.get("error") if isinstance(answer, dict) else None
            code = error.get("code") if isinstance(error, dict) else None
            (outcome.told_unknown if code == "outcome_unknown" else outcome.refused).add(marker)
        time.sleep(0.05)  # a real sender waits (Retry-After); this one only briefly
    conn.close()


def run(
    posts: int = 100_000,
    clients: int = 4,
    workers: int = 2,
    mode: str = "immediate",
    down_s: float = 2.0,
    progress: bool = False,
) -> dict:
    """Post `posts` reports while PostgreSQL is stopped and started once; the counts."""
    run_id = uuid.uuid4().hex[:8]
    with throwaway_cluster() as (cluster, cluster_settings):
        url = cluster.url()
        prepare(url)
        with served(url, workers) as base:
            outcome = Outcome()
            per = -(-posts // clients)
            threads = [
                threading.Thread(
                    target=_client,
                    args=(base, run_id, range(c * per, min(posts, (c + 1) * per)), outcome),
                )
                for c in range(clients)
            ]
            for t in threads:
                t.start()
            while outcome.sent < posts // 2 and any(t.is_alive() for t in threads):
                time.sleep(0.01)
            localdb.stop(cluster, mode)
            time.sleep(down_s / 2)
            outcome.health_while_down = httpx.get(f"{base}/health", timeout=5).status_code
            time.sleep(down_s / 2)
            restarted = localdb.up(cluster_settings)
            assert restarted.port == cluster.port
            outcome.restarted_at = time.monotonic()
            for t in threads:
                while t.is_alive():
                    t.join(timeout=60)
                    if progress:
                        load = os.getloadavg()[0]
                        print(f"  {outcome.sent}/{posts} sent, load {load:.2f}", file=sys.stderr)
        engine = create_engine(url)
        with engine.connect() as conn:
            stored = set(
                conn.scalars(
                    text("SELECT text FROM report WHERE text LIKE :p"),
                    {"p": f"durability {run_id} %"},
                )
            )
        engine.dispose()
    unanswered_rows = stored - outcome.acknowledged
    return {
        "posts": outcome.sent,
        "statuses": dict(sorted(outcome.statuses.items())),
        "acknowledged": len(outcome.acknowledged),
        "rows": len(stored),
        "lost": len(outcome.acknowledged - stored),
        "acknowledged_after_restart": outcome.acknowledged_after_restart,
        "refused": len(outcome.refused),
        "refused_absent": len(outcome.refused - stored),
        "told_outcome_unknown": len(outcome.told_unknown),
        "reported": len(unanswered_rows & outcome.told_unknown),
        "unreported": len(unanswered_rows - outcome.told_unknown),
        "slowest_refusal_s": round(outcome.slowest_refusal_s, 3),
        "refusals_without_retry_after": outcome.refusals_without_retry_after,
        "health_while_down": outcome.health_while_down,
        "mode": mode,
        "workers": workers,
        "clients": clients,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--mode", choices=["immediate", "fast"], default="immediate")
    args = parser.parse_args()
    start = time.monotonic()
    result = run(args.posts, args.clients, args.workers, args.mode, progress=True)
    result["load_average"] = tuple(round(x, 2) for x in os.getloadavg())  # 1, 5, 15 min
    for key, value in result.items():
        print(f"{key:>30}: {value}")
    print(f"{'seconds':>30}: {time.monotonic() - start:.0f}")
    if result["lost"] or result["unreported"]:
        raise SystemExit("acknowledged reports were lost, or rows were left unreported")


if __name__ == "__main__":
    main()
