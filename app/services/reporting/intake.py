"""Intake ceilings: reports, photos and "me too" per client, per mahalle and in total.

Counted in fixed windows (`intake_window_s`) in the intake_count table, in the submission's
own transaction: a refused submission rolls back, so refusals do not count, and a stored one
counts exactly once. A client is a salted SHA-256 of its address that changes every day (as
the log-in throttles do); no address is stored (DESIGN.md §2.5). The mahalle and total
counters are split into shards so concurrent submissions do not wait on one row.
"""

from __future__ import annotations

import hashlib
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from app.config import Settings
from app.errors import IntakeLimited

SHARDS = 8
KEY_LENGTH = 64
_rng = random.Random()  # which shard to bump: nothing secret about it

_BUMP = text(
    """
    WITH bumped AS (
        INSERT INTO intake_count (bucket, key, n)
        SELECT :bucket, k, d FROM unnest(CAST(:keys AS text[]), CAST(:deltas AS int[])) AS t(k, d)
        ON CONFLICT (bucket, key) DO UPDATE SET n = intake_count.n + EXCLUDED.n
        RETURNING key, n
    )
    SELECT key, n, true AS mine FROM bumped
    UNION ALL
    SELECT key, n, false FROM intake_count
    WHERE bucket = :bucket AND key = ANY(CAST(:shards AS text[]))
    """
).bindparams(bindparam("keys"), bindparam("deltas"), bindparam("shards"))


@dataclass(frozen=True)
class Ceiling:
    """`limit` per window for the counter `base` (sharded unless it is one client's)."""

    base: str
    limit: int
    sharded: bool
    message: str


def client_hash(settings: Settings, client: str, day: datetime | None = None) -> str:
    """A salted hash of the client's address for today; the same secret rotates with the day."""
    today = (day or datetime.now(UTC)).date().isoformat()
    digest = hashlib.sha256(f"{settings.secret_key}|{today}|intake|{client}".encode())
    return digest.hexdigest()[:40]


def _message(what: str, scope: str) -> str:
    return f"Too many {what} {scope} right now. Please wait {{minutes}} minutes and try again."


def report_ceilings(settings: Settings, client: str, mahalle_id: int | None, photos: int):
    """The ceilings a report with `photos` photos counts against, with its increments."""
    ceilings = [
        (Ceiling(f"c:r:{client}", settings.intake_reports_per_client, False,
                 _message("reports", "from this device")), 1),
        (Ceiling("g:r", settings.intake_reports_total, True,
                 _message("reports", "are being sent")), 1),
    ]  # fmt: skip
    if mahalle_id is not None:
        ceilings.append(
            (Ceiling(f"m:{mahalle_id}", settings.intake_reports_per_mahalle, True,
                     _message("reports", "for this neighbourhood")), 1)
        )  # fmt: skip
    if photos:
        ceilings += [
            (Ceiling(f"c:p:{client}", settings.intake_photos_per_client, False,
                     _message("photos", "from this device")), photos),
            (Ceiling("g:p", settings.intake_photos_total, True,
                     _message("photos", "are being sent")), photos),
        ]  # fmt: skip
    return ceilings


def confirmation_ceilings(settings: Settings, client: str, public_id: str):
    """The ceilings one "me too" counts against: one per report from a device, and more."""
    return [
        (Ceiling(f"c:1:{public_id}:{client}", 1, False,
                 "This device has already said \"me too\" for this report."), 1),
        (Ceiling(f"c:c:{client}", settings.intake_confirmations_per_client, False,
                 _message('"me too" confirmations', "from this device")), 1),
        (Ceiling("g:c", settings.intake_confirmations_total, True,
                 _message('"me too" confirmations', "are being sent")), 1),
    ]  # fmt: skip


def count(session: Session, settings: Settings, ceilings, now: float | None = None) -> None:
    """Count this submission under each ceiling, in one statement; 429 if one is passed."""
    now = time.time() if now is None else now
    window = settings.intake_window_s
    bucket = int(now // window)
    keys, deltas, shards = [], [], []
    for ceiling, delta in ceilings:
        if ceiling.sharded:
            keys.append(f"{ceiling.base}:{_rng.randrange(SHARDS)}"[:KEY_LENGTH])
            shards += [f"{ceiling.base}:{s}"[:KEY_LENGTH] for s in range(SHARDS)]
        else:
            keys.append(ceiling.base[:KEY_LENGTH])
        deltas.append(delta)
    rows = session.execute(
        _BUMP, {"bucket": bucket, "keys": keys, "deltas": deltas, "shards": shards}
    ).all()
    mine = {key: n for key, n, is_mine in rows if is_mine}
    before = {key: n for key, n, is_mine in rows if not is_mine}
    for (ceiling, _), key in zip(ceilings, keys, strict=True):
        if ceiling.sharded:
            # The other shards as they were when the statement began, plus ours after the bump.
            prefix = f"{ceiling.base}:"
            total = sum(n for k, n in before.items() if k.startswith(prefix) and k != key)
            total += mine[key]
        else:
            total = mine[key]
        if total > ceiling.limit:
            retry = max(1, int((bucket + 1) * window - now))
            minutes = max(1, -(-retry // 60))
            raise IntakeLimited(ceiling.message.format(minutes=minutes), retry_after_s=retry)
    if _rng.random() < 0.01:  # now and then, forget windows that have passed
        session.execute(text("DELETE FROM intake_count WHERE bucket < :b"), {"b": bucket - 1})
