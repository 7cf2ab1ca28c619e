"""Counting repeated failures (log-ins, tracking codes) under salted, short-lived keys.

A key is `<scope>:<hex>`, the hex a SHA-256 of the secret key, the day, the scope and the
value (an e-mail or a client address), so nothing identifying is stored and keys cannot be
linked across days (DESIGN.md §2.5). Failures live in the login_failure table; each scope
purges only its own expired rows, so one scope's window never erases another's count.
"""

from __future__ import annotations

import hashlib
import math
from datetime import date, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.models import LoginFailure

KEY_LENGTH = 64  # the column's width


def key(secret_key: str, scope: str, value: str, day: date) -> str:
    """The salted key of `value` in `scope` for `day`."""
    digest = hashlib.sha256(f"{secret_key}|{day.isoformat()}|{scope}|{value}".encode()).hexdigest()
    prefix = f"{scope}:"
    return prefix + digest[: KEY_LENGTH - len(prefix)]


def retry_after(session: Session, key: str, limit: int, window: timedelta, now: datetime):
    """Seconds to wait when `key` has `limit` failures within `window`, else None."""
    count, oldest = session.execute(
        select(func.count(LoginFailure.id), func.min(LoginFailure.created_at)).where(
            LoginFailure.key_hash == key, LoginFailure.created_at > now - window
        )
    ).one()
    if count < limit:
        return None
    return max(1, math.ceil((oldest + window - now).total_seconds()))


def record(session: Session, scope: str, keys: list[str], window: timedelta, now: datetime) -> None:
    """Count one failure under each key; forget this scope's failures older than the window."""
    session.execute(
        delete(LoginFailure).where(
            LoginFailure.key_hash.startswith(f"{scope}:"),
            LoginFailure.created_at <= now - window,
        )
    )
    session.add_all(LoginFailure(key_hash=k, created_at=now) for k in keys)
    session.flush()


def clear(session: Session, key: str) -> None:
    """Forget the failures of one key (a successful log-in clears its account's)."""
    session.execute(delete(LoginFailure).where(LoginFailure.key_hash == key))
