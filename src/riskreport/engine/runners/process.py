"""The process runner: CPU-bound or un-interruptible jobs in worker processes that can be killed.

``concurrency`` slots over a pool of long-lived worker processes (plus a spare; see
:mod:`~riskreport.engine.runners.pool`), each started with the ``forkserver`` method (``spawn``
where there is none; never ``fork`` from a threaded event-loop process). Each worker runs the
initializer once, then one job at a time. A job that times out or is cancelled has its worker
killed (SIGKILL) and its slot freed at once; the spare takes the next job while a replacement
starts. A worker that crashes fails only its own job (code ``crashed``, with the exit code or
signal), never the pool: this is why the runner does not use ``ProcessPoolExecutor``, which breaks
wholesale when one worker dies.

Progress and log records travel back over the worker's pipe (the messages of
:mod:`~riskreport.engine.runners.pipe`); the pipe is read in a thread
(``anyio.to_thread``) so a large result never blocks the loop.

Use::

    runner = ProcessRunner(4, initializer=Initializer("pkg.mod:prepare"))
    await runner.start(["pkg.mod:run"])
    await runner.run(job, "pkg.mod:run", job_timeout=60, recorder=recorder, control=control)
    await runner.aclose()
"""

from __future__ import annotations

import importlib.util
import logging
import multiprocessing
from collections.abc import Iterable
from typing import assert_never

import anyio
import anyio.to_thread

from riskreport.engine import context
from riskreport.engine.backend import JobRecorder
from riskreport.engine.jobs import Job, JobStatus
from riskreport.engine.outcome import CRASHED, ERROR, FAILED_MESSAGE, Outcome
from riskreport.engine.runners import pipe
from riskreport.engine.runners import worker as worker_module
from riskreport.engine.runners.control import (
    JobControl,
    SlotRunner,
    record_abandoned,
    record_started,
)
from riskreport.engine.runners.pool import Worker, WorkerPool, describe_exit, dispatch_log
from riskreport.engine.spec import Initializer, split_dotted

log = logging.getLogger("riskreport.engine")


def default_start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


class ProcessRunner(SlotRunner):
    def __init__(
        self,
        concurrency: int,
        *,
        initializer: Initializer | None = None,
        start_method: str | None = None,
        spares: int = 1,
    ) -> None:
        """``spares``: idle workers kept beyond ``concurrency`` to replace a killed one at once."""
        if concurrency < 1 or spares < 0:
            raise ValueError("need concurrency >= 1 and spares >= 0")
        super().__init__(concurrency)
        self._method = start_method or default_start_method()
        self._context = multiprocessing.get_context(self._method)
        self._pool = WorkerPool(self._context, initializer, size=concurrency, spares=spares)
        self._readers: anyio.CapacityLimiter | None = None

    def _reader_limiter(self) -> anyio.CapacityLimiter:
        if self._readers is None:
            # One pipe reader per running job; its own limiter so they never wait for others.
            self._readers = anyio.CapacityLimiter(self._capacity)
        return self._readers

    async def start(self, functions: Iterable[str]) -> None:
        async def steps() -> None:
            # Fail early on a misspelt module, without importing it into this process.
            for path in functions:
                module = split_dotted(path)[0]
                if await anyio.to_thread.run_sync(importlib.util.find_spec, module) is None:
                    raise ModuleNotFoundError(f"no module {module!r} for job function {path!r}")
            if self._method == "forkserver":
                # Workers fork from a server that has imported the worker loop already.
                self._context.set_forkserver_preload([worker_module.__name__])
            await self._pool.fill()

        await self._warm_up(steps)

    def shutting_down(self) -> None:
        self._pool.shutting_down()

    async def aclose(self) -> None:
        await self._pool.aclose()

    async def _run_held(
        self,
        job: Job,
        function: str,
        job_timeout: float,
        recorder: JobRecorder,
        control: JobControl,
    ) -> None:
        worker = await self._take_worker(job, recorder)
        if worker is None:
            return
        if not await record_started(recorder, job.id, control):
            self._pool.give_back(worker)
            return
        fit = False
        try:
            fit = await self._run_in(worker, job, function, job_timeout, recorder, control)
        finally:
            if fit:
                self._pool.give_back(worker)
            else:
                self._pool.discard(worker)

    async def _take_worker(self, job: Job, recorder: JobRecorder) -> Worker | None:
        try:
            return await self._pool.take()
        except Exception as exc:
            log.exception("could not start a worker process for job %s: %s", job.id, exc)
            message = "the service could not start a worker process for the job"
            await recorder.finished(job.id, Outcome.failure(JobStatus.FAILED, CRASHED, message))
            return None

    async def _run_in(
        self,
        worker: Worker,
        job: Job,
        function: str,
        job_timeout: float,
        recorder: JobRecorder,
        control: JobControl,
    ) -> bool:
        """Run one job in ``worker``; True if the worker is still fit for the next job."""
        readers = self._reader_limiter()
        call = pipe.Run(job.id, function, dict(job.payload), job_timeout, context.request_id.get())
        outcome: Outcome | None = None
        crashed = False
        try:
            with control.cancellable() as scope:
                scope.deadline = anyio.current_time() + job_timeout
                try:
                    pipe.send(worker.conn, call)
                    while outcome is None:
                        reply = await anyio.to_thread.run_sync(
                            pipe.from_worker, worker.conn, abandon_on_cancel=True, limiter=readers
                        )
                        outcome = _handle(reply, job.id, recorder)
                except (EOFError, OSError):
                    crashed = True
        except anyio.get_cancelled_exc_class():
            # Cancelled from outside (shutdown): the job must not run on unobserved.
            worker.kill()
            await record_abandoned(recorder, job.id)
            raise
        except Exception:
            # A bug here, not in the job: never leave the job ``running`` or the worker alive.
            worker.kill()
            log.exception("the process runner failed on job %s", job.id)
            await recorder.finished(
                job.id, Outcome.failure(JobStatus.FAILED, ERROR, FAILED_MESSAGE)
            )
            return False
        if outcome is not None:
            await recorder.finished(job.id, outcome)
            return True
        worker.kill()
        if not crashed and not control.cancel_requested:
            await recorder.finished(job.id, Outcome.timed_out(job_timeout))
        code = await anyio.to_thread.run_sync(worker.reap, abandon_on_cancel=True)
        if crashed and not control.cancel_requested:
            message = f"the worker process {describe_exit(code)}"
            log.error("job %s crashed: %s", job.id, message)
            await recorder.finished(job.id, Outcome.failure(JobStatus.FAILED, CRASHED, message))
        # The pipe is left to the garbage collector: an abandoned reader thread may still hold
        # it, and closing it under that thread could let it read a reused descriptor.
        return False


def _handle(message: pipe.FromWorker, job_id: str, recorder: JobRecorder) -> Outcome | None:
    """Act on one message from a busy worker; the job's outcome once it is ``Done``."""
    match message:
        case pipe.Done(outcome):
            return outcome
        case pipe.Report(progress):
            recorder.progress(job_id, progress)
        case pipe.Log(record):
            dispatch_log(record)
        case pipe.Ready() | pipe.StartFailed():
            log.error("unexpected message from worker for job %s: %r", job_id, message)
        case _:
            assert_never(message)
    return None
