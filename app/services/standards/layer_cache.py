"""Tiles and aggregate layers kept between requests, keyed on the public data version.

The version (table `public_data_version`, kept by triggers: migration 20261201_0014) changes
on every publish, unpublish, correction of a published report and every change of a
category, mahalle or municipality, and its numbers are never reused. It is read first, in
the request's own transaction, so what is computed after it can only be as new or newer
than the version it is stored under: a cached answer is never older than the data it was
asked for, and nothing unapproved or withdrawn is served once the change is committed.
Each worker process keeps its own entries, the least recently used dropped past a budget
(MORHARITA_LAYER_CACHE_MB, 64 by default; 0 keeps nothing, which bench/ogc_vs_tipg.py uses
to measure tiles computed). Within a process one answer is computed once: requests for a key
that is being computed wait for it (a new version under a campaign's load would otherwise
compute the same heavy tile once per waiting request), and compute it themselves if that
fails or takes longer than WAIT_S.
"""

from __future__ import annotations

import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.services.clock import LOCAL_TZ

T = TypeVar("T")
MAX_BYTES = int(float(os.environ.get("MORHARITA_LAYER_CACHE_MB", "64")) * 1024 * 1024)
VERSION_SQL = text("SELECT version FROM public_data_version WHERE id = 1")
WAIT_S = 30.0  # at most this long for another request's computation of the same answer


class _Flight:
    """An answer being computed by one request, for the others asking for it meanwhile."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.value: object = None
        self.ok = False


def data_version(session: Session) -> int | None:
    """The public data version seen by this transaction (None: no such table yet)."""
    return session.execute(VERSION_SQL).scalar()


def _size(value: object) -> int:
    """Bytes an answer holds, roughly: a layer (features as Python objects) counts three
    times its JSON, so that no mix of filters can hold more than the budget."""
    if isinstance(value, bytes | str):
        return len(value) + 64
    return 3 * len(json.dumps(value, default=str)) + 4096


class LayerCache:
    """A byte-bounded LRU of answers keyed on (data version, local date, key)."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._bytes = 0
        self._flights: dict[Hashable, _Flight] = {}
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.shared = 0  # misses answered by another request's computation

    def get_or_compute(self, session: Session, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached answer for `key` at this transaction's data version, else `compute()`
        (kept). The local date is part of the key: default periods move with it."""
        version = data_version(session) if self.max_bytes else None
        if version is None:
            return compute()
        full = (version, date.today().isoformat(), _today_local(), key)
        with self._lock:
            found = self._entries.get(full)
            if found is not None:
                self._entries.move_to_end(full)
                self.hits += 1
                return found[0]  # type: ignore[return-value]
            flight = self._flights.get(full)
            if flight is None:
                self._flights[full] = mine = _Flight()
            self.misses += 1
        if flight is not None:  # another request computes it: the same version, same answer
            if flight.done.wait(WAIT_S) and flight.ok:
                with self._lock:
                    self.shared += 1
                return flight.value  # type: ignore[return-value]
            return compute()
        try:
            value = compute()
            mine.value, mine.ok = value, True
            size = _size(value)
        finally:
            with self._lock:
                if mine.ok:  # kept before the flight ends: no request finds neither
                    self._keep(full, value, size)
                del self._flights[full]
            mine.done.set()
        return value

    def _keep(self, full: Hashable, value: object, size: int) -> None:
        """Store an answer (the lock held)."""
        if full not in self._entries and size <= self.max_bytes:
            self._entries[full] = (value, size)
            self._bytes += size
            while self._bytes > self.max_bytes:
                _old, (_value, old_size) = self._entries.popitem(last=False)
                self._bytes -= old_size

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


def _today_local() -> str:
    return datetime.now(LOCAL_TZ).date().isoformat()


TILES = LayerCache()
LAYERS = LayerCache(MAX_BYTES // 4)
