"""Engine and session factory (made at startup from Settings) and the request-scoped session."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, create_engine
from sqlalchemy.orm import Session, sessionmaker

from app.errors import DomainError


def make_engine(url: str, **kwargs) -> Engine:
    """An engine for `url` with sane pool defaults."""
    kwargs.setdefault("pool_pre_ping", True)
    # Never log statement parameters: they hold exact locations and reporters' words.
    kwargs.setdefault("hide_parameters", True)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 10)
    return create_engine(url, **kwargs)


def make_session_factory(bind: Engine | Connection) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit (responses are built after it)."""
    return sessionmaker(bind=bind, expire_on_commit=False, autoflush=True)


@contextmanager
def unit_of_work(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any error. Services only flush.

    A domain error marked `keeps_writes` (a counted wrong tracking code) is answered as an
    error but still commits what was written before it: the count that throttles guessing.
    """
    session = factory()
    try:
        yield session
        session.commit()
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
