"""A Celery worker process's own job bookkeeping: the store and the event bus, used synchronously
by the generic task (:mod:`.worker`) in the thread that runs the job.

A pool process runs one job at a time and serves no requests, so it has no event loop to keep
free: each change is written to the store in the calling thread (a
:class:`~riskreport.engine.store.BlockingJobStore`), then published on the bus, exactly in the
order made. Progress is thinned as in the process runner's workers (at most one report per stage
every 0.1 s reaches the store; :class:`~riskreport.engine.runners.throttle.ProgressThrottle`).

Use::

    rt = WorkerRuntime(setup)               # once per process (after the fork)
    job = rt.started(job_id)                # the job as started, or None if refused
    rt.report(job_id, progress)             # from the job's thread
    rt.finished(job_id, outcome)
    rt.close()
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from riskreport.engine.errors import IllegalTransition
from riskreport.engine.events.redis_bus import RedisPublisher
from riskreport.engine.jobs import Job, JobStatus, Progress, utcnow
from riskreport.engine.outcome import Outcome
from riskreport.engine.recorder import STARTED, final_changes
from riskreport.engine.runners.throttle import ProgressThrottle
from riskreport.engine.spec import Initializer, JobSpec
from riskreport.engine.store import BlockingJobStore

log = logging.getLogger("riskreport.engine")


@dataclass(frozen=True)
class WorkerSetup:
    """What a worker needs: a store factory (each process opens its own), the job specs by
    kind, the warm-up, the attempt limit and the event bus (Redis URL and channel)."""

    store_factory: Callable[[], BlockingJobStore]
    specs: Sequence[JobSpec]
    bus_url: str
    bus_channel: str
    initializer: Initializer | None = None
    max_attempts: int = 3
    by_kind: Mapping[str, JobSpec] = field(init=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        object.__setattr__(self, "by_kind", {spec.kind: spec for spec in self.specs})


def record_final(
    store: BlockingJobStore, bus: RedisPublisher, job_id: str, outcome: Outcome
) -> Job | None:
    """Write ``outcome`` as the job's final state, then publish it; None when another final
    state got there first (a cancel), which stands."""
    try:
        job = store.transition(job_id, outcome.status, at=utcnow(), **final_changes(outcome))
    except IllegalTransition as exc:
        log.debug("job %s already final, %s not recorded: %s", job_id, outcome.status, exc)
        return None
    bus.publish(job_id, job)
    return job


class WorkerRuntime:
    """One per worker process: its store connection, its bus publisher, its progress throttle."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.setup = setup
        self.pid = os.getpid()
        self.store = setup.store_factory()
        self.store.ping()  # a store out of reach fails the warm-up, not the first job
        self.bus = RedisPublisher(setup.bus_url, setup.bus_channel)
        # The job whose progress the throttle passes on: a pool process runs one at a time.
        self._job_id: str | None = None
        self._throttle = ProgressThrottle(self._write_progress)

    def started(self, job_id: str) -> Job | None:
        """Record the start of ``job_id`` (compare-and-set from ``queued``) and publish it; the
        job as started, or None when it was not ``queued``."""
        try:
            job = self.store.transition(job_id, JobStatus.RUNNING, at=utcnow(), progress=STARTED)
        except IllegalTransition:
            return None
        self.running(job)
        return job

    def running(self, job: Job) -> None:
        """``job`` runs here now (started, or started again): announce it, and pass its
        progress on from now."""
        self._job_id = job.id
        self.bus.publish(job.id, job)

    def report(self, job_id: str, progress: Progress) -> None:
        if job_id == self._job_id:
            self._throttle.report(progress)

    def finished(self, job_id: str, outcome: Outcome) -> Job | None:
        # Held progress is dropped first: the final state supersedes it.
        self._throttle.end()
        self._job_id = None
        return record_final(self.store, self.bus, job_id, outcome)

    def _write_progress(self, progress: Progress) -> None:
        # Called by the throttle (the job's thread, or its flusher thread, under its lock).
        job_id = self._job_id
        if job_id is None:
            return
        try:
            self.store.set_progress(job_id, progress)
        except Exception:
            # Progress is advisory: the job goes on, and its final state is written regardless.
            log.exception("could not record progress of job %s", job_id)
            return
        self.bus.publish(job_id)

    def close(self) -> None:
        self._throttle.end()
        try:
            self.store.close()
        finally:
            self.bus.close()
