"""A Celery worker process's own job bookkeeping: the store and the event bus, used synchronously
by the generic task (:mod:`.worker`) in the thread that runs the job.

A pool process runs one job at a time and serves no requests, so it has no event loop to keep
free: each change is written to the store in the calling thread (a
:class:`~riskreport.engine.store.BlockingJobStore`), then published on the bus, exactly in the
order made. Progress is thinned as in the process runner's workers (at most one report per stage
every 0.1 s reaches the store; :class:`~riskreport.engine.runners.throttle.ProgressThrottle`).

A first delivery's ``running`` write is held back for as long (:meth:`WorkerRuntime.hold_start`):
the job starts at once, and its start is written when it reports progress, when 0.1 s have
passed, or together with its outcome, in one transaction, with both changes published in one
round trip, whichever comes first. A short job thus costs one store transaction and one Redis
round trip instead of two of each, and the stored state is never more than 0.1 s behind, as with
progress. What every reader sees is unchanged: ``running`` then the outcome on the bus, and a
row with its ``started_at``, ``finished_at`` and one attempt.

A first delivery does not read the job: its message carries the payload, and the held start's
compare-and-set from ``queued`` is the check. Should it be refused (the job was cancelled while
its message was on the way to a worker that missed the revoke, or another delivery of the same
message runs it), the delivery stands down: :attr:`WorkerRuntime.stop`, the job's cancel token,
is set, so the job stops at its next ``ctx.check()``, and nothing it reports or returns is
written. A job whose process dies within
its first 0.1 s leaves its row ``queued``; its message comes back marked redelivered, and a
redelivery writes its start at once (:meth:`WorkerRuntime.started`), so that only that first
attempt can go uncounted (a job killing its process every time runs ``max_attempts + 1``
times before it fails with ``worker_lost``).

Use::

    rt = WorkerRuntime(setup)               # once per process (after the fork)
    job = rt.hold_start(Job(job_id, kind, payload))  # a first delivery, from its message
    job = rt.started(job_id)                # a redelivery: written at once; None if refused
    rt.report(job_id, progress)             # from the job's thread
    rt.finished(job_id, outcome)
    rt.close()
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from riskreport.engine.errors import IllegalTransition, JobNotFound
from riskreport.engine.events.redis_bus import RedisPublisher
from riskreport.engine.jobs import Job, JobStatus, Progress, utcnow
from riskreport.engine.outcome import Outcome
from riskreport.engine.recorder import STARTED, final_changes
from riskreport.engine.runners.throttle import INTERVAL, ProgressThrottle, flusher
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
    except JobNotFound:
        log_not_found(job_id)
        return None
    bus.publish(job_id, job)
    return job


def record_killed(
    store: BlockingJobStore,
    bus: RedisPublisher,
    job_id: str,
    outcome: Outcome,
    *,
    started_at: datetime,
) -> Job | None:
    """Write ``outcome`` for a job whose process was killed (the hard time limit), as
    :func:`record_final` does; if the job is still ``queued``, its start was held back in the
    killed process (the job held the interpreter from its start, so the flusher never ran), and
    its start, at ``started_at``, and outcome are written together. None when the job was final
    already (a cancel stands)."""
    done = record_final(store, bus, job_id, outcome)
    if done is not None:
        return done
    try:
        job = store.get(job_id)
    except JobNotFound:
        return None  # record_final said so
    if job.status is not JobStatus.QUEUED:
        return None
    return record_start_and_final(store, bus, job, outcome, started_at=started_at)


def record_start_and_final(
    store: BlockingJobStore,
    bus: RedisPublisher,
    job: Job,
    outcome: Outcome,
    *,
    started_at: datetime,
) -> Job | None:
    """Write the start (at ``started_at``) of ``job``, still ``queued``, and its ``outcome`` in
    one statement, then publish both in one round trip; None when the job was no longer queued
    (cancelled meanwhile, final already, or run by another delivery of its message), which
    stands."""
    try:
        running, done = store.start_and_finish(
            job,
            started_at=started_at,
            start_progress=STARTED,
            new=outcome.status,
            at=utcnow(),
            **final_changes(outcome),
        )
    except IllegalTransition as exc:
        log.info(
            "job %s moved on before it was recorded, %s not recorded: %s",
            job.id,
            outcome.status,
            exc,
        )
        return None
    except JobNotFound:
        log_not_found(job.id)
        return None
    bus.publish_all(job.id, [running, done])
    return done


def log_not_found(job_id: str) -> None:
    # Not an error to retry: the message is dropped (a worker and an API process on different
    # stores would say this for every job).
    log.error("job %s of a delivered message is not in the store; dropped", job_id)


@dataclass(frozen=True, slots=True)
class HeldStart:
    """The start of a job, not yet written: the job as its delivery knows it, and when it
    started."""

    job: Job
    at: datetime


class WorkerRuntime:
    """One per worker process: its store connection, its bus publisher, its progress throttle,
    the start it holds back."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.setup = setup
        self.pid = os.getpid()
        self.store = setup.store_factory()
        self.store.ping()  # a store out of reach fails the warm-up, not the first job
        self.bus = RedisPublisher(setup.bus_url, setup.bus_channel)
        # The job whose progress the throttle passes on: a pool process runs one at a time.
        self._job_id: str | None = None
        self._throttle = ProgressThrottle(self._write_progress)
        # The held start, taken under the lock by whichever comes first: the job's thread
        # (progress, outcome) or the flusher's (0.1 s passed).
        self._held: HeldStart | None = None
        self._held_lock = threading.Lock()
        self._flusher = flusher()
        # Set when the running job is not this delivery's to run (its held start was refused):
        # the job's cancel token, so that it stops at its next check; its outcome is dropped.
        self.stop = threading.Event()
        self._stood_down: str | None = None

    def hold_start(self, job: Job) -> Job:
        """Start ``job`` with its ``running`` write held back; the job as it will be written.
        ``job`` is the queued job as the delivery knows it: only its id, kind and payload are
        used (its message carries them; the write reads back the rest)."""
        at = utcnow()
        with self._held_lock:
            self._held = HeldStart(job, at)
            self._job_id = job.id
            self._stood_down = None
            self.stop.clear()
        self._flusher.due(self, time.monotonic() + INTERVAL)
        return job.evolve(
            status=JobStatus.RUNNING, started_at=at, attempts=job.attempts + 1, progress=STARTED
        )

    def flush(self) -> None:
        """Write the held start, if any (the flusher calls this when it is due)."""
        with self._held_lock:
            self._write_held()

    def _write_held(self) -> None:
        # Under the lock. A store failure puts the start back, for the outcome's write to try
        # again, and is raised.
        held, self._held = self._held, None
        if held is None:
            return
        try:
            started = self.started(held.job.id, at=held.at)
        except JobNotFound:
            log_not_found(held.job.id)
            self._stand_down(held.job.id)
            return
        except BaseException:
            self._held = held
            raise
        if started is None:
            # Not queued: cancelled while its message was on the way (a worker that started
            # after the revoke never heard it), or run by another delivery of the same message.
            # Either way not this delivery's to run or to record: stop it, drop its outcome.
            log.warning(
                "job %s was no longer queued when its start was written; this delivery stops "
                "it and records nothing",
                held.job.id,
            )
            self._stand_down(held.job.id)

    def _stand_down(self, job_id: str) -> None:
        self._job_id = None
        self._stood_down = job_id
        self.stop.set()

    def started(self, job_id: str, *, at: datetime | None = None) -> Job | None:
        """Record the start of ``job_id`` (compare-and-set from ``queued``; at ``at``, or now)
        and publish it; the job as started, or None when it was not ``queued``."""
        try:
            job = self.store.transition(
                job_id, JobStatus.RUNNING, at=at or utcnow(), progress=STARTED
            )
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
        if job_id != self._job_id:
            return
        if self._held is not None:
            # Progress is written only for a running job: the start goes first.
            with self._held_lock:
                try:
                    self._write_held()
                except Exception:
                    log.exception("could not record the start of job %s", job_id)
                    return
        self._throttle.report(progress)

    def finished(self, job_id: str, outcome: Outcome) -> Job | None:
        # Held progress is dropped first: the final state supersedes it.
        self._throttle.end()
        with self._held_lock:
            held, self._held = self._held, None
            stood_down, self._stood_down = self._stood_down == job_id, None
            self._job_id = None
            self.stop.clear()
        if stood_down:
            log.info(
                "job %s: its delivery stood down; %s not recorded", job_id, outcome.status.value
            )
            return None
        if held is None:
            return record_final(self.store, self.bus, job_id, outcome)
        return record_start_and_final(self.store, self.bus, held.job, outcome, started_at=held.at)

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
        self._held = None
        try:
            self.store.close()
        finally:
            self.bus.close()
