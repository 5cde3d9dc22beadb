"""A Celery worker process's own job bookkeeping: the store, a recorder and the event bus on an
event loop in a thread, used by the generic task (:mod:`.worker`) from the process's main thread.

Use::

    rt = WorkerRuntime(setup)               # once per process (after the fork)
    job = rt.call(rt.store.get(job_id))     # any coroutine, from the main thread
    rt.report(job_id, progress)             # never waits
    rt.close()
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Coroutine, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any, TypeVar

from riskreport.engine.events.redis_bus import RedisEventBus
from riskreport.engine.jobs import Job, Progress
from riskreport.engine.recorder import StoreRecorder
from riskreport.engine.spec import Initializer, JobSpec
from riskreport.engine.store import JobStore

T = TypeVar("T")


@dataclass(frozen=True)
class WorkerSetup:
    """What a worker needs: a store factory (each process opens its own), the job specs by
    kind, the warm-up, the attempt limit and the event bus (Redis URL and channel)."""

    store_factory: Callable[[], JobStore]
    specs: Sequence[JobSpec]
    bus_url: str
    bus_channel: str
    initializer: Initializer | None = None
    max_attempts: int = 3
    by_kind: Mapping[str, JobSpec] = field(init=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        object.__setattr__(self, "by_kind", {spec.kind: spec for spec in self.specs})


class BusNotifier:
    """A worker's notifier: nobody waits in a worker; each change goes to the event bus."""

    def __init__(self, bus: RedisEventBus) -> None:
        self._bus = bus

    def publish(self, job_id: str, final: Job | None = None) -> None:
        self._bus.publish(job_id, final)

    def waiter(self, job_id: str, *, final_only: bool = False) -> asyncio.Future[Job | None]:
        raise RuntimeError("nothing waits for jobs in a worker process")

    def forget(self, job_id: str) -> None:
        """Nothing is kept per job."""

    def close(self) -> None:
        """Nobody waits here, so nobody is woken at shutdown."""


class BusRecorder(StoreRecorder):
    """Writes the store, then publishes every change of status with the job as stored."""

    def __init__(self, store: JobStore, bus: RedisEventBus) -> None:
        super().__init__(store, BusNotifier(bus))
        self._bus = bus

    def announce(self, job: Job) -> None:
        self._bus.publish(job.id, job)


class WorkerRuntime:
    """One per worker process: the store, recorder and bus on an event loop in a thread."""

    def __init__(self, setup: WorkerSetup) -> None:
        self.setup = setup
        self.pid = os.getpid()
        self.loop = asyncio.new_event_loop()
        self._done: asyncio.Future[None] = self.loop.create_future()
        self._thread = threading.Thread(
            target=self._serve, name="riskreport-worker-loop", daemon=True
        )
        self._thread.start()
        self.store = setup.store_factory()
        self.bus = RedisEventBus(setup.bus_url, setup.bus_channel)
        self.call(self.store.open())
        self.recorder = BusRecorder(self.store, self.bus)

    def _serve(self) -> None:
        # One root task for the loop's whole life, not ``run_forever``: anyio keeps its worker
        # threads (every store call runs in one) until the root task ends, and without one it
        # takes each call's own task for the root, so each store call started a thread and
        # stopped it again (about a millisecond per call on a loaded machine).
        self.loop.run_until_complete(self._hold())

    async def _hold(self) -> None:
        await self._done

    def call(self, coro: Coroutine[Any, Any, T], timeout: float = 30.0) -> T:
        """Run ``coro`` on the runtime's loop and wait for its result (from another thread)."""
        future: Future[T] = asyncio.run_coroutine_threadsafe(coro, self.loop)
        return future.result(timeout)

    def report(self, job_id: str, progress: Progress) -> None:
        self.loop.call_soon_threadsafe(self.recorder.progress, job_id, progress)

    def close(self) -> None:
        async def closing() -> None:
            await self.recorder.aclose()
            await self.bus.aclose()
            await self.store.close()

        try:
            self.call(closing(), timeout=10)
        finally:
            self.loop.call_soon_threadsafe(self._done.set_result, None)
            self._thread.join(5)
