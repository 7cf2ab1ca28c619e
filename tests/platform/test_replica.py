"""Public reads from a real streaming replica; writes and staff reads on the primary.

A throwaway primary (app/localdb.py in a temporary directory, never the shared cluster) and
its hot standby made with `pg_basebackup -R`, both logging every statement with the client's
application_name, so the test reads from the servers themselves where each query ran.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import sessionmaker

from app import localdb, replica
from app.config import Settings
from app.db import unit_of_work
from app.main import create_app
from app.models import Role
from bench.durability import free_port, prepare, throwaway_cluster
from tests.support.factories import PASSWORD, make_user, report_payload

ENTRY = re.compile(r"^@@(?P<app>[^@]*)@@ ", re.M)
STATEMENT = re.compile(r"^LOG:  (statement|execute [^:]*): ")


@dataclass
class ServerLog:
    """A server's log, read entry by entry (each starts with @@application_name@@)."""

    path: Path
    offset: int = 0

    def skip(self) -> None:
        self.offset = self.path.stat().st_size

    def entries(self) -> list[tuple[str, str]]:
        """(application_name, text) of the statements logged since the last call."""
        with self.path.open("rb") as fh:
            fh.seek(self.offset)
            data = fh.read().decode("utf-8", "replace")
        self.offset += len(data.encode())
        starts = list(ENTRY.finditer(data))
        entries = [
            (m["app"], data[m.end() : starts[i + 1].start() if i + 1 < len(starts) else None])
            for i, m in enumerate(starts)
        ]
        return [(app, entry) for app, entry in entries if STATEMENT.match(entry)]

    def reads_of(self, table: str) -> list[str]:
        """Application names of the statements since the last call that read `table`."""
        pattern = re.compile(rf"\bFROM {table}\b")
        return [app for app, entry in self.entries() if pattern.search(entry)]


class Served:
    """The app under uvicorn in a thread, on a free loopback port."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            assert time.monotonic() < deadline, "uvicorn did not start"
            time.sleep(0.05)

    @property
    def routing(self) -> replica.ReadRouting:
        return self.app.state.read_routing

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@dataclass
class Pair:
    primary: localdb.Cluster
    standby: localdb.Cluster
    primary_log: ServerLog
    standby_log: ServerLog


def _psql(cluster: localdb.Cluster, sql: str) -> None:
    engine = create_engine(cluster.url("postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(sql))
    engine.dispose()


@pytest.fixture(scope="module")
def pair() -> Iterator[Pair]:
    with throwaway_cluster() as (primary, _):
        prepare(primary.url())
        # Every statement in the log, with the client's application_name; the standby's
        # configuration is a copy of the primary's (postgresql.auto.conf).
        _psql(primary, "ALTER SYSTEM SET log_statement = 'all'")
        _psql(primary, "ALTER SYSTEM SET log_line_prefix = '@@%a@@ '")
        _psql(primary, "SELECT pg_reload_conf()")
        standby_dir = primary.datadir.parent / f"{primary.datadir.name}-standby"
        standby = localdb.make_standby(primary, standby_dir, free_port())
        try:
            yield Pair(primary, standby, ServerLog(primary.logfile), ServerLog(standby.logfile))
        finally:
            if localdb.is_running(standby):
                localdb.stop(standby, "immediate")
            shutil.rmtree(standby_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def served(pair) -> Iterator[Served]:
    settings = Settings(
        _env_file=None,
        DATABASE_URL=pair.primary.url(),
        DATABASE_REPLICA_URL=pair.standby.url(),
        environment="test",
        secret_key="test-secret-key-not-for-production",
        tile_url="",
        argon2_time_cost=1,
        argon2_memory_cost_kib=8,
        argon2_parallelism=1,
        replica_check_interval_s=0.2,
        replica_max_lag_s=1.0,
    )
    app = Served(settings)
    try:
        yield app
    finally:
        app.stop()


def _wait(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def _staff_client(served: Served, role: Role) -> httpx.Client:
    engine = create_engine(served.app.state.settings.database_url)
    with unit_of_work(sessionmaker(bind=engine, expire_on_commit=False)) as db:
        user = make_user(db, served.app.state.settings, role)
    engine.dispose()
    client = httpx.Client(base_url=served.url, timeout=10)
    response = client.post("/api/v1/auth/login", json={"email": user.email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = client.cookies["mh_csrf"]
    return client


def _public_ids(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {f["properties"]["public_id"] for f in response.json()["features"]}


def test_public_reads_go_to_the_standby_and_staff_reads_and_writes_to_the_primary(served, pair):
    public = httpx.Client(base_url=served.url, timeout=10)
    moderator = _staff_client(served, Role.moderator)
    health = public.get("/health").json()
    assert health["replica"] == {
        "configured": True,
        "in_use": True,
        "lag_s": 0.0,
        "reason": "streaming",
    }, health

    pair.primary_log.skip()
    pair.standby_log.skip()
    created = public.post("/api/v1/reports", json=report_payload())
    assert created.status_code == 201, created.text
    public_id = created.json()["public_id"]
    assert pair.standby_log.reads_of("report") == []  # the write went to the primary alone

    approved = moderator.post(f"/api/v1/moderation/reports/{public_id}/approve", json={})
    assert approved.status_code == 200, approved.text
    pair.primary_log.skip()
    pair.standby_log.skip()

    # Her own screen, at once: the primary, so the report she just approved is there.
    mine = moderator.get("/api/v1/reports", params={"limit": 1000})
    assert public_id in _public_ids(mine)
    assert set(pair.primary_log.reads_of("report")) == {replica.PRIMARY_APPLICATION}
    assert pair.standby_log.reads_of("report") == []

    # The public: the standby, once it has replayed the approval.
    _wait(lambda: public_id in _public_ids(public.get("/api/v1/reports")))
    assert set(pair.standby_log.reads_of("report")) == {replica.REPLICA_APPLICATION}
    assert pair.primary_log.reads_of("report") == []

    # Each kind of public read goes to the standby: indicators, pages, reference layers.
    for path in ("/api/v1/indicators", "/api/v1/mahalle", "/", "/plans", "/api/v1/services"):
        assert public.get(path).status_code == 200, path
        assert pair.primary_log.entries() == [], (path, served.routing.state)
        standby_apps = {app for app, _ in pair.standby_log.entries()}
        assert standby_apps == {replica.REPLICA_APPLICATION}, path


def test_no_write_is_possible_on_the_public_read_path(served, pair):
    routing = served.routing
    assert routing.replica_factory is not None
    insert = text("UPDATE report SET status = 'deleted'")
    for factory, refusal in (
        (routing.replica_factory, "read-only transaction"),
        (routing.primary_read_factory, "read-only transaction"),  # the fallback too
    ):
        session = factory()
        with pytest.raises(DBAPIError) as refused:
            session.execute(insert)
        assert refusal in str(refused.value.orig)
        session.close()


def test_a_lagging_standby_sends_public_reads_back_to_the_primary(served, pair):
    public = httpx.Client(base_url=served.url, timeout=10)
    _psql(pair.standby, "SELECT pg_wal_replay_pause()")
    try:
        _psql(pair.primary, "CREATE TABLE lag_probe AS SELECT 1 AS x")  # WAL to replay
        _wait(lambda: not public.get("/health").json()["replica"]["in_use"])
        state = public.get("/health").json()["replica"]
        assert state["reason"].startswith("lagging"), state
        assert state["lag_s"] > 1.0
        pair.primary_log.skip()
        pair.standby_log.skip()
        assert public.get("/api/v1/reports").status_code == 200
        assert set(pair.primary_log.reads_of("report")) == {replica.PRIMARY_APPLICATION}
        assert pair.standby_log.reads_of("report") == []
    finally:
        _psql(pair.standby, "SELECT pg_wal_replay_resume()")
        _psql(pair.primary, "DROP TABLE IF EXISTS lag_probe")
    _wait(lambda: public.get("/health").json()["replica"]["in_use"])


def test_public_reads_keep_answering_from_the_primary_when_the_standby_is_stopped(served, pair):
    public = httpx.Client(base_url=served.url, timeout=10)
    assert public.get("/api/v1/reports").status_code == 200
    localdb.stop(pair.standby, "fast")
    try:
        pair.primary_log.skip()
        slowest = 0.0
        for path in ("/api/v1/reports", "/api/v1/indicators", "/", "/api/v1/reports"):
            started = time.monotonic()
            response = public.get(path)
            slowest = max(slowest, time.monotonic() - started)
            assert response.status_code == 200, (path, response.text)
        assert slowest < 2.0  # refused at once, no hang
        assert set(pair.primary_log.reads_of("report")) == {replica.PRIMARY_APPLICATION}
        health = public.get("/health")
        assert health.status_code == 200
        state = health.json()["replica"]
        assert state["in_use"] is False and state["reason"].startswith("unreachable"), state
    finally:
        localdb.start(pair.standby)
    _wait(lambda: public.get("/health").json()["replica"]["in_use"], timeout=30)
    pair.standby_log.skip()
    assert public.get("/api/v1/reports").status_code == 200
    assert set(pair.standby_log.reads_of("report")) == {replica.REPLICA_APPLICATION}
