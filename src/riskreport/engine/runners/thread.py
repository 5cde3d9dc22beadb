"""The thread runner: I/O-bound jobs (LLM calls) in worker threads, with a limit and a deadline.

``anyio.to_thread.run_sync`` runs the function with the caller's contextvars copied (so the
request id reaches the job and its log records). A ``CapacityLimiter`` of ``concurrency`` slots
is the queue.

A thread cannot be killed. So a job gets a cancel token and a deadline through its context and
must pass them to its I/O (``ctx.remaining()`` as the timeout of every call, ``ctx.check()``
between steps). At the deadline the job is recorded ``timed_out`` at once and the caller is told,
but its slot stays taken until the thread really returns: the limit is never exceeded, and a
thread that ignores its deadline keeps its slot for as long as it runs. CPU-bound or
un-interruptible work belongs in the process runner, which can kill.

Use::

    runner = ThreadRunner(4, initializer=Initializer("pkg.mod:prepare"))
    await runner.start(["pkg.mod:run"])
    control = JobControl(job.id)
    await runner.run(job, "pkg.mod:run", job_timeout=60, recorder=recorder, control=control)
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import anyio
import anyio.from_thread
import anyio.lowlevel
import anyio.to_thread

from riskreport.engine import context_vars
from riskreport.engine.backend import JobRecorder
from riskreport.engine.errors import WarmUpFailed
from riskreport.engine.invocation import run_function
from riskreport.engine.jobs import Job, JobStatus, Progress
from riskreport.engine.outcome import ERROR, Outcome
from riskreport.engine.run_context import RunContext
from riskreport.engine.runners.control import JobControl, take_slot
from riskreport.engine.runners.warmup import WarmUp, warm_up_failed
from riskreport.engine.spec import Initializer, resolve

log = logging.getLogger("riskreport.engine")


class ThreadRunner:
    def __init__(self, concurrency: int, *, initializer: Initializer | None = None) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self._capacity = concurrency
        self._initializer = initializer
        self._functions: dict[str, Callable[..., Any]] = {}
        self._warmup = WarmUp()
        # Created on first use: anyio primitives need a running event loop.
        self._slots: anyio.CapacityLimiter | None = None
        self._threads: anyio.CapacityLimiter | None = None
        self._loop: anyio.lowlevel.EventLoopToken | None = None

    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def running(self) -> int:
        return 0 if self._slots is None else int(self._slots.borrowed_tokens)

    @property
    def ready(self) -> bool:
        return self._warmup.opened

    def _limiters(self) -> tuple[anyio.CapacityLimiter, anyio.CapacityLimiter]:
        if self._slots is None or self._threads is None:
            self._slots = anyio.CapacityLimiter(self._capacity)
            # Threads have their own limiter so jobs never compete with other to_thread users
            # (anyio's default pool of 40). It never binds: a thread only starts under a slot.
            self._threads = anyio.CapacityLimiter(self._capacity)
            self._loop = anyio.lowlevel.current_token()
        return self._slots, self._threads

    async def start(self, functions: Iterable[str]) -> None:
        _, threads = self._limiters()
        try:
            if self._initializer is not None:
                await anyio.to_thread.run_sync(self._initializer, limiter=threads)
            for path in functions:
                # Importing can be slow (numpy, templates): do it here, off the loop, once.
                self._functions[path] = await anyio.to_thread.run_sync(
                    resolve, path, limiter=threads
                )
        except Exception as exc:
            failed = warm_up_failed(exc)
            self._warmup.open(failed)
            raise failed from exc
        self._warmup.open()

    async def aclose(self) -> None:
        """Nothing to release: worker threads belong to anyio and end with the loop."""

    async def run(
        self,
        job: Job,
        function: str,
        *,
        job_timeout: float,
        recorder: JobRecorder,
        control: JobControl,
    ) -> None:
        slots, threads = self._limiters()
        try:
            if not await take_slot(slots, control, self._warmup):
                return  # cancelled while queued; the engine has recorded it
        except WarmUpFailed as exc:
            await recorder.finished(job.id, Outcome.failure(JobStatus.FAILED, ERROR, str(exc)))
            return
        # Log records of this job (here, in its thread, in its worker) carry its id.
        marker = context_vars.job_id.set(job.id)
        try:
            if control.cancel_requested or not await recorder.started(job.id):
                return
            control.running = True
            await self._run_thread(job, function, job_timeout, recorder, control, threads)
        finally:
            context_vars.job_id.reset(marker)
            slots.release_on_behalf_of(control)

    async def _run_thread(
        self,
        job: Job,
        function: str,
        job_timeout: float,
        recorder: JobRecorder,
        control: JobControl,
        threads: anyio.CapacityLimiter,
    ) -> None:
        loop = self._loop
        assert loop is not None  # set with the limiters

        def sink(progress: Progress) -> None:
            try:
                anyio.from_thread.run_sync(recorder.progress, job.id, progress, token=loop)
            except anyio.RunFinishedError:
                log.debug("progress of job %s dropped: the event loop has finished", job.id)

        ctx = RunContext(
            job.id, deadline=time.monotonic() + job_timeout, cancel=control.token, sink=sink
        )
        call = _ThreadCall(self._functions.get(function), function, job.payload, ctx, loop)
        with anyio.move_on_after(job_timeout) as deadline:
            outcome = await anyio.to_thread.run_sync(call, abandon_on_cancel=True, limiter=threads)
        if not deadline.cancelled_caught:
            await recorder.finished(job.id, outcome)
            return
        # Deadline: tell the job to stop, tell the world at once, keep the slot until the
        # thread really returns (``run`` releases it after this coroutine ends).
        control.token.set()
        await recorder.finished(job.id, Outcome.timed_out(job_timeout))
        log.warning("job %s timed out after %g s; its thread still runs", job.id, job_timeout)
        await call.returned()


class _ThreadCall:
    """The function call that runs in the worker thread, and a way to learn when it returned.

    After a deadline the loop stops awaiting the thread (anyio abandons it) but must still know
    when it ends, to free the slot; only then does the thread hop back to the loop to say so.
    """

    def __init__(
        self,
        fn: Callable[..., Any] | None,
        function: str,
        payload: Mapping[str, Any],
        ctx: RunContext,
        loop: anyio.lowlevel.EventLoopToken,
    ) -> None:
        self._fn = fn
        self._function = function
        self._payload = payload
        self._ctx = ctx
        self._loop = loop
        self._lock = threading.Lock()
        self._finished = False
        self._abandoned = False
        self._returned: anyio.Event | None = None  # made only if the loop stops waiting

    def __call__(self) -> Outcome:
        try:
            return run_function(self._fn or self._function, self._payload, self._ctx)
        finally:
            with self._lock:
                self._finished = True
                wake = self._abandoned
            if wake and self._returned is not None:
                try:
                    anyio.from_thread.run_sync(self._returned.set, token=self._loop)
                except anyio.RunFinishedError:
                    log.debug("job %s returned after the event loop finished", self._ctx.job_id)

    async def returned(self) -> None:
        returned = anyio.Event()
        with self._lock:
            self._returned = returned
            self._abandoned = True
            finished = self._finished
        if not finished:
            await returned.wait()
