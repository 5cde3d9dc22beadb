"""The inline backend: ``submit`` runs the job to its end before it returns.

Deterministic and simple, for tests and the one-shot CLI: one thread runner slot, so jobs run one
at a time, in the caller's task (and so with the caller's contextvars). Every spec runs in the
thread runner, including ``process`` specs; use :class:`~riskreport.engine.backends.local.
LocalBackend` for killable process jobs.

Use::

    engine = Engine(store, InlineBackend(), specs, queue_limit=10, job_timeout=60, shutdown_grace=5)
    job = await engine.submit("report", payload)     # returns once the job is final
"""

from __future__ import annotations

from collections.abc import Mapping

from riskreport.engine.backend import BackendStats, JobRecorder
from riskreport.engine.backends.capture import call_in
from riskreport.engine.backends.roster import Roster
from riskreport.engine.jobs import Job
from riskreport.engine.outcome import Outcome
from riskreport.engine.runners.thread import ThreadRunner
from riskreport.engine.spec import Initializer, JobSpec


class InlineBackend:
    exclusive = True
    poll_interval: float | None = None

    def __init__(self, *, initializer: Initializer | None = None) -> None:
        self._runner = ThreadRunner(1, initializer=initializer)
        self._roster = Roster()
        self._recorder: JobRecorder | None = None

    @property
    def ready(self) -> bool:
        return self._runner.ready

    def attach(self, recorder: JobRecorder) -> None:
        self._recorder = recorder

    async def start(self, specs: Mapping[str, JobSpec], recorder: JobRecorder) -> None:
        self._recorder = recorder
        await self._runner.start(sorted({spec.function for spec in specs.values()}))

    async def submit(self, job: Job, spec: JobSpec, *, job_timeout: float) -> None:
        if self._recorder is None:
            raise RuntimeError("InlineBackend.submit before start")
        control = self._roster.enter(job.id)
        await self._roster.run(
            self._runner,
            job,
            spec.function,
            job_timeout=job_timeout,
            recorder=self._recorder,
            control=control,
        )

    async def call(self, job: Job, spec: JobSpec, *, job_timeout: float) -> Outcome:
        return await call_in(self._runner, job, spec, job_timeout=job_timeout)

    async def cancel(self, job: Job) -> None:
        if (control := self._roster.get(job.id)) is not None:
            control.cancel()

    def stats(self) -> BackendStats:
        return BackendStats(running=self._runner.running, capacity=self._runner.capacity)

    async def shutdown(self, grace: float, *, requeue: bool = False) -> None:
        self._runner.shutting_down()
        if self._recorder is not None:
            await self._roster.drain(grace, self._recorder, requeue=requeue)
        await self._runner.aclose()
