"""Wake-ups for waiters and event streams when a job changed in the store.

The store is the truth: a notifier only says "job X changed, read it again". Within one process
:class:`LocalNotifier` wakes waiters at once; where other processes change the store (Celery
workers, later), waiters also re-read the store every ``poll_interval`` seconds, so no change is
missed even without a cross-process notifier.

Use (on the event loop)::

    wake = notifier.waiter(job_id)        # take the waiter BEFORE reading the store
    job = await store.get(job_id)
    if not job.status.is_final:
        await woken(wake, within=None)    # done at the next notifier.publish(job_id)
"""

from __future__ import annotations

import asyncio
from typing import Protocol


class Notifier(Protocol):
    def publish(self, job_id: str, *, final: bool = False) -> None:
        """Announce that ``job_id`` changed in the store (call after the write); ``final``
        when it reached a final state."""

    def waiter(self, job_id: str, *, final_only: bool = False) -> asyncio.Future[None]:
        """A future of this waiter alone, done at the next :meth:`publish` of ``job_id``
        (with ``final_only``: at the next publish of a final state)."""

    def forget(self, job_id: str) -> None:
        """Drop bookkeeping for a job that reached a final state."""


async def woken(waiter: asyncio.Future[None], within: float | None) -> bool:
    """Wait until ``waiter`` is done or ``within`` seconds pass; True if it was woken."""
    if within is None:
        await waiter
        return True
    try:
        async with asyncio.timeout(within):
            await waiter
    except TimeoutError:
        return False
    return True


class LocalNotifier:
    """In-process notifier: one future per waiter, all of a job's set at its next publish.

    Only jobs somebody waits for have an entry, and ``forget`` (called once a waiter sees a final
    state) drops it, so the map stays as small as the number of watched jobs. One future per
    waiter, so a waiter that gives up (cancelled, timed out) cancels only its own. Plain asyncio
    futures, not anyio events: this sits on every job's hot path, and the engine runs on asyncio
    (see :mod:`riskreport.engine.taskset`).
    """

    def __init__(self) -> None:
        # Waiters for any change, and waiters for the final state only (``Engine.wait``, which
        # thus sleeps through ``running`` and progress).
        self._any: dict[str, list[asyncio.Future[None]]] = {}
        self._final: dict[str, list[asyncio.Future[None]]] = {}

    def publish(self, job_id: str, *, final: bool = False) -> None:
        waiters = self._any.pop(job_id, [])
        if final:
            waiters += self._final.pop(job_id, ())
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def waiter(self, job_id: str, *, final_only: bool = False) -> asyncio.Future[None]:
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        (self._final if final_only else self._any).setdefault(job_id, []).append(waiter)
        return waiter

    def forget(self, job_id: str) -> None:
        self._any.pop(job_id, None)
        self._final.pop(job_id, None)

    def __len__(self) -> int:
        return len(self._any.keys() | self._final.keys())
