"""Wake-ups for waiters and event streams when a job changed in the store.

The store is the truth: a notifier says "job X changed, read it again", with one exception. A
final state is the job's last word, so its publisher (which just wrote it) hands the stored job
along, and a waiter woken by it needs no read: one store read less per finished job, on the path
of every ``Prefer: wait`` request. Intermediate changes carry nothing (``running`` and progress
may be overtaken by newer ones before the waiter runs), so their waiters read the store.

Within one process :class:`LocalNotifier` wakes waiters at once. Where other processes change the
store, their changes arrive over a bus when there is one (Redis for Celery; PostgreSQL's
LISTEN/NOTIFY for ``serve --workers N``, :mod:`riskreport.engine.events.shared`), and waiters
also re-read the store every ``poll_interval`` seconds, so no change is missed without one.

Use (on the event loop)::

    wake = notifier.waiter(job_id)        # take the waiter BEFORE reading the store
    job = await store.get(job_id)
    if not job.status.is_final and await woken(wake, within=None):
        final = wake.result()                 # the job as stored if it is now final, else None
        job = final if final is not None else await store.get(job_id)
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from riskreport.engine.jobs import Job

# What a waiter's future holds once woken: the job as stored when it reached a final state,
# else None ("it changed; read it").
Wake = asyncio.Future[Job | None]


class Notifier(Protocol):
    def publish(self, job_id: str, final: Job | None = None) -> None:
        """Announce that ``job_id`` changed in the store (call after the write). ``final``: the
        job as stored, when the change made it final."""

    def waiter(self, job_id: str, *, final_only: bool = False) -> Wake:
        """A future of this waiter alone, done at the next :meth:`publish` of ``job_id``
        (with ``final_only``: at the next publish of a final state)."""

    def forget(self, job_id: str) -> None:
        """Drop bookkeeping for a job that reached a final state."""

    def close(self) -> None:
        """Wake every waiter (with no final job): shutdown began, they should stop waiting."""


async def woken(waiter: Wake, within: float | None) -> bool:
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
        self._any: dict[str, list[Wake]] = {}
        self._final: dict[str, list[Wake]] = {}

    def publish(self, job_id: str, final: Job | None = None) -> None:
        waiters = self._any.pop(job_id, [])
        if final is not None:
            if not final.status.is_final:
                raise ValueError(f"job {job_id} published as final in state {final.status}")
            waiters += self._final.pop(job_id, ())
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(final)

    def waiter(self, job_id: str, *, final_only: bool = False) -> Wake:
        waiter: Wake = asyncio.get_running_loop().create_future()
        (self._final if final_only else self._any).setdefault(job_id, []).append(waiter)
        return waiter

    def nudge(self, job_id: str, *, final: bool) -> None:
        """Another process changed ``job_id`` (to a final state, if ``final``): wake its
        waiters with nothing, so they read the store. Final-only waiters wake only for a final
        change, as with :meth:`publish`."""
        waiters = self._any.pop(job_id, [])
        if final:
            waiters += self._final.pop(job_id, ())
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def nudge_all(self) -> None:
        """Wake every waiter with nothing: each reads the store again."""
        everyone = [w for group in (self._any, self._final) for ws in group.values() for w in ws]
        self._any.clear()
        self._final.clear()
        for waiter in everyone:
            if not waiter.done():
                waiter.set_result(None)

    def forget(self, job_id: str) -> None:
        self._any.pop(job_id, None)
        self._final.pop(job_id, None)

    def close(self) -> None:
        self.nudge_all()

    def __len__(self) -> int:
        return len(self._any.keys() | self._final.keys())
