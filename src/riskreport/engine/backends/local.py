"""The local backend (the embedded default): this process's thread and process runners.

Each spec names its runner; each runner has ``concurrency`` slots and a FIFO queue in front of
them. ``submit`` returns at once; the job runs in a background task of this backend.

Use::

    backend = LocalBackend(concurrency=4, initializer=Initializer("pkg.mod:prepare"))
    engine = Engine(store, backend, specs, queue_limit=100, job_timeout=60, shutdown_grace=10)
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

import anyio

from riskreport.engine.backend import BackendStats, JobRecorder
from riskreport.engine.backends.capture import call_in
from riskreport.engine.backends.roster import Roster
from riskreport.engine.jobs import Job
from riskreport.engine.outcome import Outcome
from riskreport.engine.runners.control import Runner
from riskreport.engine.runners.process import ProcessRunner
from riskreport.engine.runners.thread import ThreadRunner
from riskreport.engine.runners.warmup import warm_up_failed
from riskreport.engine.spec import Initializer, JobSpec, RunnerKind
from riskreport.engine.taskset import TaskSet

log = logging.getLogger("riskreport.engine")

# After the grace period and the cancel, how long shutdown waits for job tasks to unwind
# (kill and reap processes, abandon threads) before it returns anyway.
_UNWIND = 5.0


class LocalBackend:
    def __init__(
        self,
        *,
        concurrency: int = 4,
        initializer: Initializer | None = None,
        start_method: str | None = None,
        process_spares: int = 1,
        shared_store: bool = False,
        store_poll_interval: float = 0.5,
    ) -> None:
        """``start_method``: multiprocessing start method of worker processes (default
        ``forkserver`` where available, else ``spawn``); ``process_spares``: idle worker
        processes kept beyond ``concurrency`` so a killed worker is replaced at once.

        ``shared_store``: other processes (``serve --workers N``) run jobs of the same store.
        Then this backend does not own the store's unfinished jobs (start-up recovery is the
        parent's), and waits and event streams re-read the store every ``store_poll_interval``
        seconds to see jobs that another process finishes.
        """
        self.exclusive = not shared_store
        self.poll_interval: float | None = store_poll_interval if shared_store else None
        self._runners: dict[RunnerKind, Runner] = {
            RunnerKind.THREAD: ThreadRunner(concurrency, initializer=initializer),
            RunnerKind.PROCESS: ProcessRunner(
                concurrency,
                initializer=initializer,
                start_method=start_method,
                spares=process_spares,
            ),
        }
        self._used: set[RunnerKind] = set()
        self._roster = Roster()
        self._tasks = TaskSet()
        self._recorder: JobRecorder | None = None

    @property
    def ready(self) -> bool:
        return bool(self._used) and all(self._runners[kind].ready for kind in self._used)

    def attach(self, recorder: JobRecorder) -> None:
        self._recorder = recorder

    async def start(self, specs: Mapping[str, JobSpec], recorder: JobRecorder) -> None:
        self._recorder = recorder  # first, before any await: submit may come during warm-up
        functions: dict[RunnerKind, set[str]] = {}
        for spec in specs.values():
            functions.setdefault(spec.runner, set()).add(spec.function)
        self._used = set(functions) or {RunnerKind.THREAD}
        try:
            async with anyio.create_task_group() as group:
                for kind in self._used:
                    group.start_soon(self._runners[kind].start, sorted(functions.get(kind, ())))
        except Exception as exc:
            raise warm_up_failed(exc) from exc

    async def submit(self, job: Job, spec: JobSpec, *, job_timeout: float) -> None:
        if self._recorder is None:
            raise RuntimeError("LocalBackend.submit before start")
        control = self._roster.enter(job.id)
        self._tasks.spawn(
            self._roster.run(
                self._runners[spec.runner],
                job,
                spec.function,
                job_timeout=job_timeout,
                recorder=self._recorder,
                control=control,
            ),
            name=f"job-{job.id}",
        )

    async def call(self, job: Job, spec: JobSpec, *, job_timeout: float) -> Outcome:
        return await call_in(self._runners[spec.runner], job, spec, job_timeout=job_timeout)

    async def cancel(self, job: Job) -> None:
        if (control := self._roster.get(job.id)) is not None:
            control.cancel()

    def stats(self) -> BackendStats:
        running = capacity = 0
        for kind in self._used or (RunnerKind.THREAD,):
            runner = self._runners[kind]
            running += runner.running
            capacity += runner.capacity
        return BackendStats(running=running, capacity=capacity)

    async def shutdown(self, grace: float, *, requeue: bool = False) -> None:
        for runner in self._runners.values():
            runner.shutting_down()
        if self._recorder is not None:
            await self._roster.drain(grace, self._recorder, requeue=requeue)
        # Tasks left are threads that ignored their token (abandoned now) and processes being
        # killed; cancelling lets both unwind without waiting on the work itself.
        self._tasks.cancel()
        if not await self._tasks.wait(within=_UNWIND):
            log.warning("%d job task(s) did not unwind at shutdown", len(self._tasks))
        for runner in self._runners.values():
            await runner.aclose()
