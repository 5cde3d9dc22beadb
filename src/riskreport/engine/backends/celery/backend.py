"""The Celery backend, the API process's side: jobs go to Celery workers through Redis.

``submit`` sends the one generic task (:data:`~.app.TASK_NAME`) with the job's id and kind; the
job, its progress and its result stay in the store, written by the worker. ``cancel`` revokes the
task with ``terminate``: a queued message is dropped by every worker, a running job's process is
killed (the engine has recorded ``cancelled`` first). Changes that workers make reach this
process over the Redis event bus, at once: waiters and event streams wake as with a local
backend; the store is re-read every ``poll_interval`` seconds only as a fallback.

Stopping an API process does not stop its jobs: they belong to the workers. ``shutdown`` gives the
jobs this process admitted ``grace`` seconds to finish (so their waiters get an answer), then
leaves them running.

Use::

    backend = CeleryBackend(CeleryConfig("redis://127.0.0.1:6379/0", job_timeout=60),
                            capacity=8)
    engine = Engine(store, backend, specs, queue_limit=100, job_timeout=60, shutdown_grace=10)
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Mapping

import anyio
import anyio.to_thread

from riskreport.engine import context
from riskreport.engine.backend import BackendStats, JobRecorder
from riskreport.engine.backends.celery.app import TASK_NAME, CeleryConfig, Limits, celery_app
from riskreport.engine.errors import JobNotFound, WarmUpFailed
from riskreport.engine.events.redis_bus import RedisEventBus
from riskreport.engine.jobs import Job, JobStatus
from riskreport.engine.outcome import Outcome
from riskreport.engine.spec import JobSpec
from riskreport.engine.taskset import TaskSet

log = logging.getLogger("riskreport.engine")


class CeleryBackend:
    exclusive = False  # workers elsewhere run the store's jobs: no start-up recovery here

    def __init__(self, config: CeleryConfig, *, capacity: int, poll_interval: float = 2.0) -> None:
        """``capacity``: job slots of all workers together, as far as this process knows (for
        admission and Retry-After); ``poll_interval``: the fallback store re-read."""
        if capacity < 1 or poll_interval <= 0:
            raise ValueError("need capacity >= 1 and poll_interval > 0")
        self.config = config
        self.poll_interval: float | None = poll_interval
        self._capacity = capacity
        self._app = celery_app(config)
        self._bus = RedisEventBus(config.broker_url, config.events_channel)
        self._listener: asyncio.Task[None] | None = None
        self._recorder: JobRecorder | None = None
        self._ready = False
        # Jobs admitted here and not final yet; those known to be running.
        self._mine: set[str] = set()
        self._running: set[str] = set()
        self._settled: asyncio.Event | None = None
        # Sending blocks on the network: a few threads, never the loop.
        self._senders = anyio.CapacityLimiter(4)
        self._tasks = TaskSet()

    @property
    def ready(self) -> bool:
        return self._ready

    @property
    def bus_client_name(self) -> str:
        """The Redis client name of this process's event-bus connections."""
        return self._bus.client_name

    def attach(self, recorder: JobRecorder) -> None:
        """Take the recorder before :meth:`start` (jobs may be submitted during warm-up)."""
        self._recorder = recorder

    async def start(self, specs: Mapping[str, JobSpec], recorder: JobRecorder) -> None:
        self._recorder = recorder
        try:
            await self._bus.ping()
            subscribed = asyncio.Event()
            listening = self._bus.listen(
                self._heard, subscribed=subscribed, on_resubscribe=self._missed
            )
            self._listener = asyncio.get_running_loop().create_task(
                listening, name="riskreport-bus"
            )
            async with asyncio.timeout(10):
                await subscribed.wait()
            # The producer connects on first use; connect now, off the loop.
            await anyio.to_thread.run_sync(self._connect)
        except Exception as exc:
            raise WarmUpFailed(
                f"the Celery broker at {self.config.broker_url} is unreachable: {exc}"
            ) from exc
        self._ready = True

    def _connect(self) -> None:
        with self._app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)

    def _heard(self, job_id: str, job: Job | None) -> None:
        mine = job_id in self._mine
        if job is not None and mine:
            if job.status is JobStatus.RUNNING:
                self._running.add(job_id)
            elif job.status.is_final:
                self._forget(job_id)
        if self._recorder is not None:
            self._recorder.heard(job_id, job, mine=mine)

    def _missed(self) -> None:
        """The bus was away: changes of this process's jobs may be lost; read them again."""
        self._tasks.spawn(self._reconcile(), name="riskreport-bus-reconcile")

    async def _reconcile(self) -> None:
        recorder = self._recorder
        if recorder is None:
            return
        for job_id in list(self._mine):
            try:
                job = await recorder.current(job_id)
            except JobNotFound:
                self._forget(job_id)
                continue
            known_running = job.status is JobStatus.RUNNING and job_id in self._running
            if job.status is not JobStatus.QUEUED and not known_running:
                self._heard(job_id, job)

    def _forget(self, job_id: str) -> None:
        self._mine.discard(job_id)
        self._running.discard(job_id)
        if not self._mine and self._settled is not None:
            self._settled.set()

    async def submit(self, job: Job, spec: JobSpec, *, job_timeout: float) -> None:
        if self._recorder is None:
            raise RuntimeError("CeleryBackend.submit before start")
        if job_timeout > self.config.job_timeout:
            # The visibility timeout was set for config.job_timeout: a longer job would be
            # delivered a second time while it still runs.
            raise ValueError(
                f"job_timeout {job_timeout:g} s exceeds the Celery backend's "
                f"{self.config.job_timeout:g} s"
            )
        self._mine.add(job.id)
        args = [job.id, job.kind, job_timeout, context.request_id.get()]
        limits = Limits.for_timeout(job_timeout)  # the engine may give less than the config
        try:
            await anyio.to_thread.run_sync(self._send, job.id, args, limits, limiter=self._senders)
        except BaseException:
            self._forget(job.id)
            raise

    def _send(self, job_id: str, args: list[object], limits: Limits) -> None:
        self._app.send_task(
            TASK_NAME,
            args=args,
            task_id=job_id,
            queue=self.config.queue,
            soft_time_limit=limits.soft,
            time_limit=limits.hard,
        )

    async def call(self, job: Job, spec: JobSpec, *, job_timeout: float) -> Outcome:
        """Calls that are not stored jobs have no runner here (the API process has none, and a
        worker answers only through the store): on Celery, work derived from a job, such as its
        documents, is done by the worker within the job itself."""
        return Outcome.failure(
            JobStatus.FAILED,
            "not_supported",
            f"{spec.kind!r} cannot run outside a job on the Celery backend",
        )

    async def cancel(self, job_id: str) -> None:
        self._forget(job_id)
        await anyio.to_thread.run_sync(self._revoke, job_id, limiter=self._senders)

    def _revoke(self, job_id: str) -> None:
        # Every worker drops the message if it comes; the one running it kills its process.
        self._app.control.revoke(job_id, terminate=True, signal=signal.SIGKILL.name)

    def stats(self) -> BackendStats:
        return BackendStats(running=len(self._running), capacity=self._capacity)

    async def shutdown(self, grace: float, *, requeue: bool = False) -> None:
        """Wait up to ``grace`` s for the jobs admitted here; never stop them. (``requeue`` has
        nothing to do: the workers keep running the jobs and the queue keeps the rest.)"""
        self._ready = False
        if self._mine:
            self._settled = asyncio.Event()
            with anyio.move_on_after(grace):
                await self._settled.wait()
            if self._mine:
                log.info("%d job(s) admitted here still run on the Celery workers", len(self._mine))
        self._tasks.cancel()
        await self._tasks.wait()
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
        await self._bus.aclose()
        await anyio.to_thread.run_sync(self._app.close)
