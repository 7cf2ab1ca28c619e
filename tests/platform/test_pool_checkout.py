"""A pooled connection the server has closed is replaced when it is taken, with no pre-ping
round trip for the healthy ones (app/db.py, `_discard_if_closed`)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from app.db import make_engine


def _wait_gone(engine, pid: int) -> None:
    deadline = time.monotonic() + 10
    with engine.connect() as conn:
        while conn.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
        ).scalar_one():
            assert time.monotonic() < deadline, "the backend did not exit"
            time.sleep(0.05)


@pytest.fixture
def engines(settings) -> Iterator[tuple[Engine, Engine]]:
    """A one-connection pool of the app's kind, and another engine to watch it from."""
    engine = make_engine(settings.database_url, pool_size=1, max_overflow=0)
    other = create_engine(settings.database_url)
    yield engine, other
    engine.dispose()
    other.dispose()


def test_a_connection_the_server_closed_is_replaced_at_checkout(engines):
    engine, other = engines
    with engine.connect() as conn:
        first = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with other.connect() as conn:
        assert conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first}).scalar()
    _wait_gone(other, first)
    # The pool holds only the closed connection: it is refused and a new one opened, so
    # the first request after a restart succeeds.
    with engine.connect() as conn:
        second = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    assert second != first
    # A healthy pooled connection is handed out as it is.
    with engine.connect() as conn:
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() == second


def _last_statement(engine, pid: int) -> str:
    with engine.connect() as conn:
        return conn.execute(
            text("SELECT query FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
        ).scalar_one()


def test_a_healthy_checkout_sends_nothing(engines):
    engine, other = engines
    with engine.connect() as conn:
        pid = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()
    assert _last_statement(other, pid) == "ROLLBACK"  # the pool's reset on return
    with engine.connect() as conn:
        # Taken from the pool, nothing run yet: a pre-ping would have sent `SELECT 1`.
        assert _last_statement(other, pid) == "ROLLBACK"
        assert conn.execute(text("SELECT pg_backend_pid()")).scalar_one() == pid
