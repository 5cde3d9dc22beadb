"""The Celery backend's own promises, on real worker processes and the real Redis.

- a worker SIGKILLed mid-job (the whole worker, as a lost machine goes) has its job delivered
  again and finished by another worker;
- a job whose worker process dies on every attempt fails with ``worker_lost`` at the limit;
- jobs outlive the API process that admitted them;
- each worker process warms up once, before its first job;
- jobs submitted together leave in one publish batch, and each runs once;
- a job cancelled while no worker was up to hear the revoke stops at its first check, and stays
  cancelled; a message delivered twice has its job run to its end once; a message without the
  payload (from an older API process) still runs.

The contract every backend keeps is in test_backend_contract.py (``[celery]`` cases).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import redis

from riskreport.engine.backends.celery.app import TASK_NAME, celery_app
from riskreport.engine.backends.celery.backend import CeleryBackend
from riskreport.engine.engine import Engine
from riskreport.engine.jobs import Job, JobStatus
from riskreport.engine.spec import RunnerKind
from riskreport.storage.sql import SqlJobStore
from tests.engine.celery_support import (
    REDIS_URL,
    Workers,
    new_queue,
    require_redis,
    wait_ready,
)
from tests.engine.celery_worker import MARKER
from tests.engine.conftest import specs, until, wait_running

pytestmark = [pytest.mark.anyio, pytest.mark.redis, pytest.mark.slow, pytest.mark.timeout(120)]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Workers]:
    require_redis()
    # A short job timeout keeps the visibility timeout (when a dead worker's message comes
    # back) near 10 s.
    group = Workers(
        database_url=f"sqlite:///{tmp_path / 'jobs.db'}",
        queue=new_queue(),
        job_timeout=2.0,
        extra_env={"RISKREPORT_MAX_ATTEMPTS": "2", MARKER: str(tmp_path / "prepared.txt")},
    )
    try:
        yield group
    finally:
        group.stop_all()


async def engine_for(workers: Workers, store: SqlJobStore, *, grace: float = 1.0) -> Engine:
    backend = CeleryBackend(workers.config, capacity=2, poll_interval=5.0)
    engine = Engine(
        store,
        backend,
        specs(RunnerKind.THREAD),
        queue_limit=20,
        job_timeout=workers.job_timeout,
        shutdown_grace=grace,
    )
    await engine.start()
    return engine


async def opened(workers: Workers) -> SqlJobStore:
    store = SqlJobStore(workers.database_url)
    await store.open()
    return store


@asynccontextmanager
async def started_engine(
    workers: Workers, *, poll_interval: float = 5.0, queue_limit: int = 50
) -> AsyncIterator[tuple[Engine, CeleryBackend]]:
    """An engine on the Celery backend and the workers' store, started; shut down after."""
    store = await opened(workers)
    backend = CeleryBackend(workers.config, capacity=2, poll_interval=poll_interval)
    engine = Engine(
        store,
        backend,
        specs(RunnerKind.THREAD),
        queue_limit=queue_limit,
        job_timeout=5,
        shutdown_grace=1,
    )
    await engine.start()
    try:
        yield engine, backend
    finally:
        await engine.shutdown()
        await store.close()


async def each_echoed_once(engine: Engine, jobs: list[Job]) -> None:
    """Job ``i`` (an ``echo`` of ``i``) succeeded, run once."""
    for i, job in enumerate(jobs):
        done = await engine.wait(job.id, timeout=30)
        assert done.status is JobStatus.SUCCEEDED
        assert done.result is not None
        assert done.result["echo"] == i
        assert done.attempts == 1


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


async def test_a_worker_killed_mid_job_has_its_job_finished_by_another(
    workers: Workers, tmp_path: Path
) -> None:
    # Two workers of one slot each: with prefetch 1, each takes one of the two jobs.
    first = workers.start(tmp_path, concurrency=1)
    second = workers.start(tmp_path, concurrency=1)
    wait_ready(workers, first)
    wait_ready(workers, second)
    store = await opened(workers)
    engine = await engine_for(workers, store)
    try:
        jobs = [await engine.submit("nap", {"seconds": 1.5}) for _ in range(2)]
        for job in jobs:
            await wait_running(engine, job.id, within=20)
        workers.kill(first)  # the worker and its pool process, mid-job, no goodbye
        started = time.monotonic()
        done = [await engine.wait(job.id, timeout=40) for job in jobs]
        assert [d.status for d in done] == [JobStatus.SUCCEEDED] * 2, workers.log_text()
        # The killed worker's job ran again (attempt 2), and both finished in the survivor.
        assert sorted(d.attempts for d in done) == [1, 2]
        for job in done:
            assert job.result is not None
            assert parent_of(int(job.result["pid"])) == second.pid
        # Delivered again once the visibility timeout passed (not before: the job might have
        # been running still), plus the sweep and the 1.5 s nap.
        assert time.monotonic() - started < workers.config.limits.visibility + 10
    finally:
        await engine.shutdown()
        await store.close()


async def test_a_job_whose_worker_dies_every_time_fails_with_worker_lost(
    workers: Workers, tmp_path: Path
) -> None:
    # A loaded machine may notice a dead pool process late; a long hard limit keeps that
    # from reading as a timeout (the visibility timeout plays no part here).
    workers.job_timeout = 30.0
    process = workers.start(tmp_path, concurrency=1)
    wait_ready(workers, process)
    store = await opened(workers)
    engine = await engine_for(workers, store)
    try:
        # `killed` SIGKILLs its own pool process: the worker rejects the message (requeue), the
        # next delivery restarts the job, the one after the limit (2) fails it.
        job = await engine.submit("killed", {})
        done = await engine.wait(job.id, timeout=60)
        assert done.status is JobStatus.FAILED, (done, workers.log_text())
        assert done.error is not None
        assert done.error.code == "worker_lost"
        assert done.attempts == 2
        # The worker survived its pool processes' deaths and still runs jobs.
        echo = await engine.wait((await engine.submit("echo", {})).id, timeout=30)
        assert echo.status is JobStatus.SUCCEEDED
    finally:
        await engine.shutdown()
        await store.close()


async def test_a_job_holding_the_interpreter_past_its_hard_limit_is_recorded_timed_out(
    workers: Workers, tmp_path: Path
) -> None:
    # The job holds the GIL from its first instant, so its pool process never writes its held
    # start; the hard limit kills the process, and the worker's main process writes the start
    # and the timeout together instead of leaving the job queued.
    workers.job_timeout = 0.5
    process = workers.start(tmp_path, concurrency=1)
    wait_ready(workers, process)
    store = await opened(workers)
    engine = await engine_for(workers, store)
    try:
        job = await engine.submit("hog", {"seconds": 6})
        done = await engine.wait(job.id, timeout=30)
        assert done.status is JobStatus.TIMED_OUT, (done, workers.log_text())
        assert done.error is not None
        assert done.error.code == "timeout"
        assert done.attempts == 1
        assert done.started_at is not None
        assert done.finished_at is not None
        hard = workers.config.limits.hard
        assert abs((done.finished_at - done.started_at).total_seconds() - hard) < 1.0
    finally:
        await engine.shutdown()
        await store.close()


async def test_jobs_outlive_the_api_process_that_admitted_them(
    workers: Workers, tmp_path: Path
) -> None:
    process = workers.start(tmp_path, concurrency=2)
    wait_ready(workers, process)
    store = await opened(workers)
    engine = await engine_for(workers, store, grace=0.0)
    job = await engine.submit("nap", {"seconds": 0.8})
    await wait_running(engine, job.id, within=20)
    await engine.shutdown()  # no grace: the API process goes away at once
    assert (await store.get(job.id)).status is JobStatus.RUNNING
    try:

        async def final() -> bool:
            return (await store.get(job.id)).status.is_final

        await until(final, within=20, every=0.05)
        final_job = await store.get(job.id)
        assert final_job.status is JobStatus.SUCCEEDED
        assert final_job.error is None
    finally:
        await store.close()


async def test_each_worker_process_warms_up_once_before_its_jobs(
    workers: Workers, tmp_path: Path
) -> None:
    process = workers.start(tmp_path, concurrency=2)
    wait_ready(workers, process)
    marker = tmp_path / "prepared.txt"

    async def both_warm() -> bool:
        return len(marker.read_text().split()) >= 2

    await until(both_warm, within=30)  # the pool processes warm up side by side
    pids = marker.read_text().split()
    assert len(pids) == 2
    assert str(process.pid) not in pids  # the pool processes, not the worker's main process
    store = await opened(workers)
    engine = await engine_for(workers, store)
    try:
        jobs: list[Job] = [await engine.submit("was_prepared", {}) for _ in range(4)]
        for job in jobs:
            done = await engine.wait(job.id, timeout=20)
            assert done.result is not None
            assert done.result["prepared"] == 1
            assert str(done.result["pid"]) in pids
        # After its warm-up, a pool process froze its heap out of the collector's sight.
        frozen = await engine.wait((await engine.submit("gc_frozen", {})).id, timeout=20)
        assert frozen.result is not None
        assert frozen.result["frozen"] > 10_000
    finally:
        await engine.shutdown()
        await store.close()


async def test_changes_missed_while_the_bus_was_away_are_read_again(
    celery_workers: Workers,
) -> None:
    admin = redis.Redis.from_url(REDIS_URL)
    async with started_engine(celery_workers, poll_interval=60.0, queue_limit=5) as (
        engine,
        backend,
    ):
        try:
            job = await engine.submit("nap", {"seconds": 0.3})
            await wait_running(engine, job.id, within=20)
            # Cut this process's subscription (only its own connections, by name): the job
            # ends while the bus reconnects, and its final message is lost.
            names = {backend.bus_client_name}
            for client in admin.client_list():
                if client.get("name") in names:
                    admin.client_kill_filter(_id=client["id"])
            started = time.monotonic()
            done = await engine.wait(job.id, timeout=20)
            assert done.status is JobStatus.SUCCEEDED
            # Read again at the re-subscription (about a second), not at the 60 s store poll.
            assert time.monotonic() - started < 10
            assert engine.stats().queued == 0
        finally:
            admin.close()


async def test_jobs_submitted_together_leave_in_one_batch_and_each_runs_once(
    celery_workers: Workers,
) -> None:
    async with started_engine(celery_workers) as (engine, backend):
        jobs = await asyncio.gather(*(engine.submit("echo", {"value": i}) for i in range(12)))
        # All were admitted before the sender first ran: one batch (a second at most, should
        # the sender run in between).
        assert 1 <= backend.batches_sent <= 2
        await each_echoed_once(engine, jobs)


async def test_a_batch_that_fails_to_send_goes_one_message_at_a_time(
    celery_workers: Workers, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The broker connection breaks as a batch is flushed (kombu's pipeline execute): nothing
    # of it reached Redis, and each message is then sent alone with Celery's own retries.
    from kombu.messaging import Producer

    def broken(self: Producer, **_: object) -> None:
        raise ConnectionError("the broker went away mid-batch")

    monkeypatch.setattr(Producer, "batch", broken)
    async with started_engine(celery_workers) as (engine, _):
        jobs = await asyncio.gather(*(engine.submit("echo", {"value": i}) for i in range(4)))
        await each_echoed_once(engine, jobs)
        assert "sending them one by one" in caplog.text  # the batch did fail


async def test_a_job_cancelled_while_no_worker_was_up_is_stopped_and_stays_cancelled(
    workers: Workers, tmp_path: Path
) -> None:
    store = await opened(workers)
    engine = await engine_for(workers, store)
    try:
        job = await engine.submit("nap", {"seconds": 30.0})
        cancelled = await engine.cancel(job.id)  # its revoke reaches no worker: none is up
        process = workers.start(tmp_path, concurrency=1)
        wait_ready(workers, process)

        async def stood_down() -> bool:
            return f"job {job.id}: its delivery stood down; cancelled not" in workers.log_text()

        # The nap saw its cancel token at a check (its outcome is "cancelled"), long before
        # its 30 s, and nothing of it was written.
        await until(stood_down, within=20)
        assert await store.get(job.id) == cancelled
    finally:
        await engine.shutdown()
        await store.close()


async def test_a_message_delivered_twice_has_its_job_run_to_its_end_once(
    celery_workers: Workers,
) -> None:
    async with started_engine(celery_workers) as (engine, _):
        job = await engine.submit("nap", {"seconds": 1.0})
        await wait_running(engine, job.id, within=20)
        # The same message again, as kombu's one-by-one resend of a batch that partly reached
        # Redis sends it: the second worker slot takes it while the first runs the job.
        app = celery_app(celery_workers.config)
        try:
            app.send_task(
                TASK_NAME,
                args=[job.id, job.kind, 5.0, None, dict(job.payload)],
                task_id=job.id,
                queue=celery_workers.queue,
            )
        finally:
            app.close()
        done = await engine.wait(job.id, timeout=30)
        assert (done.status, done.attempts) == (JobStatus.SUCCEEDED, 1)

        async def stood_down() -> bool:
            said = f"job {job.id}: its delivery stood down; cancelled not"
            return said in celery_workers.log_text()

        # The second delivery saw the job running and stopped its run of it.
        await until(stood_down, within=20)
        assert (await engine.get(job.id)) == done


async def test_a_message_without_the_payload_still_runs(celery_workers: Workers) -> None:
    # An API process older than the payload in the message sent only id, kind, timeout and
    # request id: the worker reads the job.
    store = await opened(celery_workers)
    job = Job(uuid.uuid4().hex, "echo", {"value": 7})
    await store.create(job)
    app = celery_app(celery_workers.config)
    try:
        old_args = [job.id, job.kind, 5.0, None]
        app.send_task(TASK_NAME, args=old_args, task_id=job.id, queue=celery_workers.queue)

        async def final() -> bool:
            return (await store.get(job.id)).status.is_final

        await until(final, within=20, every=0.05)
        done = await store.get(job.id)
        assert done.status is JobStatus.SUCCEEDED, celery_workers.log_text()
        assert done.result is not None
        assert (done.result["echo"], done.attempts) == (7, 1)
    finally:
        app.close()
        await store.close()


async def test_a_cancel_through_another_api_process_is_pushed_and_counted_once(
    celery_workers: Workers,
) -> None:
    finals: list[str] = []

    def count(job: Job) -> None:
        if job.status.is_final:
            finals.append(job.id)

    # Two API processes in one: each engine its own Celery backend and Redis bus, store
    # re-read every 5 s only.
    async with (
        started_engine(celery_workers) as (admitting, _),
        started_engine(celery_workers) as (other, _),
    ):
        admitting.add_listener(count)
        other.add_listener(count)
        job = await admitting.submit("nap", {"seconds": 4.0})
        await wait_running(admitting, job.id, within=20)
        await other.cancel(job.id)
        heard = await admitting.wait(job.id, timeout=2)
        assert heard.status is JobStatus.CANCELLED

        async def let_go() -> bool:
            return admitting.stats().running == 0  # no longer one of its own running jobs

        # Only the push tells the admitting backend (its store re-reads wake waiters only).
        await until(let_go, within=2)
        await asyncio.sleep(0.2)  # time for a second count, were there one
        assert finals == [job.id]  # counted by the process that took the cancel, once
