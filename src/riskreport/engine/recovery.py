"""Recovery: what becomes of the jobs of a process that stopped or died.

At start-up (:func:`recover_unfinished`), a process alone on its store returns the jobs it left
``running`` to ``queued``. While processes share a store (``serve --workers N``), each holds a
:class:`Lease` on its jobs, renewed every few seconds; when one dies, the others adopt its jobs
once its lease has lapsed.

Use (``Engine.start`` does, for exclusive backends; ``serve --workers N`` once in its parent)::

    recovered = await recover_unfinished(store, max_attempts=3)
    recovered.requeued, recovered.failed      # ids

    lease = Lease(store, seconds=30)          # the Engine renews it and runs what it adopts
    adopted = await lease.keep(max_attempts=3)
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from riskreport.engine.jobs import Adopted, Job, JobError, Recovered, utcnow
from riskreport.engine.outcome import INTERRUPTED
from riskreport.engine.store import JobStore

log = logging.getLogger("riskreport.engine")

_INTERRUPTED = JobError(
    code=INTERRUPTED,
    message="the service stopped while the job ran, too many times; it is not run again",
)
# How many heartbeats fit in one lease: a process is taken for dead only after missing several.
HEARTBEATS_PER_LEASE = 6


async def recover_unfinished(store: JobStore, *, max_attempts: int) -> Recovered:
    """Return jobs a stopped process left ``running`` to ``queued``; fail those at the limit.

    A job found ``running`` after ``max_attempts`` starts fails with code ``interrupted``; the
    others go back to ``queued`` and run again (report jobs are idempotent). Only safe while no
    other process runs jobs of this store: :meth:`Engine.start` calls it for exclusive backends,
    and ``riskreport serve --workers N`` calls it once in the parent before the worker processes
    start (they then skip it, see ``LocalBackend(shared_store=True)``).
    """
    recovered = await store.recover_running(
        max_attempts=max_attempts, error=_INTERRUPTED, at=utcnow()
    )
    if recovered.requeued:
        log.warning(
            "returned %d interrupted job(s) to the queue: %s",
            len(recovered.requeued),
            _shown(recovered.requeued),
        )
    if recovered.failed:
        log.warning(
            "failed %d interrupted job(s) after %d attempt(s): %s",
            len(recovered.failed),
            max_attempts,
            _shown(recovered.failed),
        )
    return recovered


def _shown(ids: Sequence[str]) -> str:
    return ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else "")


class LeaseStore(Protocol):
    """The store's side of a lease (``riskreport.storage.sql.SqlJobStore`` built with
    ``runner=``; see ``riskreport.storage.leases``)."""

    async def renew_lease(self, *, at: datetime) -> bool: ...

    async def adopt_orphans(
        self, *, stale_before: datetime, max_attempts: int, error: JobError, at: datetime
    ) -> Adopted: ...

    async def ended_among(self, job_ids: Collection[str]) -> list[Job]: ...

    async def leave(self) -> None: ...


class Lease:
    """This process's lease on the jobs it accepted and started, in a store shared with others.

    :meth:`keep`, every ``every`` seconds (a sixth of ``seconds``), renews it and adopts the jobs
    of processes whose lease lapsed: not renewed for ``seconds``. So a crashed process's jobs run
    again within about ``seconds`` plus one renewal. A process stalled longer than ``seconds``
    (its loop blocked, its database unreachable) loses its jobs to the others: it logs so when it
    renews again, and a job it was running may then run twice (report jobs are idempotent; the
    first final write wins). :meth:`leave` at shutdown hands its unfinished jobs over at once.
    """

    def __init__(self, store: LeaseStore, *, seconds: float, every: float | None = None) -> None:
        """``every``: seconds between renewals, ``seconds / 6`` by default."""
        every = seconds / HEARTBEATS_PER_LEASE if every is None else every
        if not 0 < every < seconds:
            raise ValueError(f"need 0 < every < seconds, got every={every:g}, seconds={seconds:g}")
        self.seconds = seconds
        self.every = every
        self._store = store
        self._held = False

    async def keep(self, *, max_attempts: int) -> Adopted:
        """Renew the lease, then adopt the jobs of lapsed ones: return what was adopted."""
        now = utcnow()
        if not await self._store.renew_lease(at=now) and self._held:
            log.error(
                "this process's lease lapsed (not renewed for %.0f s): other processes took "
                "over its unfinished jobs",
                self.seconds,
            )
        self._held = True
        adopted = await self._store.adopt_orphans(
            stale_before=now - timedelta(seconds=self.seconds),
            max_attempts=max_attempts,
            error=_INTERRUPTED,
            at=now,
        )
        if adopted.jobs:
            log.warning(
                "took over %d job(s) of server processes that died or stopped: %s",
                len(adopted.jobs),
                _shown([job.id for job in adopted.jobs]),
            )
        if adopted.failed:
            log.warning(
                "failed %d job(s) of server processes that died, after %d attempt(s): %s",
                len(adopted.failed),
                max_attempts,
                _shown(adopted.failed),
            )
        return adopted

    async def ended(self, job_ids: Collection[str]) -> list[Job]:
        """The jobs among ``job_ids`` (held here) that are final in the store: a client
        cancelled them through another process, say; their work here is moot."""
        return await self._store.ended_among(job_ids)

    async def leave(self) -> None:
        """End the lease (at shutdown, after the jobs left were returned to the queue)."""
        if self._held:
            await self._store.leave()
            self._held = False
