"""Test harness: real PostgreSQL + PostGIS, migrated once per session, each test rolled back.

The database is `<name>_test` next to DATABASE_URL when that is set, otherwise on the local
cluster under `.data/` (started if needed). Every test runs inside one outer transaction on
one connection; the app under test (served over real HTTP by uvicorn) is bound to that same
connection with savepoints, so what a request commits is rolled back after the test.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn
from sqlalchemy import Connection, Engine, create_engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from app import localdb
from app.api.deps import get_session_factory
from app.config import Settings
from app.db import unit_of_work
from app.main import create_app
from app.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
ANKARA = ROOT / "data" / "demo" / "ankara"
TEST_DB = "morharita_test"


IDENTITY_PTABLE = Path(__file__).parent / "support" / "ptable_identity.csv"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    explicit = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL")
    if explicit:
        server = Settings(_env_file=None, DATABASE_URL=explicit).database_url
    else:
        server = localdb.up(Settings(_env_file=None, data_dir=ROOT / ".data")).url()
    assert server is not None
    name = make_url(server).database
    url = localdb.recreate_database(server, f"{name}_test" if name != TEST_DB else name)
    # The suite's own throwaway database trades durability for speed, explicitly and only
    # here: the local cluster itself keeps synchronous_commit on (app/localdb.py).
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(
            f'ALTER DATABASE "{make_url(url).database}" SET synchronous_commit = off'
        )
    admin.dispose()
    return url


@pytest.fixture(scope="session")
def settings(database_url) -> Settings:
    return Settings(
        _env_file=None,
        DATABASE_URL=database_url,
        environment="test",
        secret_key="test-secret-key-not-for-production",
        tile_url="",  # tests never need tiles
        # Zero noise: most tests check exact counts for other reasons (suppression, scope,
        # formats). The perturbation itself is tested against the shipped table in
        # tests/planning/test_cell_key*.py, with an app of its own.
        perturbation_table=IDENTITY_PTABLE,
        # argon2's cheapest parameters: hashing takes microseconds instead of ~0.15 s.
        argon2_time_cost=1,
        argon2_memory_cost_kib=8,
        argon2_parallelism=1,
        # Every test posts from 127.0.0.1; the intake ceilings have their own tests, with
        # their own small limits (tests/reporting/test_intake_limits.py).
        intake_reports_per_client=100_000,
        intake_photos_per_client=100_000,
        intake_confirmations_per_client=100_000,
        # The served test apps share the test database: webhooks are delivered by the tests
        # that say so (run_once, or an app of their own: tests/standards/test_webhook_loop.py).
        webhooks_worker=False,
    )


@pytest.fixture(scope="session")
def engine(settings) -> Iterator[Engine]:
    """The migrated test database, with the base data every test may rely on."""
    engine = create_engine(settings.database_url, pool_size=5)
    upgrade(engine)
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with unit_of_work(factory) as session:
        load_base_data(session, settings)
    yield engine
    engine.dispose()


def load_base_data(session: Session, settings: Settings) -> None:
    """Seed categories, and the real Ankara boundaries and population (committed once)."""
    from app.services.reference.categories import seed_categories

    seed_categories(session)
    try:
        from tests.support.base_data import load_ankara
    except ImportError:  # the importers are not wired yet
        return
    load_ankara(session, settings)


@pytest.fixture
def connection(engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        if outer.is_active:
            outer.rollback()


@pytest.fixture
def session_factory(connection) -> sessionmaker[Session]:
    return sessionmaker(
        bind=connection, expire_on_commit=False, join_transaction_mode="create_savepoint"
    )


@pytest.fixture
def db(session_factory) -> Iterator[Session]:
    """A session inside the test's transaction; commit() only releases a savepoint."""
    session = session_factory()
    yield session
    session.close()


class LiveServer:
    """The app served by uvicorn on a free loopback port, in a background thread."""

    def __init__(self, settings: Settings) -> None:
        self.app = create_app(settings)
        self.lock = threading.Lock()
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)

    def bind(self, factory: sessionmaker[Session] | None) -> None:
        """Serve requests with sessions from `factory` (the test's connection), one at a time."""
        if factory is None:
            self.app.dependency_overrides.clear()
            return
        lock = self.lock

        class Serialised:
            # One connection cannot run two requests at once; the browser sends several.
            def __call__(self) -> Session:
                # A session that is never closed would otherwise hang the suite, not fail it.
                if not lock.acquire(timeout=30):
                    raise RuntimeError("a previous request still holds the test connection")
                session = factory()
                original_close = session.close

                def close() -> None:
                    try:
                        original_close()
                    finally:
                        lock.release()

                session.close = close  # type: ignore[method-assign]
                return session

        serialised = Serialised()
        self.app.dependency_overrides[get_session_factory] = lambda: serialised

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(settings, engine) -> Iterator[LiveServer]:
    server = LiveServer(settings)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def server(live_server, session_factory) -> Iterator[LiveServer]:
    """The live server, bound to this test's transaction."""
    live_server.bind(session_factory)
    yield live_server
    # A page closed at the end of a browser test can leave requests in flight (map tiles):
    # let them reach the server and finish on this test's connection, not on the next one's
    # (one that failed there aborted the next test's transaction before it began).
    time.sleep(0.05)
    with live_server.lock:
        live_server.bind(None)


@pytest.fixture
def client(server) -> Iterator[httpx.Client]:
    """A real HTTP client against the live server."""
    with httpx.Client(base_url=server.url, timeout=30) as http:
        yield http
