"""Engine and session factory (made at startup from Settings) and the request-scoped session."""

from __future__ import annotations

import select
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import psycopg
from psycopg import pq
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from app.errors import DomainError, OutcomeUnknown

if TYPE_CHECKING:
    from app.config import Settings

# Where a use case leaves what its answer would say (e.g. a report's public id and tracking
# code), so that a commit whose outcome is unknown can still tell the sender (OutcomeUnknown).
RECEIPT = "receipt"


def make_engine(
    url: str,
    *,
    connect_timeout_s: int = 2,
    statement_timeout_ms: int | None = None,
    lock_timeout_ms: int | None = None,
    default_read_only: bool = False,
    **kwargs,
) -> Engine:
    """An engine for `url` that never hangs on an absent database and recovers when it returns.

    A pooled connection the server has closed (a restart) is replaced when it is taken from
    the pool (`_discard_if_closed`), so the first request after PostgreSQL is back succeeds;
    connect_timeout and pool_timeout bound the wait when it is not (the request is then
    answered 503).
    """
    # Never log statement parameters: they hold exact locations and reporters' words.
    kwargs.setdefault("hide_parameters", True)
    kwargs.setdefault("pool_size", 5)
    kwargs.setdefault("max_overflow", 5)
    kwargs.setdefault("pool_timeout", 2)
    options = []
    if statement_timeout_ms:
        options.append(f"-c statement_timeout={statement_timeout_ms}")
    if lock_timeout_ms:
        options.append(f"-c lock_timeout={lock_timeout_ms}")
    if default_read_only:
        options.append("-c default_transaction_read_only=on")
    connect_args = {"connect_timeout": connect_timeout_s, **kwargs.pop("connect_args", {})}
    if options:
        connect_args["options"] = " ".join(options)
    engine = create_engine(url, connect_args=connect_args, **kwargs)
    if not kwargs.get("pool_pre_ping"):
        event.listen(engine, "checkout", _discard_if_closed)
    return engine


def _discard_if_closed(dbapi_connection, record, proxy) -> None:  # type: ignore[no-untyped-def]
    """Refuse a pooled connection the server has closed, without a round trip (SQLAlchemy's
    pre-ping costs one per request): an idle connection has nothing to read unless the server
    has said goodbye (a shutdown's FATAL message, or the end of the stream). The pool then
    takes or opens another. Over TLS, buffered records say nothing of that: it pings."""
    if dbapi_connection.closed or dbapi_connection.broken:
        raise DisconnectionError("the connection is closed")
    pgconn = dbapi_connection.pgconn
    if pgconn.ssl_in_use:
        # One round trip outside any transaction (libpq's own exec: no BEGIN/ROLLBACK).
        try:
            answered = pgconn.exec_(b"SELECT 1").status == pq.ExecStatus.TUPLES_OK
        except psycopg.Error as exc:
            raise DisconnectionError("the server does not answer") from exc
        if not answered:
            raise DisconnectionError("the server does not answer")
        return
    # poll, not select: select() refuses file descriptors from 1024 up (a busy worker's).
    waiting = select.poll()
    waiting.register(dbapi_connection.fileno(), select.POLLIN | select.POLLHUP | select.POLLERR)
    if waiting.poll(0):
        raise DisconnectionError("the server has closed the connection")


def engine_for(settings: Settings, *, application_name: str = "morharita") -> Engine:
    """The web app's engine: one pool per worker process, sized and bounded by `settings`."""
    assert settings.database_url is not None
    return make_engine(
        settings.database_url,
        connect_timeout_s=settings.db_connect_timeout_s,
        statement_timeout_ms=settings.db_statement_timeout_ms,
        lock_timeout_ms=settings.db_lock_timeout_ms,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_s,
        connect_args={"application_name": application_name},
    )


def replica_engine_for(settings: Settings, *, application_name: str) -> Engine | None:
    """The replica's engine (same pool bounds, its own short connect timeout), if configured.

    Its sessions default to read-only transactions, so even a URL that names a writable
    server by mistake cannot take a write through the public read path.
    """
    if not settings.database_replica_url:
        return None
    return make_engine(
        settings.database_replica_url,
        connect_timeout_s=settings.replica_connect_timeout_s,
        statement_timeout_ms=settings.db_statement_timeout_ms,
        default_read_only=True,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_s,
        connect_args={"application_name": application_name},
    )


def make_session_factory(bind: Engine | Connection) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (responses are built after it)."""
    return sessionmaker(bind=bind, expire_on_commit=False, autoflush=True)


@contextmanager
def unit_of_work(factory: Callable[[], Session]) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error. Services only flush.

    A domain error marked `keeps_writes` (a counted wrong tracking code) is answered as an
    error but still commits what was written before it: the count that throttles guessing.
    """
    session = factory()
    try:
        yield session
        session.flush()  # a failure here is a known outcome: nothing is stored
        _commit(session)
    except OutcomeUnknown:
        raise  # the connection is gone; there is nothing to roll back
    except DomainError as exc:
        if exc.keeps_writes:
            session.commit()
        else:
            session.rollback()
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _commit(session: Session) -> None:
    """Commit; a connection lost during the commit leaves its outcome unknown (503)."""
    try:
        session.commit()
    except (OperationalError, InterfaceError) as exc:
        receipt = session.info.get(RECEIPT)
        raise OutcomeUnknown(
            "The connection to the database was lost while saving, so it is not known whether "
            "this was stored. "
            + (
                "Check with the tracking code in this answer before sending it again."
                if receipt
                else "Check before sending it again."
            ),
            details=receipt,
        ) from exc
