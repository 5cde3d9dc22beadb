"""Progress on its way from a job to the store, at most a few reports a second per job.

Every report that reaches the store costs a hop (up a worker's pipe, or to the event loop) and a
store write, under the GIL the API process's event loop needs. A report job reports a dozen times
within a few milliseconds of computing hazards; passed on as they come, they were about a quarter
of the API process's CPU per job. A client polling or streaming the job cannot tell reports a few
milliseconds apart anyway. Every runner therefore passes its jobs' progress through one
:class:`ProgressThrottle` per job (one per worker process, where a process runs one job at a
time).

A report goes on at once when its stage differs from the last one sent, or when ``interval``
seconds have passed since that one; otherwise it is held, replacing any held before it, and is
sent when the interval ends by the process's one flusher thread (shared by every throttle, so
that four thread jobs do not keep four threads). The stored progress is therefore never more than
``interval`` behind the job, and stages are never skipped. ``end()`` drops a held report when the
job ends: its final state supersedes it.

Use::

    throttle = ProgressThrottle(lambda p: send(pipe.Report(p)), interval=0.1)
    throttle.report(Progress(0.3, "hazards"))   # from any thread of the job
    throttle.end()                              # before the job's final state
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from typing import Protocol

from riskreport.engine.jobs import Progress

log = logging.getLogger("riskreport.engine")

# Seconds between two reports of one stage that are passed on.
INTERVAL = 0.1


class ProgressThrottle:
    def __init__(self, send: Callable[[Progress], None], interval: float = INTERVAL) -> None:
        if interval < 0:
            raise ValueError("interval must be >= 0")
        self._send = send
        self._interval = interval
        # One lock for the state and the sends, so reports are sent in the order made.
        self._lock = threading.Lock()
        self._held: Progress | None = None
        self._stage: str | None = None
        self._sent_at = float("-inf")
        # Started now (a worker builds its throttle at warm-up), not in a job's time.
        self._flusher = flusher()

    def report(self, progress: Progress) -> None:
        with self._lock:
            now = time.monotonic()
            if progress.stage != self._stage or now - self._sent_at >= self._interval:
                self._held = None
                self._emit(progress, now)
                return
            holding = self._held is not None
            self._held = progress
            due = self._sent_at + self._interval
        if not holding:
            # Only when it starts holding: the flusher then waits out the interval by itself,
            # so a burst of reports does not wake it (and the GIL) each time.
            self._flusher.due(self, due)

    def end(self) -> None:
        """The job ended: drop what is held and start afresh for the next job."""
        with self._lock:
            self._held = None
            self._stage = None
            self._sent_at = float("-inf")

    def flush(self) -> None:
        """Send what is held, if its interval has ended (the flusher calls this)."""
        with self._lock:
            held = self._held
            if held is None:
                return
            now = time.monotonic()
            due = self._sent_at + self._interval
            if now >= due:
                self._held = None
                try:
                    self._emit(held, now)
                except OSError:
                    # A worker's parent has gone: its main loop will see EOF and exit.
                    log.debug("a held progress report found no parent to go to")
                return
        self._flusher.due(self, due)

    def _emit(self, progress: Progress, now: float) -> None:
        self._send(progress)
        self._stage = progress.stage
        self._sent_at = now


class Held(Protocol):
    """Something held back to be sent later: a throttle's report, a Celery pool process's
    held start. Hashable; ``flush`` sends it if it is due, or asks to be called again."""

    def flush(self) -> None: ...


class Flusher:
    """One daemon thread per process that sends held reports when their interval ends."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._due: dict[Held, float] = {}
        self._thread = threading.Thread(target=self._run, name="riskreport-flusher", daemon=True)
        self._thread.start()

    def due(self, held: Held, at: float) -> None:
        """Call ``held.flush()`` at ``at`` (monotonic seconds); a later call for the same
        ``held`` replaces the time."""
        with self._changed:
            earliest = min(self._due.values(), default=float("inf"))
            self._due[held] = at
            if at < earliest:
                self._changed.notify()

    def _run(self) -> None:
        while True:
            with self._changed:
                while not self._due:
                    self._changed.wait()
                now = time.monotonic()
                ready = [held for held, at in self._due.items() if at <= now]
                if not ready:
                    self._changed.wait(min(self._due.values()) - now)
                    continue
                for held in ready:
                    del self._due[held]
            for held in ready:
                try:
                    held.flush()
                except Exception:
                    # A failed send loses one report; the flusher must live on for the others.
                    log.exception("a held report could not be sent")


_instance: Flusher | None = None
_instance_lock = threading.Lock()


def flusher() -> Flusher:
    """This process's flusher, started on first use."""
    global _instance
    with _instance_lock:
        if _instance is None:
            _instance = Flusher()
        return _instance


def _forget_after_fork() -> None:
    # A forked child (a Celery pool process) has no flusher thread (threads do not survive a
    # fork), and the lock may have been held by a thread of the parent at the fork.
    global _instance, _instance_lock
    _instance = None
    _instance_lock = threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)
