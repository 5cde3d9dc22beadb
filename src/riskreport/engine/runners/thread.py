"""The thread runner: I/O-bound jobs (LLM calls) in worker threads, with a limit and a deadline.

Each job runs in a thread of the runner's own pool of ``concurrency`` threads, with a copy of the
submitting task's contextvars (``contextvars.copy_context``; plain ``run_in_executor`` would
drop them), so the request id reaches the job and its log records. A ``CapacityLimiter`` of
``concurrency`` slots is the queue in front.

A thread cannot be killed. So a job gets a cancel token and a deadline through its context and
must pass them to its I/O (``ctx.remaining()`` as the timeout of every call, ``ctx.check()``
between steps). At the deadline the job is recorded ``timed_out`` at once and the caller is told,
but its slot stays taken until the thread really returns: the limit is never exceeded, and a
thread that ignores its deadline keeps its slot for as long as it runs. CPU-bound or
un-interruptible work belongs in the process runner, which can kill.

The jobs share the server's interpreter, so their Python competes for the GIL with the event
loop. Their ``ctx.computing()`` blocks share one lock (one job computes at a time, which is all
the GIL allows anyway), and while a thread runner runs the process's switch interval is 1 ms
instead of 5: the loop then waits for the GIL behind one thread, about a millisecond. With four
report jobs computing at once, a health check had waited 10-20 ms.

Why a ``ThreadPoolExecutor`` and ``asyncio.timeout`` rather than ``anyio.to_thread`` with
``abandon_on_cancel``: the same semantics (context copied, the wait abandoned at the deadline
while the thread runs on), at about half the event-loop cost per job, and the executor's future
says when an abandoned thread really returns, which is when its slot comes free.

Use::

    runner = ThreadRunner(4, initializer=Initializer("pkg.mod:prepare"))
    await runner.start(["pkg.mod:run"])
    control = JobControl(job.id)
    await runner.run(job, "pkg.mod:run", job_timeout=60, recorder=recorder, control=control)
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from riskreport.engine.backend import JobRecorder
from riskreport.engine.context import RunContext, run_function
from riskreport.engine.jobs import Job, Progress
from riskreport.engine.outcome import Outcome
from riskreport.engine.runners.control import (
    JobControl,
    SlotRunner,
    record_abandoned,
    record_started,
)
from riskreport.engine.runners.throttle import ProgressThrottle
from riskreport.engine.spec import Initializer, resolve

log = logging.getLogger("riskreport.engine")

# Seconds a thread may hold the GIL while another waits for it (CPython's default is 5 ms).
SWITCH_INTERVAL = 0.001
_switch_lock = threading.Lock()
_switch_users = 0
_switch_before = 0.0


def _lower_switch_interval() -> None:
    global _switch_users, _switch_before
    with _switch_lock:
        if _switch_users == 0:
            _switch_before = sys.getswitchinterval()
            sys.setswitchinterval(min(_switch_before, SWITCH_INTERVAL))
        _switch_users += 1


def _restore_switch_interval() -> None:
    global _switch_users
    with _switch_lock:
        _switch_users -= 1
        if _switch_users == 0:
            sys.setswitchinterval(_switch_before)


class ThreadRunner(SlotRunner):
    def __init__(self, concurrency: int, *, initializer: Initializer | None = None) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        super().__init__(concurrency)
        self._initializer = initializer
        self._functions: dict[str, Callable[..., Any]] = {}
        # As many threads as slots: a thread only runs under a slot, so none ever waits here.
        self._threads = ThreadPoolExecutor(concurrency, thread_name_prefix="riskreport-job")
        # Shared by the jobs' ctx.computing() blocks.
        self._compute = threading.Lock()
        self._switching = False

    async def _in_thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._threads, contextvars.copy_context().run, fn, *args)

    async def start(self, functions: Iterable[str]) -> None:
        if not self._switching:
            self._switching = True
            _lower_switch_interval()

        async def steps() -> None:
            if self._initializer is not None:
                await self._in_thread(self._initializer)
            for path in functions:
                # Importing can be slow (numpy, templates): do it here, off the loop, once.
                self._functions[path] = await self._in_thread(resolve, path)

        await self._warm_up(steps)

    def shutting_down(self) -> None:
        """Nothing to do until :meth:`aclose`."""

    async def aclose(self) -> None:
        """Let the threads go; one that is still running a job ends when the job returns.

        Python joins these threads when the interpreter exits, so a job that never returns
        keeps the process from exiting: give blocking calls a timeout (``ctx.remaining()``).
        """
        self._threads.shutdown(wait=False, cancel_futures=True)
        if self._switching:
            self._switching = False
            _restore_switch_interval()

    async def _run_held(
        self,
        job: Job,
        function: str,
        job_timeout: float,
        recorder: JobRecorder,
        control: JobControl,
    ) -> None:
        if control.cancel_requested:
            return
        loop = asyncio.get_running_loop()

        def send(progress: Progress) -> None:
            # From the job's thread (or the flusher's): hand the report to the loop without
            # waiting for it.
            try:
                loop.call_soon_threadsafe(recorder.progress, job.id, progress)
            except RuntimeError:
                log.debug("progress of job %s dropped: the event loop has closed", job.id)

        # Each hop wakes the loop: a burst of reports of one stage goes as its first and last.
        throttle = ProgressThrottle(send)
        ctx = RunContext(
            job.id,
            deadline=time.monotonic() + job_timeout,
            cancel=control.token,
            sink=throttle.report,
            compute=self._compute,
        )
        target = self._functions.get(function) or function
        thread = self._threads.submit(
            contextvars.copy_context().run, run_function, target, job.payload, ctx
        )
        # The thread starts before its `running` write is stored, not after: that write
        # (about a millisecond on SQLite, queued behind the writes of every other job finishing
        # at the same time) then costs the job nothing. The state is still announced only once
        # stored, and the final state is written after it. Should the store refuse the move (a
        # cancel got there first) or fail, the job is told to stop and keeps its slot until it
        # returns: the limit counts threads, not store writes.
        try:
            started = await record_started(recorder, job.id, control)
        except BaseException:
            control.token.set()
            await asyncio.wait((asyncio.wrap_future(thread),))
            raise
        if not started:
            control.token.set()
            await asyncio.wait((asyncio.wrap_future(thread),))
            return
        try:
            async with asyncio.timeout(job_timeout):
                # At the deadline only this wrapper is cancelled; the thread runs on.
                outcome: Outcome = await asyncio.wrap_future(thread)
        except TimeoutError:
            pass  # handled below, outside the except clause
        except asyncio.CancelledError:
            control.token.set()  # the thread runs on, abandoned: ask it to stop
            await record_abandoned(recorder, job.id)
            raise
        else:
            # The thread has returned, so the slot it counted is free: the next job starts now,
            # not after this one's final write (which waits for the store's next batch, tens of
            # milliseconds when jobs finish together). The write is queued first: the next job
            # runs only once this task waits, and the stores queue a write before they wait.
            throttle.end()  # the final state supersedes a report still held back
            finishing = recorder.finished(job.id, outcome)
            self._free_slot(control)
            await finishing
            return
        # Deadline: tell the job to stop, tell the world at once, keep the slot until the
        # thread really returns (``run`` releases it after this coroutine ends).
        control.token.set()
        throttle.end()
        await recorder.finished(job.id, Outcome.timed_out(job_timeout))
        log.warning("job %s timed out after %g s; its thread still runs", job.id, job_timeout)
        await asyncio.wait((asyncio.wrap_future(thread),))
