"""Retention: delete finished jobs (and their documents) older than a number of days.

Use (``open_services`` does, when ``RISKREPORT_RETENTION_DAYS`` is set)::

    retention = Retention(store, days=30)
    retention.start()            # purges now, then every hour
    ...
    await retention.stop()

Only jobs in a final state whose ``finished_at`` is older than ``days`` go; a queued or running
job is never touched, however old. Idempotency claims older than that go too (they only matter
for 24 hours). Several processes on one store may each run this: the deletes are idempotent.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from riskreport.engine.jobs import utcnow
from riskreport.engine.store import JobStore

log = logging.getLogger("riskreport.engine")

INTERVAL = 3600.0  # seconds between purges


class Retention:
    def __init__(self, store: JobStore, *, days: float, interval: float = INTERVAL) -> None:
        if days <= 0 or interval <= 0:
            raise ValueError("retention needs days > 0 and interval > 0")
        self._store = store
        self.days = days
        self.interval = interval
        self._task: asyncio.Task[None] | None = None

    async def purge(self) -> int:
        """Delete what is older than the retention now; return how many jobs went."""
        count = await self._store.purge_finished(before=utcnow() - timedelta(days=self.days))
        if count:
            log.info("retention: deleted %d job(s) finished over %g day(s) ago", count, self.days)
        return count

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="riskreport-retention")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            try:
                await self.purge()
            except Exception:
                # A failed purge (store briefly down) is retried at the next interval.
                log.exception("retention: purge failed")
            await asyncio.sleep(self.interval)
