"""The engine's implementation of :class:`~riskreport.engine.context.JobContext`.

One ``RunContext`` is built per run, in the thread or child process that runs the function.
Use (in a runner)::

    ctx = RunContext(job.id, deadline=time.monotonic() + timeout, cancel=token, sink=send)
    fn(payload, ctx)
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from riskreport.engine.errors import JobCancelled, JobDeadlineExceeded
from riskreport.engine.jobs import Progress


class RunContext:
    """What a job function sees. ``deadline`` is on the ``time.monotonic()`` clock.

    ``cancel`` is the cancel token (a ``threading.Event`` set by the engine); ``sink`` receives
    progress and must be cheap and thread-safe (it hops to the event loop or into a pipe).
    """

    __slots__ = ("_cancel", "_deadline", "_job_id", "_sink")

    def __init__(
        self,
        job_id: str,
        *,
        deadline: float,
        cancel: threading.Event | None,
        sink: Callable[[Progress], None],
    ) -> None:
        self._job_id = job_id
        self._deadline = deadline
        self._cancel = cancel
        self._sink = sink

    @property
    def job_id(self) -> str:
        return self._job_id

    def report(self, fraction: float, stage: str) -> None:
        # Progress validates the fraction; a bad value is a bug in the job, so it raises.
        self._sink(Progress(fraction=float(fraction), stage=stage))

    def cancelled(self) -> bool:
        return self._cancel is not None and self._cancel.is_set()

    def remaining(self) -> float:
        return max(0.0, self._deadline - time.monotonic())

    def check(self) -> None:
        if self.cancelled():
            raise JobCancelled(f"job {self._job_id} was cancelled")
        if self.remaining() <= 0.0:
            raise JobDeadlineExceeded(f"job {self._job_id} ran out of time")
