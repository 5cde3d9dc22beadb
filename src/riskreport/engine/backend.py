"""The ``Backend`` seam: where and how jobs run, behind the ``Engine``.

A backend takes jobs that the engine has already stored as ``queued`` and runs them. It reports
what happens through a :class:`JobRecorder`, which writes the store first and announces second.
Because state, progress and results live in the store, a backend whose workers run in other
processes or machines (Celery, later) can hand each worker a recorder over the same store; the
API process then learns of changes by re-reading the store (``poll_interval``) or a notifier.

Implementations: :class:`~riskreport.engine.backends.inline.InlineBackend` (runs the job within
``submit``, for tests and the one-shot CLI) and
:class:`~riskreport.engine.backends.local.LocalBackend` (this process's thread and process
runners). One contract suite (``tests/engine/test_backend_contract.py``) runs each.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from riskreport.engine.jobs import Job, Progress
from riskreport.engine.outcome import Outcome
from riskreport.engine.spec import JobSpec


class JobRecorder(Protocol):
    """Where runners report a job's life. Every method writes to the store, then announces."""

    def heard(self, job_id: str, job: Job | None, *, mine: bool) -> None:
        """A change another process made (and stored), heard by a backend: wake waiters here;
        listeners hear it when ``mine`` (admitted in this process). ``job``: as stored, when the
        change was one of status."""

    async def current(self, job_id: str) -> Job:
        """The job as stored now (a backend that may have missed changes reads it again)."""

    async def started(self, job_id: str) -> Job | None:
        """Move the job ``queued -> running`` and return it as stored (payload included, so a
        worker in another process needs no read of its own); None if it is no longer queued
        (cancelled, or taken by another process)."""

    def progress(self, job_id: str, progress: Progress) -> None:
        """Record progress; call on the event loop. Never blocks: writes are queued, coalesced."""

    async def finished(self, job_id: str, outcome: Outcome) -> Job | None:
        """Record the final state; None if the job was already final (e.g. cancelled first)."""

    async def requeue(self, job_id: str) -> bool:
        """Return a running job to ``queued`` (shutdown); False if it had ended first."""


@dataclass(frozen=True, slots=True)
class BackendStats:
    """``running``: runner slots in use now; ``capacity``: slots in all runners the specs use."""

    running: int
    capacity: int


class Backend(Protocol):
    @property
    def ready(self) -> bool:
        """True once :meth:`start` has finished the warm-up."""

    @property
    def exclusive(self) -> bool:
        """True when this process alone runs the store's jobs.

        Then jobs found ``queued`` or ``running`` at start-up were left by a dead process and the
        engine fails them as ``interrupted``. A distributed backend answers False (other workers
        may be running those jobs right now).
        """

    @property
    def poll_interval(self) -> float | None:
        """Seconds between store re-reads for waiters; None when every change is announced
        in this process (inline, local)."""

    def attach(self, recorder: JobRecorder) -> None:
        """Take the recorder; :meth:`submit` may follow at once (jobs wait for the warm-up).
        The engine calls it before :meth:`start`, to hand over jobs accepted before a restart."""

    async def start(self, specs: Mapping[str, JobSpec], recorder: JobRecorder) -> None:
        """Warm up (initializers, worker processes) off the event loop; then ``ready``."""

    async def submit(self, job: Job, spec: JobSpec, *, job_timeout: float) -> None:
        """Run a stored, queued job; the job function gets ``job_timeout`` s.

        Local backends return at once and run the job in the background; the inline backend
        returns when the job is final.
        """

    async def call(self, job: Job, spec: JobSpec, *, job_timeout: float) -> Outcome:
        """Run ``spec``'s function on ``job.payload`` in the spec's runner, under its limit and
        ``job_timeout``, and return the outcome without storing anything (``job`` is never
        stored). For work derived from a finished job, such as a document rendered on request.
        """

    async def cancel(self, job: Job) -> None:
        """Stop a job the store already records as final (``job``, as stored): cancelled, or
        ended through another process. Drop it from the queue, kill its process, or set its
        thread's cancel token. Unknown jobs are ignored."""

    def stats(self) -> BackendStats:
        """Cheap and synchronous (metrics read it at scrape time)."""

    async def shutdown(self, grace: float, *, requeue: bool) -> None:
        """Stop: running jobs get ``grace`` seconds, then they are stopped (processes killed,
        thread tokens set); never blocks.

        With ``requeue`` (a durable store) the jobs it holds stay or go back to ``queued`` in
        the store, for the next start; without, they are recorded ``cancelled`` (``shutdown``).
        """
