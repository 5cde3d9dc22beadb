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

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Protocol

import anyio

from riskreport.engine import context
from riskreport.engine.backend import JobRecorder
from riskreport.engine.errors import WarmUpFailed
from riskreport.engine.jobs import Job, JobStatus
from riskreport.engine.outcome import CANCELLED, UNAVAILABLE, Outcome
from riskreport.engine.runners.warmup import WarmUp, warm_up_failed

log = logging.getLogger("riskreport.engine")


class JobControl:
    __slots__ = ("_scope", "holds_slot", "job_id", "returned", "running", "token")

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        # Thread jobs poll this through ``ctx.cancelled()``; a thread cannot be stopped otherwise.
        self.token = threading.Event()
        self.running = False  # True once the store says running (the job holds a slot)
        self.holds_slot = False  # True from taking a slot until giving it back
        # True when shutdown stopped the job to keep it for the next start (requeue), not to
        # end it: a start written meanwhile is undone (see record_started).
        self.returned = False
        self._scope: anyio.CancelScope | None = None

    @property
    def cancel_requested(self) -> bool:
        return self.token.is_set()

    def cancel(self) -> None:
        self.token.set()
        if self._scope is not None:
            self._scope.cancel()

    def stop_for_requeue(self) -> None:
        """Stop the job to run it at the next start: it stays (or goes back to) ``queued``."""
        self.returned = True
        self.cancel()

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


_NOT_WARM = Outcome.failure(
    JobStatus.FAILED, UNAVAILABLE, "the service could not start its job runner; try again later"
)
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


async def record_started(recorder: JobRecorder, job_id: str, control: JobControl) -> bool:
    """Record the job ``running``; False if it was cancelled first or the store refused.

    Also False when shutdown stopped the job for the next start while its ``running`` write was
    on the way: the write is undone (back to ``queued``) instead of the job being run and
    reported cancelled, which would lose it.
    """
    if control.cancel_requested or await recorder.started(job_id) is None:
        return False
    if control.returned:
        await recorder.requeue(job_id)
        return False
    control.running = True
    return True


class SlotRunner(ABC):
    """What the thread and process runners share: ``capacity`` slots behind a warm-up gate."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._warmup = WarmUp()
        # Created on first use: anyio primitives need a running event loop.
        self._slots: anyio.CapacityLimiter | None = None

    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def running(self) -> int:
        return 0 if self._slots is None else int(self._slots.borrowed_tokens)

    @property
    def ready(self) -> bool:
        return self._warmup.opened

    def _slot_limiter(self) -> anyio.CapacityLimiter:
        if self._slots is None:
            self._slots = anyio.CapacityLimiter(self._capacity)
        return self._slots

    async def _warm_up(self, steps: Callable[[], Awaitable[None]]) -> None:
        """Run ``steps`` and open the gate; on failure open it with the error (queued jobs
        fail with it) and raise that error."""
        self._slot_limiter()
        try:
            await steps()
        except Exception as exc:
            failed = warm_up_failed(exc)
            self._warmup.open(failed)
            raise failed from exc
        self._warmup.open()

    async def run(
        self,
        job: Job,
        function: str,
        *,
        job_timeout: float,
        recorder: JobRecorder,
        control: JobControl,
    ) -> None:
        """Wait for warm-up and a slot, run the job under it, free the slot however it ends."""
        slots = self._slot_limiter()
        try:
            if not await take_slot(slots, control, self._warmup):
                return  # cancelled while queued; the engine has recorded it
        except WarmUpFailed as exc:
            log.error("job %s not run: %s", job.id, exc)
            await recorder.finished(job.id, _NOT_WARM)
            return
        control.holds_slot = True
        # Log records of this job (here, in its thread, in its worker) carry its id.
        marker = context.job_id.set(job.id)
        try:
            await self._run_held(job, function, job_timeout, recorder, control)
        finally:
            context.job_id.reset(marker)
            self._free_slot(control)

    def _free_slot(self, control: JobControl) -> None:
        """Give the job's slot back (once; :meth:`run` does it at the end if nobody did before)."""
        if control.holds_slot:
            control.holds_slot = False
            self._slot_limiter().release_on_behalf_of(control)

    @abstractmethod
    async def _run_held(
        self,
        job: Job,
        function: str,
        job_timeout: float,
        recorder: JobRecorder,
        control: JobControl,
    ) -> None:
        """Under the job's slot: record ``running``, run, record the final state."""


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
