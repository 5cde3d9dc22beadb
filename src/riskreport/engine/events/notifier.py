"""Wake-ups for waiters and event streams when a job changed in the store.

The store is the truth: a notifier only says "job X changed, read it again". Within one process
:class:`LocalNotifier` wakes waiters at once; where other processes change the store (Celery
workers, later), waiters also re-read the store every ``poll_interval`` seconds, so no change is
missed even without a cross-process notifier.

Use (on the event loop)::

    wake = notifier.waiter(job_id)        # take the waiter BEFORE reading the store
    job = await store.get(job_id)
    if not job.status.is_final:
        await wake.wait()                 # set by the next notifier.publish(job_id)
"""

from __future__ import annotations

import asyncio
from typing import Protocol


class Waiter(Protocol):
    async def wait(self) -> object: ...


class Notifier(Protocol):
    def publish(self, job_id: str) -> None:
        """Announce that ``job_id`` changed in the store (call after the write)."""

    def waiter(self, job_id: str) -> Waiter:
        """A waiter that completes at the next :meth:`publish` for ``job_id``."""

    def forget(self, job_id: str) -> None:
        """Drop bookkeeping for a job that reached a final state."""


class LocalNotifier:
    """In-process notifier: one ``asyncio.Event`` per watched job, replaced at each publish.

    (``asyncio`` directly, not ``anyio.Event``: this sits on every job's hot path, and the engine
    runs on asyncio anyway; see :mod:`riskreport.engine.taskset`.)

    Only jobs somebody waits for hold an event, and ``forget`` (called once a waiter sees a final
    state) drops it, so the map stays as small as the number of watched jobs.
    """

    def __init__(self) -> None:
        self._events: dict[str, asyncio.Event] = {}

    def publish(self, job_id: str) -> None:
        event = self._events.pop(job_id, None)
        if event is not None:
            event.set()

    def waiter(self, job_id: str) -> asyncio.Event:
        event = self._events.get(job_id)
        if event is None:
            event = self._events[job_id] = asyncio.Event()
        return event

    def forget(self, job_id: str) -> None:
        self._events.pop(job_id, None)

    def __len__(self) -> int:
        return len(self._events)
