"""Progress on its way up a worker's pipe, at most a few reports a second per job.

Every message a worker sends costs the parent (the API process) a pipe read in a thread, a hop
back to the event loop and a store write, under the GIL it shares with the loop. A report job
reports 16 times, most of them within a few milliseconds of computing hazards; sent as they
come, they were about a quarter of the parent's CPU per job. A client polling or streaming the
job cannot tell reports a few milliseconds apart anyway.

So a report goes up at once when its stage differs from the last one sent, or when
``interval`` seconds have passed since that one; otherwise it is held, replacing any held
before it, and a flusher thread sends it when the interval ends. The stored progress is
therefore never more than ``interval`` behind the job, and stages are never skipped. ``end()``
drops a held report when the job ends: its final state supersedes it.

Use (in the worker, one per process)::

    throttle = ProgressThrottle(lambda p: send(pipe.Report(p)), interval=0.1)
    throttle.report(Progress(0.3, "hazards"))   # from any thread of the job
    throttle.end()                              # before the job's Done
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from riskreport.engine.jobs import Progress

# Seconds between two reports of one stage that reach the parent.
INTERVAL = 0.1


class ProgressThrottle:
    def __init__(self, send: Callable[[Progress], None], interval: float = INTERVAL) -> None:
        if interval < 0:
            raise ValueError("interval must be >= 0")
        self._send = send
        self._interval = interval
        # One lock for the state and the sends, so reports reach the pipe in the order made.
        self._changed = threading.Condition()
        self._held: Progress | None = None
        self._stage: str | None = None
        self._sent_at = float("-inf")
        # Started here, in the worker's warm-up, rather than in the first job's time.
        self._flusher = threading.Thread(
            target=self._flush_held, name="progress-flusher", daemon=True
        )
        self._flusher.start()

    def report(self, progress: Progress) -> None:
        with self._changed:
            now = time.monotonic()
            if progress.stage != self._stage or now - self._sent_at >= self._interval:
                self._held = None
                self._emit(progress, now)
                return
            if self._held is None:
                # Wake the flusher only when it starts holding: it then waits out the interval
                # by itself, so a burst of reports does not wake it (and the GIL) each time.
                self._changed.notify()
            self._held = progress

    def end(self) -> None:
        """The job ended: drop what is held and start afresh for the next job."""
        with self._changed:
            self._held = None
            self._stage = None
            self._sent_at = float("-inf")

    def _emit(self, progress: Progress, now: float) -> None:
        self._send(progress)
        self._stage = progress.stage
        self._sent_at = now

    def _flush_held(self) -> None:
        # Lives as long as the throttle (a daemon thread; one per worker process).
        with self._changed:
            while True:
                if self._held is None:
                    self._changed.wait()
                    continue
                left = self._sent_at + self._interval - time.monotonic()
                if left > 0:
                    self._changed.wait(left)
                    continue
                held, self._held = self._held, None
                try:
                    self._emit(held, time.monotonic())
                except OSError:
                    return  # the parent has gone; the worker's main loop will see EOF and exit
