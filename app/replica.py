"""Read routing: anonymous reads from a streaming replica, everything else from the primary.

With `DATABASE_REPLICA_URL` set, `ReadRouting.public_factory()` hands out sessions bound to
the replica while it answers and its replay lag stays within `replica_max_lag_s`; otherwise
(down, lagging, promoted, unreachable within the connect timeout) sessions on the primary.
Both are read-only transactions, so a write on the public read path fails on either server.
Each worker process asks the replica at most every `replica_check_interval_s`; between
checks a request that cannot reach it falls back at once and marks it down.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from app.db import make_session_factory

# Names the app's connections carry (pg_stat_activity, the server log's %a).
PRIMARY_APPLICATION = "morharita"
REPLICA_APPLICATION = "morharita-replica"

# What a standby knows of its lag: what it has received and replayed (WAL positions) and
# the age of the last replayed transaction.
LAG_SQL = text(
    """
    SELECT pg_is_in_recovery() AS standby,
           EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') AS streaming,
           pg_last_wal_receive_lsn() - '0/0'::pg_lsn AS received,
           pg_last_wal_replay_lsn() - '0/0'::pg_lsn AS replayed,
           EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()) AS age_s
    """
)


@dataclass
class ReplicaState:
    """What the last check found; `usable` decides where public reads go."""

    configured: bool
    usable: bool = False
    lag_s: float | None = None
    reason: str = "not checked yet"
    checked_at: float = field(default=-1e18)

    def as_dict(self) -> dict:
        """The state for /health (no URL, no credentials)."""
        if not self.configured:
            return {"configured": False, "in_use": False, "lag_s": None, "reason": "unset"}
        lag = None if self.lag_s is None else round(self.lag_s, 3)
        return {"configured": True, "in_use": self.usable, "lag_s": lag, "reason": self.reason}


class ReadRouting:
    """Where a request's reads go: the primary's factory, and the public one (maybe a replica)."""

    def __init__(
        self,
        primary: Engine,
        replica: Engine | None = None,
        *,
        max_lag_s: float = 10.0,
        check_interval_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.primary = primary
        self.replica = replica
        self.max_lag_s = max_lag_s
        self.check_interval_s = check_interval_s
        self.clock = clock
        self.primary_factory = make_session_factory(primary)
        # Same pool as the primary's sessions; every transaction is BEGIN READ ONLY.
        self.primary_read_factory = make_session_factory(
            primary.execution_options(postgresql_readonly=True)
        )
        # The replica's connections are read-only by their own default (replica_engine_for):
        # a per-transaction READ ONLY would be reset to READ WRITE, which a standby refuses.
        self.replica_factory = make_session_factory(replica) if replica is not None else None
        self.state = ReplicaState(configured=replica is not None)
        self._lock = threading.Lock()
        self._received: float | None = None  # the WAL position received at the last check

    def public_factory(self) -> sessionmaker[Session]:
        """The replica's read-only sessions while it is usable, else the primary's."""
        if self.replica_factory is None:
            return self.primary_factory
        due = self.clock() - self.state.checked_at >= self.check_interval_s
        # One thread checks; the others go on with the last answer meanwhile.
        if due and self._lock.acquire(blocking=False):
            try:
                self.check()
            finally:
                self._lock.release()
        return self.replica_factory if self.state.usable else self.primary_read_factory

    def mark_down(self, reason: str) -> None:
        """A request could not use the replica: read from the primary until the next check."""
        self.state = ReplicaState(True, False, None, reason, self.clock())

    def check(self) -> ReplicaState:
        """Ask the replica whether it is a standby, streaming, and how far behind it is."""
        assert self.replica is not None
        try:
            with self.replica.connect() as conn:
                row = conn.execute(LAG_SQL).one()
        except SQLAlchemyError as exc:
            cause = getattr(exc, "orig", None) or exc
            self.mark_down(f"unreachable ({type(cause).__name__})")
            return self.state
        self.state = judge_standby(row, self._received, self.max_lag_s, self.clock())
        self._received = None if row.received is None else float(row.received)
        return self.state

    def replica_health(self) -> dict:
        """The replica's state, checked now (for /health)."""
        if self.replica is not None:
            self.check()
        return self.state.as_dict()

    def dispose(self) -> None:
        """Close both pools."""
        if self.replica is not None:
            self.replica.dispose()


def judge_standby(
    row, previous_received: float | None, max_lag_s: float, now: float
) -> ReplicaState:  # type: ignore[no-untyped-def]
    """Usable: a standby that replays what it receives, within `max_lag_s`.

    The age of the last replayed transaction overstates the lag whenever the primary was
    idle, so a streaming standby counts as behind only when it has not yet replayed what it
    had received at the previous check (a paused or overwhelmed replay).
    """
    if not row.standby:
        # A promoted standby no longer follows the primary: its reads may be stale forever.
        return ReplicaState(True, False, None, "not a standby (promoted?)", now)
    if row.age_s is None and row.replayed is None:
        return ReplicaState(True, False, None, "has replayed nothing yet", now)
    age = max(float(row.age_s or 0.0), 0.0)
    if row.streaming:
        behind = previous_received is not None and row.replayed < previous_received
        lag = age if behind else 0.0
    else:
        lag = age  # cut off from the primary: as old as the last thing it replayed
    if lag > max_lag_s:
        why = "lagging" if row.streaming else "not streaming"
        return ReplicaState(True, False, lag, f"{why}: {lag:.1f} s behind", now)
    return ReplicaState(True, True, lag, "streaming" if row.streaming else "replaying", now)
