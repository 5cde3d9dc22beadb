"""The worker processes of the process runner, seen from the parent.

``WorkerPool`` keeps ``size + spares`` live workers. A job takes an idle worker and gives it back
when done; a worker that was killed (timeout, cancel) or crashed is discarded, and a replacement
starts in the background. The spare is why a killed job's slot is usable at once: starting a
worker costs its initializer plus, with ``spawn`` or ``forkserver``, re-importing the program's
main module (CPython's forkserver cannot preload ``__main__``), often a few hundred ms.

Use::

    pool = WorkerPool(multiprocessing.get_context("forkserver"), initializer, size=4, spares=1)
    await pool.fill()                 # at start-up; raises if a worker cannot warm up
    worker = await pool.take()
    ...                               # pool.give_back(worker) or, once killed, pool.discard(worker)
    await pool.aclose()
"""

from __future__ import annotations

import logging
import signal
import sys
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from multiprocessing.process import BaseProcess
from typing import assert_never

import anyio
import anyio.to_thread

from riskreport.engine.runners import pipe
from riskreport.engine.runners import worker as worker_module
from riskreport.engine.spec import Initializer
from riskreport.engine.taskset import TaskSet

log = logging.getLogger("riskreport.engine")

# How long a worker asked to stop, or killed, may take to exit before we stop waiting.
EXIT_WAIT = 5.0


class WorkerStartError(RuntimeError):
    """A worker process died or failed in its initializer before it was ready."""


class Worker:
    """One worker process and the parent's end of its pipe. Blocking methods run in threads."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    @classmethod
    def launch(cls, context: BaseContext, initializer: Initializer | None) -> Worker:
        """Start a worker process, not waiting for its warm-up (blocking, briefly)."""
        parent, child = context.Pipe(duplex=True)
        process = context.Process(  # type: ignore[attr-defined]
            target=worker_module.serve,
            args=(child, initializer, list(sys.path), logging.getLogger().getEffectiveLevel()),
            name="riskreport-worker",
            daemon=True,  # never outlive the parent
        )
        process.start()
        child.close()  # only the child holds its end now, so its death reads as EOF here
        return cls(process, parent)

    def wait_ready(self) -> None:
        """Wait until the worker's initializer has run (blocking: call in a thread); raise
        ``WorkerStartError`` if it fails or the process dies first."""
        while True:
            try:
                message = pipe.from_worker(self.conn)
            except EOFError:
                code = self.reap()
                raise WorkerStartError(
                    f"worker process {describe_exit(code)} during start"
                ) from None
            match message:
                case pipe.Log(record):
                    dispatch_log(record)
                case pipe.Ready():
                    return
                case pipe.StartFailed(reason):
                    self.reap()
                    raise WorkerStartError(f"worker warm-up failed: {reason}")
                case pipe.Report() | pipe.Done():
                    self.kill()
                    self.reap()
                    raise WorkerStartError(f"worker sent {message!r} before it was ready")
                case _:
                    assert_never(message)

    def alive(self) -> bool:
        return self.process.is_alive()

    def kill(self) -> None:
        if self.process.exitcode is None:
            self.process.kill()

    def reap(self) -> int | None:
        """Wait (bounded) for the process to exit; its exit code, or None if it did not."""
        self.process.join(EXIT_WAIT)
        return self.process.exitcode

    def stop(self) -> None:
        """Ask an idle worker to exit, kill it if it does not (blocking: call in a thread)."""
        try:
            pipe.send(self.conn, pipe.Stop())
        except OSError:
            log.debug("worker %s had already gone", self.process.pid)
        if self.reap() is None:
            self.kill()
            self.reap()
        self.conn.close()


class WorkerPool:
    def __init__(
        self,
        context: BaseContext,
        initializer: Initializer | None,
        *,
        size: int,
        spares: int = 1,
    ) -> None:
        self._context = context
        self._initializer = initializer
        self._target = size + spares
        self._idle: list[Worker] = []
        self._count = 0  # workers alive or starting, idle or busy
        self._closing = False
        self._tasks = TaskSet()

    @property
    def idle(self) -> int:
        return len(self._idle)

    async def fill(self) -> None:
        """Start workers until the pool is full (concurrently); raise if one cannot start."""
        async with anyio.create_task_group() as group:
            for _ in range(self._target - self._count):
                group.start_soon(self._add)

    async def _add(self) -> None:
        self._count += 1
        try:
            worker = await self._spawn()
        except BaseException:
            self._count -= 1
            raise
        if self._closing:
            await anyio.to_thread.run_sync(worker.stop)
            self._count -= 1
        else:
            self._idle.append(worker)

    async def _spawn(self) -> Worker:
        worker = await anyio.to_thread.run_sync(Worker.launch, self._context, self._initializer)
        try:
            await anyio.to_thread.run_sync(worker.wait_ready, abandon_on_cancel=True)
        except BaseException:
            # A start cut short (shutdown during warm-up) kills its process: left alone it
            # would warm up to the end, seconds of CPU, for nobody. The abandoned wait then
            # reads EOF and reaps it.
            worker.kill()
            raise
        return worker

    async def take(self) -> Worker:
        """An idle live worker, or a new one if none is idle (raises ``WorkerStartError``)."""
        while self._idle:
            worker = self._idle.pop()
            if worker.alive():
                return worker
            log.warning("idle worker %s died (%s)", worker.process.pid, worker.reap())
            self.discard(worker)
        self._count += 1
        try:
            return await self._spawn()
        except BaseException:
            self._count -= 1
            raise

    def give_back(self, worker: Worker) -> None:
        if self._closing or self._count > self._target:
            self._count -= 1  # one too many (an on-demand start raced a replacement)
            self._tasks.spawn(anyio.to_thread.run_sync(worker.stop), name="stop-worker")
        else:
            self._idle.append(worker)

    def discard(self, worker: Worker) -> None:
        """Forget a dead (killed, crashed) worker and start a replacement in the background."""
        self._count -= 1
        if not self._closing and self._count < self._target:
            self._tasks.spawn(self._replace(), name="replace-worker")

    async def _replace(self) -> None:
        try:
            await self._add()
        except Exception:
            # The next job will try again on demand (and fail with a reason if it cannot).
            log.exception("could not start a replacement worker process")

    def shutting_down(self) -> None:
        """Replace no more workers (jobs killed at shutdown need no successor)."""
        self._closing = True

    async def aclose(self) -> None:
        self._closing = True
        self._tasks.cancel()
        await self._tasks.wait()
        idle, self._idle = self._idle, []
        async with anyio.create_task_group() as group:
            for worker in idle:
                group.start_soon(anyio.to_thread.run_sync, worker.stop)
        self._count -= len(idle)


def dispatch_log(record: logging.LogRecord) -> None:
    """Hand a record forwarded from a worker to this process's logger of the same name."""
    logger = logging.getLogger(record.name)
    if logger.isEnabledFor(record.levelno):
        logger.handle(record)


def describe_exit(code: int | None) -> str:
    if code is None:
        return "did not exit"
    if code < 0:
        try:
            return f"was killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"was killed by signal {-code}"
    return f"exited with code {code}"
