"""The loop side's grip on one job inside a runner, and the ``Runner`` protocol.

A backend makes one :class:`JobControl` per job and keeps it while the job is queued or running.
``cancel()`` does the right thing for the job's phase: it aborts the wait for a slot, sets the
thread job's cancel token, or cancels the scope that waits on a child process (which then kills
it).

Use (in a backend)::

    control = JobControl(job.id)
    await runner.run(job, spec.function, job_timeout=60, recorder=recorder, control=control)
    control.cancel()   # from another task, e.g. Engine.cancel
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol

import anyio

from riskreport.engine.backend import JobRecorder
from riskreport.engine.jobs import Job, JobStatus
from riskreport.engine.outcome import CANCELLED, Outcome
from riskreport.engine.runners.warmup import WarmUp


class JobControl:
    __slots__ = ("_scope", "job_id", "running", "token")

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        # Thread jobs poll this through ``ctx.cancelled()``; a thread cannot be stopped otherwise.
        self.token = threading.Event()
        self.running = False  # True once the store says running (the job holds a slot)
        self._scope: anyio.CancelScope | None = None

    @property
    def cancel_requested(self) -> bool:
        return self.token.is_set()

    def cancel(self) -> None:
        self.token.set()
        if self._scope is not None:
            self._scope.cancel()

    @contextmanager
    def cancellable(self) -> Iterator[anyio.CancelScope]:
        """A scope that :meth:`cancel` cancels (at once if cancel came first)."""
        with anyio.CancelScope() as scope:
            self._scope = scope
            if self.token.is_set():
                scope.cancel()
            try:
                yield scope
            finally:
                self._scope = None


async def take_slot(slots: anyio.CapacityLimiter, control: JobControl, warmup: WarmUp) -> bool:
    """Wait for the runner's warm-up and a free slot; False if the job was cancelled meanwhile.

    The common case (warm, a slot free) takes the slot without yielding to the loop. Raises
    ``WarmUpFailed`` when the runner could not warm up.
    """
    if warmup.opened:
        try:
            slots.acquire_on_behalf_of_nowait(control)
        except anyio.WouldBlock:
            pass
        else:
            return True
    with control.cancellable() as scope:
        await warmup.passed()
        await slots.acquire_on_behalf_of(control)
    return not scope.cancelled_caught  # cancel() came while the job waited


_ABANDONED = Outcome.failure(
    JobStatus.CANCELLED, CANCELLED, "the task running the job was cancelled (its caller left)"
)


async def record_abandoned(recorder: JobRecorder, job_id: str) -> None:
    """Record a job whose runner task is being cancelled, so it is not left ``running``.

    Shielded (the task is cancelled) and bounded. At shutdown the job is already recorded and
    this is a no-op; it matters when an inline ``submit``'s caller is cancelled.
    """
    with anyio.move_on_after(5, shield=True):
        await recorder.finished(job_id, _ABANDONED)


class Runner(Protocol):
    """Runs job functions off the event loop with a concurrency limit and a deadline."""

    @property
    def capacity(self) -> int: ...

    @property
    def running(self) -> int:
        """Slots in use (a timed-out thread that has not returned yet still holds one)."""

    @property
    def ready(self) -> bool: ...

    async def start(self, functions: Iterable[str]) -> None:
        """Warm up: run the initializer, import ``functions`` (thread runner) or start workers."""

    async def run(
        self,
        job: Job,
        function: str,
        *,
        job_timeout: float,
        recorder: JobRecorder,
        control: JobControl,
    ) -> None:
        """Wait for a slot, record ``running``, run, record the final state, free the slot.

        Returns without running if the job was cancelled while waiting.
        """

    def shutting_down(self) -> None:
        """Shutdown has begun: start no new workers (a killed one is not replaced)."""

    async def aclose(self) -> None:
        """Release workers (processes); jobs must already be finished or cancelled."""
