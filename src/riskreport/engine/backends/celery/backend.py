"""The Celery backend, the API process's side: jobs go to Celery workers through Redis.

``submit`` sends the one generic task (:data:`~.app.TASK_NAME`) with the job's id, kind and
payload (the worker then runs it without reading the store first); the job, its progress and its
result stay in the store, written by the worker. Messages of jobs
submitted while others are being sent leave together, in one kombu publish batch (one Redis
pipeline) from one thread. ``cancel`` revokes the
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
from dataclasses import dataclass
from typing import Any

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

# Messages sent in one Redis round trip at most.
_MAX_BATCH = 200


@dataclass(frozen=True, slots=True)
class _Outgoing:
    """A job's message waiting to be sent, and the future its ``submit`` waits on."""

    job_id: str
    args: list[object]
    limits: Limits
    sent: asyncio.Future[None]


def _settle(batch: list[_Outgoing], error: Exception | None) -> None:
    for outgoing in batch:
        if outgoing.sent.done():
            continue  # its submit was cancelled; the message went (or not) all the same
        if error is None:
            outgoing.sent.set_result(None)
        else:
            outgoing.sent.set_exception(error)


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
        # Sending blocks on the network: in a thread, never on the loop. The messages of jobs
        # submitted while one batch is being sent leave together in the next one.
        self._outgoing: list[_Outgoing] = []
        self._sender: asyncio.Task[None] | None = None
        self.batches_sent = 0  # publish batches sent (tests and benchmarks read it)
        # Revoking blocks on the network too: a few threads.
        self._revokers = anyio.CapacityLimiter(4)
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
                if job.status is JobStatus.CANCELLED:
                    # Only an API process writes a cancel (the one that took the request),
                    # and its listeners counted it there: here it only wakes the waiters.
                    mine = False
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
        args = [job.id, job.kind, job_timeout, context.request_id.get(), dict(job.payload)]
        limits = Limits.for_timeout(job_timeout)  # the engine may give less than the config
        sent: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._outgoing.append(_Outgoing(job.id, args, limits, sent))
        if self._sender is None:
            self._sender = asyncio.get_running_loop().create_task(
                self._send_outgoing(), name="riskreport-celery-sender"
            )
        try:
            await sent
        except BaseException:
            self._forget(job.id)
            raise

    async def _send_outgoing(self) -> None:
        """Send the waiting messages, those that arrive meanwhile in the next batch."""
        batch: list[_Outgoing] = []
        try:
            while self._outgoing:
                batch = self._outgoing[:_MAX_BATCH]
                del self._outgoing[:_MAX_BATCH]
                try:
                    await anyio.to_thread.run_sync(self._send, batch)
                except Exception as exc:  # the broker refused or is away: every job of it
                    _settle(batch, exc)
                else:
                    self.batches_sent += 1
                    _settle(batch, None)
                batch = []
        except BaseException:
            # Only a cancelled sender gets here (the loop is closing): nobody may be left
            # waiting for a send that will not happen.
            for outgoing in batch + self._outgoing:
                outgoing.sent.cancel()
            self._outgoing.clear()
            raise
        finally:
            self._sender = None

    def _send(self, batch: list[_Outgoing]) -> None:
        """In a thread: one producer, and one Redis pipeline (kombu's publish batch) for all.

        kombu sends a batch once, without Celery's publish retries (which reconnect after a
        broken connection); when it fails, the messages go one by one, with them. As with those
        retries, a message whose first sending did reach Redis may then be delivered twice.
        """
        try:
            with self._app.producer_or_acquire() as producer, producer.batch():
                for outgoing in batch:
                    self._send_one(outgoing, producer)
        except Exception as exc:
            log.warning(
                "sending %d Celery message(s) in one batch failed (%s); sending them one by one",
                len(batch),
                exc,
            )
            for outgoing in batch:
                self._send_one(outgoing, None)

    def _send_one(self, outgoing: _Outgoing, producer: Any) -> None:
        self._app.send_task(
            TASK_NAME,
            args=outgoing.args,
            # What a worker logs of the message: the job, not its payload (a building's
            # particulars have no place in a log, and Celery's repr of it cost CPU per job).
            argsrepr=repr(outgoing.args[:2]),
            kwargsrepr="{}",
            task_id=outgoing.job_id,
            queue=self.config.queue,
            soft_time_limit=outgoing.limits.soft,
            time_limit=outgoing.limits.hard,
            producer=producer,
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

    async def cancel(self, job: Job) -> None:
        self._forget(job.id)
        # The cancel is in the store (the engine wrote it first): push it to the other API
        # processes, whose waiters and streams would otherwise find it at their next poll, and
        # whose shutdown would wait its grace for a job it admitted.
        self._bus.publish(job.id, job)
        await anyio.to_thread.run_sync(self._revoke, job.id, limiter=self._revokers)

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
        if self._sender is not None:  # a batch being sent: let it go before the app closes
            await asyncio.gather(asyncio.shield(self._sender), return_exceptions=True)
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
        await self._bus.aclose()
        await anyio.to_thread.run_sync(self._app.close)
