"""Several server processes on one store (``serve --workers N``): no one fails the others' jobs,
and a wait served by one process sees a job that another process runs finish."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from riskreport.engine.backends.local import LocalBackend
from riskreport.engine.engine import Engine, EngineStats
from riskreport.engine.jobs import Job, JobStatus, utcnow
from riskreport.engine.recovery import Lease, recover_unfinished
from riskreport.engine.spec import JobSpec, RunnerKind
from riskreport.storage.postgres_changes import PostgresChangeBus, conninfo
from riskreport.storage.sql import SqlJobStore
from tests.engine.conftest import until, wait_running
from tests.storage.conftest import drop_tables, open_postgres

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]

NAP = [JobSpec("nap", "tests.engine.jobfuncs:nap", RunnerKind.THREAD)]


def engine_on(store: SqlJobStore) -> Engine:
    backend = LocalBackend(concurrency=1, shared_store=True, store_poll_interval=0.05)
    return Engine(store, backend, NAP, queue_limit=5, job_timeout=5, shutdown_grace=1)


async def test_a_worker_starting_leaves_the_others_jobs_alone(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    first, second = SqlJobStore(url), SqlJobStore(url)
    await first.open()
    await second.open()
    try:
        runner = engine_on(first)
        await runner.start()
        job = await runner.submit("nap", {"seconds": 0.4})
        # A second process starts while the first one's job is in flight.
        watcher = engine_on(second)
        await watcher.start()
        seen = await watcher.wait(job.id, timeout=5)
        assert seen.status is JobStatus.SUCCEEDED, seen.error
        await watcher.shutdown()
        await runner.shutdown()
    finally:
        await first.close()
        await second.close()


async def test_the_parent_recovers_once_before_the_workers_start(tmp_path: Path) -> None:
    store = SqlJobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    await store.open()
    try:
        left = Job(id="left-running", kind="nap", payload={})
        await store.create(left)
        await store.transition(left.id, JobStatus.RUNNING, at=utcnow())
        recovered = await recover_unfinished(store, max_attempts=1)
        assert (recovered.requeued, recovered.failed) == ((), (left.id,))
        failed = await store.get(left.id)
        assert failed.status is JobStatus.FAILED
        assert failed.error is not None
        assert failed.error.code == "interrupted"
    finally:
        await store.close()


async def test_workers_share_the_recovered_queue_and_run_each_job_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    stores = [SqlJobStore(url), SqlJobStore(url)]
    for store in stores:
        await store.open()
    try:
        ids = [f"left-{i}" for i in range(6)]
        for job_id in ids:
            await stores[0].create(Job(id=job_id, kind="nap", payload={"seconds": 0.05}))
        cutoff = utcnow()
        workers = [
            Engine(
                store,
                LocalBackend(concurrency=1, shared_store=True, store_poll_interval=0.05),
                NAP,
                queue_limit=10,
                job_timeout=5,
                shutdown_grace=1,
                adopt_before=cutoff,
            )
            for store in stores
        ]
        for worker in workers:
            await worker.start()
        # A job admitted after the cutoff belongs to the worker that admitted it alone.
        fresh = await workers[1].submit("nap", {"seconds": 0.05})
        done = [await workers[0].wait(job_id, timeout=10) for job_id in [*ids, fresh.id]]
        assert [job.status for job in done] == [JobStatus.SUCCEEDED] * 7
        assert [job.attempts for job in done] == [1] * 7  # each ran exactly once
        for worker in workers:
            assert worker.stats().queued == 0  # the worker that lost a job stopped counting it
            await worker.shutdown()
    finally:
        for store in stores:
            await store.close()


def leased_engine(store: SqlJobStore, *, lease: float, every: float | None = None) -> Engine:
    backend = LocalBackend(concurrency=1, shared_store=True, store_poll_interval=0.05)
    return Engine(
        store,
        backend,
        NAP,
        queue_limit=10,
        job_timeout=5,
        shutdown_grace=0,
        requeue_at_shutdown=True,
        lease=Lease(store, seconds=lease, every=every),
    )


@asynccontextmanager
async def runner_stores(tmp_path: Path, *runners: str) -> AsyncIterator[list[SqlJobStore]]:
    """Stores on one SQLite file, one per runner named, as the processes of ``serve --workers
    N`` open them."""
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    stores = [SqlJobStore(url, runner=runner) for runner in runners]
    try:
        for store in stores:
            await store.open()
        yield stores
    finally:
        for store in stores:
            await store.close()


async def test_the_jobs_of_a_process_that_died_are_adopted_and_run(tmp_path: Path) -> None:
    async with runner_stores(tmp_path, "dead", "alive") as (dead, alive):
        # What a killed process leaves: its last heartbeat, a job running, one queued.
        await dead.renew_lease(at=utcnow() - timedelta(seconds=1))
        for job_id in ("was-running", "was-queued"):
            await dead.create(Job(id=job_id, kind="nap", payload={"seconds": 0.05}))
        await dead.transition("was-running", JobStatus.RUNNING, at=utcnow())
        engine = leased_engine(alive, lease=0.6)
        await engine.start()
        done = [await engine.wait(job_id, timeout=5) for job_id in ("was-running", "was-queued")]
        assert [job.status for job in done] == [JobStatus.SUCCEEDED] * 2
        assert [job.attempts for job in done] == [2, 1]
        await engine.shutdown()


async def test_a_process_that_stops_hands_its_jobs_to_one_that_runs_on(tmp_path: Path) -> None:
    async with runner_stores(tmp_path, "first", "second") as (first, second):
        # A lease far longer than the test, renewed often: the jobs can only move over because
        # the stopping process leaves.
        stopping = leased_engine(first, lease=600, every=0.05)
        staying = leased_engine(second, lease=600, every=0.05)
        await stopping.start()
        await staying.start()
        jobs = [await stopping.submit("nap", {"seconds": 0.3}) for _ in range(3)]
        await stopping.shutdown()  # grace 0: the running one goes back to the queue too
        done = [await staying.wait(job.id, timeout=10) for job in jobs]
        assert [job.status for job in done] == [JobStatus.SUCCEEDED] * 3
        assert (await second.get(jobs[2].id)).attempts == 1  # never started by the first
        await staying.shutdown()


async def test_a_cancel_through_another_process_stops_the_work_where_it_runs(
    tmp_path: Path,
) -> None:
    async with runner_stores(tmp_path, "first", "second") as (first, second):
        running_here = leased_engine(first, lease=600, every=60)
        elsewhere = leased_engine(second, lease=600, every=60)
        await running_here.start()
        await elsewhere.start()
        long = await running_here.submit("nap", {"seconds": 30})
        waiting = await running_here.submit("nap", {"seconds": 30})  # behind it (1 slot)
        await wait_running(running_here, long.id)
        started = time.monotonic()
        for job in (long, waiting):
            await elsewhere.cancel(job.id)  # only the store hears it

        async def idle() -> bool:
            return running_here.stats() == EngineStats(queued=0, running=0, capacity=1)

        await until(idle, within=5)
        assert time.monotonic() - started < 5  # not the job's 30 s: its slot is free again
        assert (await first.get(long.id)).status is JobStatus.CANCELLED
        await running_here.shutdown()
        await elsewhere.shutdown()


# -- PostgreSQL: the processes tell each other of their changes (LISTEN/NOTIFY) --------------

SLOW_POLL = 30.0  # the fallback store re-read: far longer than anything these tests wait for


def pushing_engine(store: SqlJobStore) -> Engine:
    """An engine as ``serve --workers N`` builds it on PostgreSQL, polling only every 30 s."""
    backend = LocalBackend(concurrency=1, shared_store=True, store_poll_interval=SLOW_POLL)
    changes = PostgresChangeBus(conninfo(store.url), channel=store.tables.jobs.name)
    return Engine(
        store,
        backend,
        NAP,
        queue_limit=10,
        job_timeout=60,
        shutdown_grace=0,
        requeue_at_shutdown=True,
        lease=Lease(store, seconds=600, every=60),
        changes=changes,
    )


@asynccontextmanager
async def pushing_engines(
    listener: list[PostgresChangeBus] | None = None,
) -> AsyncIterator[tuple[Engine, Engine]]:
    """Two started engines, each on its own connection to one set of PostgreSQL tables (and
    into ``listener``, a bus on their channel, for a test to listen with)."""
    prefix = f"p{uuid.uuid4().hex[:12]}_"
    first = await open_postgres(prefix, runner="first")
    second = await open_postgres(prefix, runner="second")
    engines = [pushing_engine(first), pushing_engine(second)]
    if listener is not None:
        listener.append(PostgresChangeBus(conninfo(first.url), channel=first.tables.jobs.name))
    try:
        for engine in engines:
            await engine.start()
        yield engines[0], engines[1]
    finally:
        for engine in engines:
            await engine.shutdown()
        for store in (first, second):
            await store.close()
        await drop_tables(first)


@pytest.mark.postgres
async def test_a_wait_and_a_stream_through_another_process_hear_the_changes_at_once() -> None:
    async with pushing_engines() as (runs, watches):
        job = await runs.submit("nap", {"seconds": 0.3})
        seen: list[tuple[JobStatus, float]] = []
        async for snapshot in watches.events(job.id):  # runs to the job's end
            seen.append((snapshot.status, time.monotonic()))
        # The first snapshot is the job as the stream found it (queued, or running already).
        assert [status for status, _ in seen][-2:] == [JobStatus.RUNNING, JobStatus.SUCCEEDED]
        # Heard, not polled: the whole job took about its 0.3 s nap, not the 30 s poll.
        assert seen[-1][1] - seen[0][1] < 3

        other = await runs.submit("nap", {"seconds": 0.3})
        started = time.monotonic()
        done = await watches.wait(other.id, timeout=20)
        assert done.status is JobStatus.SUCCEEDED
        assert time.monotonic() - started < 3


@pytest.mark.postgres
async def test_a_cancel_through_another_process_frees_the_slot_at_once() -> None:
    async with pushing_engines() as (runs, cancels):
        long = await runs.submit("nap", {"seconds": 30})
        await wait_running(runs, long.id)
        started = time.monotonic()
        await cancels.cancel(long.id)

        async def idle() -> bool:
            return runs.stats() == EngineStats(queued=0, running=0, capacity=1)

        await until(idle, within=10)
        # The cancel was heard: the process running the job did not wait for its 30 s poll.
        assert time.monotonic() - started < 3
        assert (await runs.wait(long.id, timeout=1)).status is JobStatus.CANCELLED


@pytest.mark.postgres
async def test_a_job_costs_the_other_processes_two_notices_its_start_and_its_end() -> None:
    # Admission sends none: nobody can wait for a job before its admission returned its id.
    buses: list[PostgresChangeBus] = []
    async with pushing_engines(buses) as (runs, _):
        (listener,) = buses
        heard: list[tuple[str, bool]] = []
        subscribed = asyncio.Event()
        listening = asyncio.create_task(
            listener.listen(
                lambda job_id, final: heard.append((job_id, final)), subscribed=subscribed
            )
        )
        try:
            async with asyncio.timeout(10):
                await subscribed.wait()
            job = await runs.submit("nap", {"seconds": 0.05})
            assert (await runs.wait(job.id, timeout=10)).status is JobStatus.SUCCEEDED

            async def both_heard() -> bool:
                return len(heard) >= 2

            await until(both_heard, within=5)
            await asyncio.sleep(0.2)  # a third notice, were there one, arrives meanwhile
            assert heard == [(job.id, False), (job.id, True)]
        finally:
            listening.cancel()
            await asyncio.gather(listening, return_exceptions=True)
            await listener.aclose()
