"""The ``Engine``: the one object the interfaces use to run, watch and cancel jobs.

Use::

    engine = Engine(store, LocalBackend(concurrency=4), specs,
                    queue_limit=100, job_timeout=60, shutdown_grace=10)
    await engine.start()                        # recover, warm up (off the loop); then ready
    job = await engine.submit("report", payload)
    job = await engine.wait(job.id, timeout=30)
    async for snapshot in engine.events(job.id): ...
    await engine.shutdown()

The store is the truth: every transition is written there before it is announced, and waiters and
event streams read the job back from the store, so a job looks the same from any process.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import secrets
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from riskreport.engine.backend import Backend
from riskreport.engine.errors import (
    ArtifactNotFound,
    IdempotencyConflict,
    IdempotencyPending,
    JobNotFound,
    QueueFull,
    RenderFailed,
    ShuttingDown,
    UnknownJobKind,
)
from riskreport.engine.events.notifier import LocalNotifier, woken
from riskreport.engine.events.shared import ChangeBus, SharedNotifier
from riskreport.engine.idempotency import IDEMPOTENCY_TTL, request_digest
from riskreport.engine.jobs import (
    Artifact,
    Job,
    JobError,
    JobPage,
    JobStatus,
    Progress,
    utcnow,
)
from riskreport.engine.outcome import CANCELLED, INTERRUPTED, Outcome
from riskreport.engine.recorder import StoreRecorder
from riskreport.engine.recovery import Lease, recover_unfinished
from riskreport.engine.spec import JobSpec
from riskreport.engine.store import JobStore

log = logging.getLogger("riskreport.engine")

_BY_CLIENT = JobError(code=CANCELLED, message="cancelled by a client")
_UNKNOWN_KIND = Outcome.failure(
    JobStatus.FAILED, INTERRUPTED, "the service restarted without this kind of job"
)


@dataclass(frozen=True, slots=True)
class EngineStats:
    """This process's load: jobs admitted and waiting, runner slots in use, slots in all."""

    queued: int
    running: int
    capacity: int


class Engine:
    def __init__(
        self,
        store: JobStore,
        backend: Backend,
        specs: Iterable[JobSpec],
        *,
        queue_limit: int,
        job_timeout: float,
        shutdown_grace: float,
        renderers: Mapping[str, JobSpec] | None = None,
        max_attempts: int = 3,
        requeue_at_shutdown: bool = False,
        adopt_before: datetime | None = None,
        owner_queue_limit: int | None = None,
        lease: Lease | None = None,
        changes: ChangeBus | None = None,
    ) -> None:
        """``renderers`` maps a job kind to the spec of the function that renders its artifacts
        on request (see :meth:`artifact`). ``max_attempts``: starts after which a job found
        ``running`` at start-up fails instead of running again. ``requeue_at_shutdown`` (durable
        stores): jobs not finished at shutdown stay or go back to ``queued`` for the next start,
        instead of being cancelled. ``adopt_before`` (shared stores, set by ``serve --workers
        N``): this engine also runs the ``queued`` jobs created before that instant, which the
        parent recovered. ``owner_queue_limit``: jobs one owner (API key) may have waiting in this
        engine, so that one client cannot take the whole queue. ``lease`` (shared stores with
        the local backend): this engine renews it from ``start`` to ``shutdown`` and runs the
        jobs it adopts from processes that died (see :class:`~riskreport.engine.recovery.Lease`).
        ``changes`` (shared stores with the local backend): the bus on which this engine tells
        the other processes of every change it writes, and hears theirs, from ``start`` to
        ``shutdown`` (:mod:`riskreport.engine.events.shared`).
        """
        if max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        self._renderers = dict(renderers or {})
        # Renders in flight in this process, so that concurrent requests share one.
        self._renders: dict[tuple[str, str], asyncio.Task[Artifact]] = {}
        self.renders_started = 0  # renders this process began (tests and metrics read it)
        self._max_attempts = max_attempts
        self._requeue = requeue_at_shutdown
        self._adopt_before = adopt_before
        self._lease = lease
        self._leasing: list[asyncio.Task[None]] = []
        # With a lease: jobs handed to the backend here and not heard final, watched for an
        # end (a cancel) written through another process.
        self._held: set[str] = set()
        self._owner_limit = owner_queue_limit
        # Owner of each job in ``_queued`` that has one, for the per-owner limit.
        self._owners: dict[str, str] = {}
        self._specs: dict[str, JobSpec] = {}
        for spec in specs:
            if spec.kind in self._specs:
                raise ValueError(f"two job specs for kind {spec.kind!r}")
            self._specs[spec.kind] = spec
        if queue_limit < 0 or job_timeout <= 0 or shutdown_grace < 0:
            raise ValueError("need queue_limit >= 0, job_timeout > 0 and shutdown_grace >= 0")
        self._store = store
        self._backend = backend
        self._queue_limit = queue_limit
        self._job_timeout = job_timeout
        self._shutdown_grace = shutdown_grace
        self._shared = None if changes is None else SharedNotifier(changes)
        self._notifier = LocalNotifier() if self._shared is None else self._shared
        # Set when a job held here was heard ending through another process (a cancel there).
        self._ended_elsewhere = asyncio.Event()
        self._recorder = StoreRecorder(store, self._notifier)
        self._recorder.add_listener(self._track)
        # Ids admitted by this engine that have not left ``queued`` yet (the admission count).
        self._queued: set[str] = set()
        self._admitting = False
        self._closing = False
        self._stopping: asyncio.Task[None] | None = None
        # Mean run time, for Retry-After; starts at a modest guess, learns from finished jobs.
        self._mean_run = min(job_timeout, 5.0)

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def admitting(self) -> bool:
        """True from the end of start-up recovery until shutdown begins (warm-up may still run:
        jobs submitted then wait in the queue)."""
        return self._admitting and not self._closing

    @property
    def ready(self) -> bool:
        """True once :meth:`start` finished (warm-up done) and until shutdown begins."""
        return self._admitting and not self._closing and self._backend.ready

    async def start(self) -> None:
        """Recover jobs a dead process left unfinished, then warm the backend up.

        Admission opens before warm-up (jobs wait in the queue), while ``ready`` stays False
        until warm-up ends. Warm-up runs off the event loop, so a caller may run ``start()`` in
        a background task and serve ``/readyz`` (503) meanwhile. A failed warm-up raises.
        With a ``lease``, the first renewal comes before admission (adopting what it finds), and
        the next ones every ``lease.every`` seconds until shutdown.
        """
        if self._admitting or self._closing:
            raise RuntimeError("Engine.start() may be called once, before shutdown()")
        if self._shared is not None:
            await self._shared.start(ended=self._ended_there)
        backlog: list[Job] = []
        if self._backend.exclusive:
            await recover_unfinished(self._store, max_attempts=self._max_attempts)
            backlog = await self._store.queued_jobs()
        elif self._adopt_before is not None:
            backlog = await self._store.queued_jobs(created_before=self._adopt_before)
        if self._lease is not None:
            # Held before the first job is accepted: a job stamped with this process's id
            # while it has no lease would look orphaned to the others.
            adopted = await self._lease.keep(max_attempts=self._max_attempts)
            known = {job.id for job in backlog}
            backlog += [job for job in adopted.jobs if job.id not in known]
        self._admitting = True
        runnable = {**self._specs, **{spec.kind: spec for spec in self._renderers.values()}}
        # Before warm-up, so the accepted jobs keep their place ahead of new ones.
        self._backend.attach(self._recorder)
        if backlog:
            log.info("running %d job(s) accepted before this start", len(backlog))
        await self._resume(backlog)
        if self._lease is not None:
            self._leasing = [
                asyncio.create_task(self._keep_lease(self._lease), name="riskreport-lease"),
                asyncio.create_task(self._watch_ends(self._lease), name="riskreport-ended-jobs"),
            ]
        await self._backend.start(runnable, self._recorder)
        log.info("engine ready: %s", self.stats())

    def _ended_there(self, job_id: str | None) -> None:
        """Another process made ``job_id`` final (None: some job may have ended unheard)."""
        if job_id is None or job_id in self._held:
            self._ended_elsewhere.set()

    async def _resume(self, backlog: Sequence[Job]) -> None:
        """Hand ``queued`` jobs accepted before this start, or adopted, to the backend in order."""
        for job in backlog:
            spec = self._specs.get(job.kind)
            if spec is None:
                await self._recorder.finished(job.id, _UNKNOWN_KIND)
                continue
            self._queue(job)
            await self._backend.submit(job, spec, job_timeout=self._job_timeout)

    async def _keep_lease(self, lease: Lease) -> None:
        """Renew the lease every ``lease.every`` seconds and run what it adopts, until shutdown
        (which cancels this task)."""
        while True:
            await asyncio.sleep(lease.every)
            try:
                adopted = await lease.keep(max_attempts=self._max_attempts)
                # A job this engine holds already (offered to every worker at start-up) stays one.
                await self._resume([job for job in adopted.jobs if job.id not in self._queued])
            except Exception:
                # The store is down or refused: the next renewal tries again. Missing renewals
                # for the whole lease hands this process's jobs to the others (Lease explains).
                log.exception(
                    "could not renew this process's lease; next try in %.1f s", lease.every
                )

    async def _watch_ends(self, lease: Lease) -> None:
        """Every ``poll_interval`` seconds until shutdown, and at once when the change bus says
        a job held here became final elsewhere, stop the work of jobs held here that ended
        through another process: a client's cancel there reached only the store.

        Waiters here see the change by their own re-read; announcing it here could announce a
        change twice (this process's own final write, read before it was announced)."""
        every = self._backend.poll_interval or lease.every
        while True:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(every):
                    await self._ended_elsewhere.wait()
            self._ended_elsewhere.clear()
            if not self._held:
                continue
            try:
                ended = await lease.ended(tuple(self._held))
            except Exception:
                log.exception("could not look for jobs ended elsewhere; next try in %.1f s", every)
                continue
            for job in ended:
                if job.id not in self._held:
                    continue  # recorded here meanwhile
                self._held.discard(job.id)
                self._unqueue(job.id)
                log.info("job %s is %s in the store: its work here stops", job.id, job.status.value)
                await self._backend.cancel(job)

    def begin_shutdown(self) -> None:
        """Stop admitting and start the shutdown now, without waiting for it (a signal
        handler's half: call :meth:`shutdown` later to wait for the end).

        Waits end at once with ``ShuttingDown`` and event streams end (``events`` raises it),
        so a server's open requests finish while running jobs use their grace period.
        """
        if self._stopping is None:
            self._closing = True
            for task in self._leasing:
                task.cancel()  # a process that is leaving adopts nothing more
            for render in list(self._renders.values()):
                render.cancel()
            self._notifier.close()
            self._stopping = asyncio.create_task(self._stop(), name="riskreport-engine-shutdown")

    async def shutdown(self) -> None:
        """Stop admitting (``ShuttingDown``), give running jobs the grace period, stop the rest.

        With ``requeue_at_shutdown`` the jobs still queued, and the running ones that outlive the
        grace, are left ``queued`` in the store for the next start; otherwise they are recorded
        ``cancelled`` (code ``shutdown``). Nothing here blocks the loop.
        """
        self.begin_shutdown()
        assert self._stopping is not None
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        await self._backend.shutdown(self._shutdown_grace, requeue=self._requeue)
        await self._recorder.aclose()
        if self._lease is not None:
            # After the jobs left were returned to the queue: the other processes adopt them
            # at their next renewal instead of when the lease would have lapsed.
            try:
                await self._lease.leave()
            except Exception:
                log.exception("could not end this process's lease; it lapses by itself")
        if self._shared is not None:
            # Last: the shutdown's own writes (jobs cancelled or put back) are told too.
            await self._shared.aclose()

    async def ping(self) -> None:
        await self._store.ping()

    def add_listener(self, fn: Callable[[Job], None]) -> None:
        """Call ``fn(job)`` on the loop after every stored change of state (and at admission)."""
        self._recorder.add_listener(fn)

    def stats(self) -> EngineStats:
        backend = self._backend.stats()
        return EngineStats(
            queued=len(self._queued), running=backend.running, capacity=backend.capacity
        )

    # -- jobs ------------------------------------------------------------------------------

    async def submit(
        self,
        kind: str,
        payload: Mapping[str, Any],
        *,
        job_id: str | None = None,
        owner: str | None = None,
    ) -> Job:
        """Admit a job and hand it to the backend; return it as admitted (``queued``).

        Raises ``UnknownJobKind``, ``ShuttingDown`` or ``QueueFull`` (with ``retry_after``; also
        when ``owner`` has ``owner_queue_limit`` jobs waiting). With the inline backend the job
        has already finished when this returns.
        """
        spec = self._specs.get(kind)
        if spec is None:
            raise UnknownJobKind(kind)
        if self._closing or not self._admitting:
            reason = "shutting down" if self._closing else "not started"
            raise ShuttingDown(f"the engine is {reason}", retry_after=5.0)
        self._admit(owner)
        job = Job(id=job_id or secrets.token_hex(16), kind=kind, payload=payload, owner=owner)
        if job.id in self._queued:
            raise ValueError(f"a job with id {job.id!r} exists already")
        self._queue(job)
        try:
            await self._store.create(job)
        except BaseException:
            self._unqueue(job.id)
            raise
        self._recorder.admitted(job)
        await self._backend.submit(job, spec, job_timeout=self._job_timeout)
        return job

    async def submit_once(
        self,
        kind: str,
        payload: Mapping[str, Any],
        *,
        idempotency_key: str,
        owner: str | None = None,
    ) -> tuple[Job, bool]:
        """:meth:`submit`, unless ``owner`` (an API key, or nobody) sent ``idempotency_key``
        with the same request in the last 24 hours: then that job, and True (a replay).

        Raises ``IdempotencyConflict`` when the key named a different request,
        ``IdempotencyPending`` while its first request is still being admitted, and whatever
        :meth:`submit` raises (the claim of the key is then released, so a retry may succeed).
        """
        if self._closing or not self._admitting:
            raise ShuttingDown("the engine is not admitting", retry_after=5.0)
        digest = request_digest(kind, payload)
        scope = owner or "-"
        job_id = secrets.token_hex(16)
        claimed = await self._store.claim_idempotency(
            scope, idempotency_key, digest, job_id, at=utcnow(), ttl=IDEMPOTENCY_TTL
        )
        if claimed is not None:
            earlier_id, earlier_digest = claimed
            if earlier_digest != digest:
                raise IdempotencyConflict(idempotency_key)
            try:
                return await self._store.get(earlier_id), True
            except JobNotFound:
                raise IdempotencyPending(idempotency_key) from None
        try:
            return await self.submit(kind, payload, job_id=job_id, owner=owner), False
        except BaseException:
            await self._store.release_idempotency(scope, idempotency_key, job_id)
            raise

    def _queue(self, job: Job) -> None:
        self._queued.add(job.id)
        if self._lease is not None:
            self._held.add(job.id)
        if job.owner is not None:
            self._owners[job.id] = job.owner

    def _unqueue(self, job_id: str) -> None:
        self._queued.discard(job_id)
        self._owners.pop(job_id, None)

    def _admit(self, owner: str | None) -> None:
        if owner is not None and self._owner_limit is not None:
            mine = sum(1 for who in self._owners.values() if who == owner)
            if mine >= self._owner_limit:
                retry_after = math.ceil(self._mean_run)
                raise QueueFull(
                    f"{mine} of your jobs are waiting (limit {self._owner_limit} per key)",
                    retry_after=float(max(1, retry_after)),
                )
        load = self._backend.stats()
        waiting = len(self._queued) - max(0, load.capacity - load.running)
        if waiting >= self._queue_limit:
            ahead = waiting + 1
            retry_after = math.ceil(ahead / max(1, load.capacity) * self._mean_run)
            raise QueueFull(
                f"{waiting} jobs are waiting (limit {self._queue_limit})",
                retry_after=float(max(1, retry_after)),
            )

    def _track(self, job: Job) -> None:
        if job.status is JobStatus.QUEUED:
            return
        self._unqueue(job.id)
        if job.status.is_final:
            self._held.discard(job.id)
        if job.status.is_final and job.started_at is not None and job.finished_at is not None:
            seconds = (job.finished_at - job.started_at).total_seconds()
            self._mean_run = 0.8 * self._mean_run + 0.2 * max(0.0, seconds)

    async def get(self, job_id: str) -> Job:
        return await self._store.get(job_id)

    async def list(
        self,
        *,
        status: JobStatus | None = None,
        limit: int = 50,
        cursor: str | None = None,
        owner: str | None = None,
    ) -> JobPage:
        return await self._store.list(status=status, limit=limit, cursor=cursor, owner=owner)

    async def artifact(self, job_id: str, name: str) -> Artifact:
        """The job's artifact ``name``: stored, or rendered now and stored.

        When the store has none and the job succeeded, the renderer of its kind (if any) makes
        it in the backend's runner, under the runners' limit and the job timeout, never on the
        loop. Concurrent requests in this process share one render; the store keeps the first
        copy, so processes sharing a store serve the same bytes. Raises ``JobNotFound``,
        ``ArtifactNotFound`` or ``RenderFailed``.
        """
        try:
            return await self._store.get_artifact(job_id, name)
        except ArtifactNotFound:
            job = await self._store.get(job_id)
            renderer = self._renderers.get(job.kind)
            if renderer is None or job.status is not JobStatus.SUCCEEDED or self._closing:
                raise
        key = (job_id, name)
        render = self._renders.get(key)
        if render is None:
            render = asyncio.create_task(self._render(job, name, renderer), name=f"render-{key}")
            self._renders[key] = render
            render.add_done_callback(lambda _: self._renders.pop(key, None))
        # One client leaving must not cancel the render the others wait for.
        return await asyncio.shield(render)

    async def _render(self, job: Job, name: str, spec: JobSpec) -> Artifact:
        self.renders_started += 1
        call = Job(
            id=f"{job.id}.{name}", kind=spec.kind, payload={"result": job.result, "name": name}
        )
        outcome = await self._backend.call(call, spec, job_timeout=self._job_timeout)
        made = next((a for a in outcome.artifacts if a.name == name), None)
        if outcome.status is not JobStatus.SUCCEEDED or made is None:
            error = outcome.error
            code = error.code if error else outcome.status.value
            message = error.message if error else "the renderer made no such artifact"
            raise RenderFailed(job.id, name, code, message)
        # A renderer may make more than was asked for (documents that share their charts).
        for other in outcome.artifacts:
            if other is not made:
                await self._store.put_artifact(job.id, other)
        return await self._store.put_artifact(job.id, made)

    async def cancel(self, job_id: str) -> Job:
        """Cancel a queued or running job; ``IllegalTransition`` if it is already final.

        The cancel is recorded (and announced) first; then the backend stops the work: a queued
        job leaves the queue, a process job is killed, a thread job sees its cancel token.
        """
        job = await self._recorder.transition(job_id, JobStatus.CANCELLED, error=_BY_CLIENT)
        await self._backend.cancel(job)
        return job

    def _refuse_if_closing(self) -> None:
        if self._closing:
            raise ShuttingDown("the service is shutting down; ask again later", retry_after=5.0)

    async def wait(self, job_id: str, timeout: float | None = None) -> Job:  # noqa: ASYNC109 (the API contract: Prefer: wait=N)
        """Return the job once it is final, or as it is when ``timeout`` seconds pass.

        Raises ``ShuttingDown`` when shutdown begins before the job is final.
        """
        clock = asyncio.get_running_loop().time
        deadline = None if timeout is None else clock() + timeout
        poll = self._backend.poll_interval
        # Take the waiter before the read, so no change slips in between.
        wake = self._notifier.waiter(job_id, final_only=True)
        # A job admitted here that this process has not heard leave ``queued`` is queued (or
        # its change is on the way, and will wake the waiter): no need to read it yet. This
        # saves a store read on the path of every ``Prefer: wait`` submission.
        job = None if job_id in self._queued else await self._store.get(job_id)
        while job is None or not job.status.is_final:
            self._refuse_if_closing()
            left = None if deadline is None else deadline - clock()
            if left is not None and left <= 0:
                return job if job is not None else await self._store.get(job_id)
            woke = await woken(wake, left if poll is None else min(poll, left or poll))
            final = wake.result() if woke else None
            if final is not None:
                job = final  # as stored by the write that made it final: no read needed
                break
            wake = self._notifier.waiter(job_id, final_only=True)
            job = await self._store.get(job_id)
        self._notifier.forget(job_id)
        return job

    async def events(self, job_id: str) -> AsyncIterator[Job]:
        """Yield the job now and after every change of status or progress; end when final.

        Raises ``JobNotFound``, and ``ShuttingDown`` when shutdown begins before the job is
        final (after yielding the job as it was). Close it early with ``contextlib.aclosing``.
        """
        last: tuple[JobStatus, Progress] | None = None
        poll = self._backend.poll_interval
        final: Job | None = None
        while True:
            wake = self._notifier.waiter(job_id)  # before the read: no change slips between
            job = final if final is not None else await self._store.get(job_id)
            if (job.status, job.progress) != last:
                last = (job.status, job.progress)
                yield job
            if job.status.is_final:
                self._notifier.forget(job_id)
                return
            self._refuse_if_closing()
            # Every change in this process is announced; with ``poll`` set, changes made by
            # other processes show up at the next read.
            final = wake.result() if await woken(wake, poll) else None
