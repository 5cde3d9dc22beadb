"""The worker side of the Celery backend: the one generic task that runs any registered job kind.

Each worker process (a prefork child) keeps a :class:`~.runtime.WorkerRuntime`: its own store
connection and event-bus publisher. The task, in the process's main thread, records each step
through it (write to the store, then publish on the bus) and calls the job function itself,
exactly as the local runners do (same ``RunContext``, same
:func:`~riskreport.engine.context.run_function`, same outcomes).

A first delivery takes the job's kind and payload from its message and runs it at once, with its
``running`` write held back (:meth:`~.runtime.WorkerRuntime.hold_start`): a short job is then
written once, start and outcome in one compare-and-set from ``queued``, and the store is not
read at all. If that compare-and-set is refused, the delivery stands down (the job was
cancelled while its message was on the way, or another delivery of the same message runs it;
see :mod:`.runtime`). A message without a payload (sent by an older API process) has its job
read first, and runs only if it is ``queued``.

A delivery marked redelivered (its message came back after a worker died or stopped; the broker
marks every message it gives back) records ``running`` first, a compare-and-set from ``queued``
that returns the job, so that its attempt is counted before it runs. When that is refused, what
the delivery reads in the store decides what it does:

- ``running``: the process that ran it died (killed, OOM, machine lost) and the message came
  back; run it again as attempt ``attempts + 1`` (a compare-and-set, so of two deliveries only
  one restarts it), or fail it with code ``worker_lost`` once ``max_attempts`` starts are used;
- final (cancelled while queued, or finished by an earlier delivery): nothing to do.

Use (the composition root does this; see ``riskreport.bootstrap.celery_worker_app``)::

    app = celery_app(config)
    install(app, WorkerSetup(blocking_store_factory, specs, initializer=..., max_attempts=3))
    app.worker_main(["worker", "--concurrency", "4", "--queues", config.queue])
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from celery import Celery, Task, signals
from celery.exceptions import Reject, SoftTimeLimitExceeded, TimeLimitExceeded

from riskreport.engine import context
from riskreport.engine.backends.celery.app import TASK_NAME, Limits
from riskreport.engine.backends.celery.runtime import (
    WorkerRuntime,
    WorkerSetup,
    log_not_found,
    record_killed,
)
from riskreport.engine.context import RunContext, run_function
from riskreport.engine.errors import JobDeadlineExceeded, JobNotFound
from riskreport.engine.events.redis_bus import RedisPublisher
from riskreport.engine.jobs import Job, JobStatus, utcnow
from riskreport.engine.outcome import ERROR, Outcome
from riskreport.engine.recorder import STARTED
from riskreport.engine.runners.warmup import freeze_warm_heap
from riskreport.engine.spec import resolve

log = logging.getLogger("riskreport.engine")

WORKER_LOST = "worker_lost"  # error code: the job's worker died on every attempt
# Seconds before a message whose job could not be recorded goes back to the queue.
_RETRY_PAUSE = 1.0


_setup: WorkerSetup | None = None
_runtime: WorkerRuntime | None = None


def runtime() -> WorkerRuntime:
    """This process's runtime (a forked child builds its own on first use)."""
    global _runtime
    if _setup is None:
        raise RuntimeError("riskreport's Celery worker is not installed (call install())")
    if _runtime is None or _runtime.pid != os.getpid():
        _runtime = WorkerRuntime(_setup)
    return _runtime


def _warm_up(**_: Any) -> None:
    """A new worker process: open the store, then run the initializer and import the job
    functions, before it takes a message."""
    rt = runtime()
    if rt.setup.initializer is not None:
        rt.setup.initializer()
    for spec in rt.setup.specs:
        resolve(spec.function)
    freeze_warm_heap()


def _shut_down(**_: Any) -> None:
    global _runtime
    if _runtime is not None and _runtime.pid == os.getpid():
        runtime_, _runtime = _runtime, None
        runtime_.close()


class JobTask(Task):  # type: ignore[misc]
    """The generic task's class: records hard time limits, which kill the process before the
    job could record anything (called in the worker's main process)."""

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        if isinstance(exc, TimeLimitExceeded) and args:
            job_id, _kind, job_timeout = args[0], args[1], float(args[2])
            # The process was killed this long after the job started.
            started_at = utcnow() - timedelta(seconds=Limits.for_timeout(job_timeout).hard)
            thread = threading.Thread(
                target=_record_in_thread,
                args=(job_id, Outcome.timed_out(job_timeout), started_at),
                name="riskreport-record-timeout",
                daemon=True,
            )
            thread.start()


def _record_in_thread(job_id: str, outcome: Outcome, started_at: datetime) -> None:
    """Record a final state from the worker's main process, with a store connection and a
    publisher of its own (rare: only a job killed by the hard time limit needs it)."""
    setup = _setup
    if setup is None:
        return
    try:
        store = setup.store_factory()
        bus = RedisPublisher(setup.bus_url, setup.bus_channel)
        try:
            record_killed(store, bus, job_id, outcome, started_at=started_at)
        finally:
            bus.close()
            store.close()
    except Exception:
        log.exception("could not record the hard time limit of job %s", job_id)


def run_job(
    task: Task,
    job_id: str,
    kind: str,
    job_timeout: float,
    request_id: str | None,
    payload: Mapping[str, Any] | None = None,
) -> None:
    """The body of the generic task (in a worker process's main thread). ``payload``: the
    job's, as stored (None in a message from an API process older than this argument).

    If the job's bookkeeping fails (the store or Redis unreachable), the message goes back to
    the queue (``Reject``), a moment later: acknowledging it would leave the job ``running``
    with nobody to finish it.
    """
    delivery = task.request.delivery_info or {}
    redelivered = bool(delivery.get("redelivered"))
    try:
        _run_job(job_id, kind, job_timeout, request_id, payload, redelivered)
    except Exception as exc:
        log.exception("job %s could not be recorded; its message goes back to the queue", job_id)
        time.sleep(_RETRY_PAUSE)
        raise Reject(f"{type(exc).__name__}: {exc}", requeue=True) from exc


def _run_job(
    job_id: str,
    kind: str,
    job_timeout: float,
    request_id: str | None,
    payload: Mapping[str, Any] | None,
    redelivered: bool,
) -> None:
    rt = runtime()
    try:
        taken = _take_again(rt, job_id) if redelivered else _take(rt, job_id, kind, payload)
    except JobNotFound:
        log_not_found(job_id)
        return
    if taken is None:
        return
    spec = rt.setup.by_kind.get(kind)
    if spec is None:
        outcome = Outcome.failure(
            JobStatus.FAILED, ERROR, f"no job function is registered under {kind!r} here"
        )
        rt.finished(job_id, outcome)
        return
    ctx = RunContext(
        job_id,
        deadline=time.monotonic() + job_timeout,
        # A cancelled job's process is killed (revoke with terminate); this token stops a job
        # whose delivery stood down (see runtime.WorkerRuntime.stop).
        cancel=rt.stop,
        sink=lambda progress: rt.report(job_id, progress),
    )
    function = resolve(spec.function)

    def interruptible(payload: Mapping[str, Any], context: Any) -> Any:
        try:
            return function(payload, context)
        except SoftTimeLimitExceeded:
            raise JobDeadlineExceeded(f"job {job_id} ran out of time") from None

    request_marker = context.request_id.set(request_id)
    job_marker = context.job_id.set(job_id)
    try:
        outcome = run_function(interruptible, taken.payload, ctx)
    except SoftTimeLimitExceeded:
        outcome = Outcome.timed_out(job_timeout)
    finally:
        context.job_id.reset(job_marker)
        context.request_id.reset(request_marker)
    rt.finished(job_id, outcome)


def _take(
    rt: WorkerRuntime, job_id: str, kind: str, payload: Mapping[str, Any] | None
) -> Job | None:
    """Start a first delivery's attempt, its start held back; the job as started, or None when
    there is nothing to run (a message without a payload whose job is no longer queued)."""
    if payload is not None:
        return rt.hold_start(Job(job_id, kind, payload))
    job = rt.store.get(job_id)
    if job.status is not JobStatus.QUEUED:
        log.info("job %s is %s: its message is dropped", job_id, job.status.value)
        return None
    return rt.hold_start(job)


def _take_again(rt: WorkerRuntime, job_id: str) -> Job | None:
    """Start a redelivery's attempt, written at once (a compare-and-set that returns the row,
    payload included); the job as started, or None when there is nothing to run. The job is
    read only when that write is refused."""
    if (started := rt.started(job_id)) is not None:
        return started
    job = rt.store.get(job_id)
    if job.status is not JobStatus.RUNNING:
        return None  # final: cancelled before it started, or done by an earlier delivery
    if job.attempts >= rt.setup.max_attempts:
        message = f"the worker running the job died {job.attempts} time(s); it is not run again"
        log.error("job %s: %s", job.id, message)
        rt.finished(job.id, Outcome.failure(JobStatus.FAILED, WORKER_LOST, message))
        return None
    restarted = rt.store.restart(job.id, attempts=job.attempts, at=utcnow(), progress=STARTED)
    if restarted is None:
        return None  # finished meanwhile, or another delivery restarted it first
    log.warning(
        "job %s delivered again after its worker died: attempt %d", job.id, restarted.attempts
    )
    rt.running(restarted)
    return restarted


def install(app: Celery, setup: WorkerSetup) -> None:
    """Register the generic task and the worker-process hooks on ``app`` (worker side only)."""
    global _setup
    _setup = setup
    app.task(name=TASK_NAME, base=JobTask, bind=True)(run_job)
    signals.worker_process_init.connect(_warm_up, weak=False)
    signals.worker_process_shutdown.connect(_shut_down, weak=False)


def run_worker(app: Celery, *, concurrency: int, queue: str, log_level: str = "info") -> None:
    """Run a worker of ``app`` in this process until it is stopped (SIGTERM: warm shutdown,
    running jobs finish; their messages are acknowledged only then)."""
    app.worker_main(
        [
            "worker",
            f"--concurrency={concurrency}",
            f"--queues={queue}",
            "--pool=prefork",
            f"--loglevel={log_level.upper()}",
            # No gossip, mingle or heartbeats: workers need not know each other here, and
            # every one of them costs broker traffic.
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    )
