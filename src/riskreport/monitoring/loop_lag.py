"""Event-loop lag: how late the loop wakes up, and which code held it when it is late.

A blocked event loop is the failure this service exists to avoid (one synchronous call in an
``async def`` handler stalls every request). This monitor makes such a stall visible in
production:

* a probe task sleeps ``interval`` seconds in a loop and records how much it overslept (the lag),
  handing every sample to ``on_sample`` (e.g. a Prometheus histogram's ``observe``);
* a watchdog *thread* checks the probe's heartbeat; when the loop has not checked in for more
  than ``threshold`` seconds it samples the loop thread's current stack
  (``sys._current_frames()``) and logs a WARNING on the ``riskreport.loop_lag`` logger with that
  stack, while the offending code is still running. A thread is needed because nothing on a
  blocked loop can run. When the loop runs again, the probe logs the stall's full length.
* when the loop thread is not in a callback at all (it waits for the GIL, which another thread
  keeps through a long C call, or for the CPU), the warning adds the stacks of the other threads
  that are not parked in a known wait: the one that kept the GIL is among them, stopped at its
  next Python step after that call. The watchdog can sample only once that call has returned,
  and the loop thread may take the GIL first; the probe then logs the stall without stacks.

Use::

    monitor = LoopLagMonitor(interval=0.01, threshold=0.05, on_sample=histogram.observe)
    await monitor.start()      # from inside the running loop
    ...
    await monitor.stop()

or ``async with LoopLagMonitor(...) as monitor: ...``.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
import traceback
from collections.abc import Callable, Mapping
from types import FrameType, TracebackType
from typing import Self

LOGGER_NAME = "riskreport.loop_lag"


class LoopLagMonitor:
    """Measure event-loop lag continuously and log the stack of code that blocks the loop."""

    def __init__(
        self,
        *,
        interval: float = 0.01,
        threshold: float = 0.05,
        on_sample: Callable[[float], None] | None = None,
        logger: logging.Logger | None = None,
    ) -> None:
        if interval <= 0 or threshold <= 0:
            raise ValueError("interval and threshold must be positive")
        self.interval = interval
        self.threshold = threshold
        self._on_sample = on_sample
        self._log = logger or logging.getLogger(LOGGER_NAME)
        # The watchdog looks a few times per threshold so that a stall is sampled early in it.
        self._poll = min(threshold / 4, 0.02)
        # When the probe should run next (time.monotonic()); its lateness is the lag. Written by
        # the loop thread, read by the watchdog (a float assignment is atomic under the GIL).
        self._due = time.monotonic()
        self._reported_due: float | None = None
        self._loop_thread_id: int | None = None
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self.samples = 0
        self.last_lag = 0.0
        self.max_lag = 0.0
        self.stalls = 0

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        """Start the probe task on the running loop and the watchdog thread."""
        if self.running:
            return
        self._loop_thread_id = threading.get_ident()
        # Due at once: if the loop is blocked before the probe first runs, that counts too.
        self._due = time.monotonic()
        self._stopping.clear()
        self._task = asyncio.create_task(self._probe(), name="riskreport-loop-lag-probe")
        self._thread = threading.Thread(
            target=self._watch, name="riskreport-loop-lag-watchdog", daemon=True
        )
        self._thread.start()

    async def stop(self) -> None:
        """Stop both; safe to call twice. Joins the watchdog off the loop."""
        self._stopping.set()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                # The probe was cancelled by us; re-raise only if *we* are being cancelled.
                current = asyncio.current_task()
                if current is not None and current.cancelling():
                    raise
        thread, self._thread = self._thread, None
        if thread is not None:
            # The watchdog wakes within one poll period once _stopping is set.
            await asyncio.to_thread(thread.join)

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def _probe(self) -> None:
        while True:
            due = self._due
            now = time.monotonic()
            self._record(max(0.0, now - due), due=due)
            self._due = now + self.interval
            await asyncio.sleep(self.interval)

    def _record(self, lag: float, *, due: float) -> None:
        self.samples += 1
        self.last_lag = lag
        self.max_lag = max(self.max_lag, lag)
        if self._on_sample is not None:
            self._on_sample(lag)
        if lag > self.threshold:
            self.stalls += 1
            if self._reported_due == due:
                # The watchdog logged this stall while it lasted ("so far"); now that the loop
                # runs again, say how long it really was.
                self._log.warning(
                    "event loop was blocked for %.0f ms in all (threshold %.0f ms)",
                    lag * 1000,
                    self.threshold * 1000,
                    extra={"lag_seconds": lag},
                )
            else:
                # The stall was shorter than the watchdog's polling period could catch with a
                # stack; still say that it happened.
                self._log.warning(
                    "event loop lag %.0f ms exceeded %.0f ms (it ended before the watchdog could "
                    "sample a stack: C code held the GIL, or the process waited for the CPU)",
                    lag * 1000,
                    self.threshold * 1000,
                    extra={"lag_seconds": lag},
                )

    def _watch(self) -> None:
        while not self._stopping.wait(self._poll):
            due = self._due
            overdue = time.monotonic() - due
            if overdue > self.threshold and due != self._reported_due:
                self._reported_due = due
                self._report_stall(overdue)

    def _report_stall(self, overdue: float) -> None:
        # One sample of every thread: the loop thread's stack and the others' are of one moment.
        frames = sys._current_frames()
        frame = frames.get(self._loop_thread_id) if self._loop_thread_id is not None else None
        stack = "".join(traceback.format_stack(frame)) if frame is not None else "(no frame)\n"
        if frame is not None and _in_loop_machinery(frame):
            # No Python code of ours holds the loop: the thread waits for the CPU or for the GIL
            # (another thread of this process runs C code that keeps it), or sits in C code.
            stack += (
                "(the loop thread is in the event loop itself, not in a callback: it is waiting "
                "for the CPU or for the GIL held by another thread)\n"
            )
            stack += _other_threads(frames, exclude={self._loop_thread_id, threading.get_ident()})
        self._log.warning(
            "event loop blocked for %.0f ms so far (threshold %.0f ms); "
            "stack of the code holding it:\n%s",
            overdue * 1000,
            self.threshold * 1000,
            stack.rstrip("\n"),
            extra={"lag_seconds": overdue, "blocking_stack": stack},
        )


# Where a thread's innermost Python frame is when it is parked, not running: (end of the file's
# path, function). A thread stopped anywhere else may be the one that kept the GIL.
_WAITS = frozenset(
    {
        ("/threading.py", "wait"),
        ("/threading.py", "_wait_for_tstate_lock"),
        ("/queue.py", "get"),
        ("/selectors.py", "select"),
        ("/concurrent/futures/thread.py", "_worker"),
        ("/socket.py", "readinto"),
        ("/socket.py", "accept"),
        ("/ssl.py", "read"),
        ("/ssl.py", "recv_into"),
        ("/multiprocessing/connection.py", "_recv"),
        ("/multiprocessing/connection.py", "_poll"),
    }
)
# Innermost frames shown of each such thread: enough to name the code, short enough to read.
_OTHER_DEPTH = 8


def _other_threads(frames: Mapping[int, FrameType], *, exclude: set[int | None]) -> str:
    """The stacks in ``frames`` (thread id -> innermost frame) of the threads but ``exclude``
    that are not parked in a wait."""
    names = {thread.ident: thread.name for thread in threading.enumerate()}
    parts = []
    for ident, frame in frames.items():
        if ident in exclude or _parked(frame):
            continue
        stack = "".join(traceback.format_stack(frame, limit=_OTHER_DEPTH))
        parts.append(f"thread {names.get(ident, ident)!r}, not waiting:\n{stack}")
    if not parts:
        return "(no other thread was running Python code when sampled)\n"
    return "".join(parts)


def _parked(frame: FrameType) -> bool:
    path, name = _path(frame), frame.f_code.co_name
    return any(path.endswith(end) and name == function for end, function in _WAITS)


def _path(frame: FrameType) -> str:
    return frame.f_code.co_filename.replace("\\", "/")


def _in_loop_machinery(frame: FrameType) -> bool:
    """True when the innermost frame is the event loop's own (selector wait, or a C loop)."""
    path = _path(frame)
    return path.endswith(("/selectors.py", "/asyncio/runners.py", "/asyncio/base_events.py"))
