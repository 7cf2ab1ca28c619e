"""The webhook delivery loop inside the served app: one per process, started and stopped by
the app's lifespan, so `morharita serve` (and `make run`) deliver webhooks by themselves.

Each round is `webhooks.run_once` in a worker thread (the database and HTTP calls block).
Several processes may run it at once: events and deliveries are claimed with `FOR UPDATE
SKIP LOCKED` and a lease, so each delivery is posted by one of them. A failed round (the
database away, say) is logged and tried again after the interval.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from app.services.standards.webhooks import TIMEOUT_S, run_once

logger = logging.getLogger("morharita.webhooks")


class DeliveryLoop:
    """Dispatch new events and post due deliveries every `interval_s` until stopped."""

    def __init__(self, factory: sessionmaker[Session], interval_s: float) -> None:
        self.factory = factory
        self.interval_s = interval_s
        self.rounds = 0
        self._stopping = threading.Event()  # read by the round's thread between deliveries
        self._task: asyncio.Task | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start the loop as a task of the running event loop."""
        self._task = asyncio.get_running_loop().create_task(self._run(), name="webhooks")

    async def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                made, sent = await asyncio.to_thread(run_once, self.factory, None, self._stopping)
                if made or sent:
                    logger.info("webhooks: %d delivery(ies) queued, %d attempted", made, sent)
            except Exception:  # the next round tries again; the app keeps serving
                logger.exception("webhooks: a delivery round failed")
            self.rounds += 1
            await asyncio.to_thread(self._stopping.wait, self.interval_s)

    async def stop(self) -> None:
        """Stop after the delivery in flight (at most one HTTP timeout), then return."""
        self._stopping.set()
        if self._task is None:
            return
        try:
            await asyncio.wait_for(self._task, timeout=TIMEOUT_S + 5)
        except TimeoutError:  # a stuck round: its claimed deliveries come due again
            logger.warning("webhooks: the delivery loop did not stop in time")
        self._task = None
