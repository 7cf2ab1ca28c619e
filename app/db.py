"""Engine and session factory (made at startup from Settings) and the request-scoped session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.exc import InterfaceError, OperationalError
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

    pool_pre_ping replaces connections the server dropped (a restart), so the first request
    after PostgreSQL is back succeeds; connect_timeout and pool_timeout bound the wait when it
    is not (the request is then answered 503).
    """
    kwargs.setdefault("pool_pre_ping", True)
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
    return create_engine(url, connect_args=connect_args, **kwargs)


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
