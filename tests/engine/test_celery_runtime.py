"""A Celery pool process's bookkeeping (``WorkerRuntime``), in this process, on a real SQLite store
and the real Redis: a first delivery's start is held back, then written with the outcome in one
transaction, or alone once 0.1 s have passed or the job reports progress; the bus carries
``running`` then the outcome either way. A delivery whose held start is refused (the job was
cancelled, or another delivery runs it) stops its job and writes nothing."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from riskreport.engine.backends.celery.runtime import WorkerRuntime, WorkerSetup, record_killed
from riskreport.engine.events.job_json import loads_job
from riskreport.engine.jobs import Job, JobStatus, Progress, utcnow
from riskreport.engine.outcome import Outcome
from riskreport.engine.runners.throttle import INTERVAL
from riskreport.storage.blocking import BlockingSqlJobStore
from riskreport.storage.sql import SqlJobStore
from tests.engine.celery_support import REDIS_URL, require_redis

pytestmark = [pytest.mark.anyio, pytest.mark.redis, pytest.mark.timeout(30)]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class Pool:
    store: SqlJobStore  # the API process's view of the store
    runtime: WorkerRuntime
    channel: str


@pytest.fixture
async def pool(tmp_path: Path) -> AsyncIterator[Pool]:
    require_redis()
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    store = SqlJobStore(url)
    await store.open()
    channel = f"rr-test-{uuid.uuid4().hex[:10]}:events"
    setup = WorkerSetup(lambda: BlockingSqlJobStore(url), [], REDIS_URL, channel)
    runtime = WorkerRuntime(setup)
    try:
        yield Pool(store, runtime, channel)
    finally:
        runtime.close()
        await store.close()


@contextmanager
def heard(channel: str) -> Iterator[list[tuple[str, JobStatus | None]]]:
    """The changes published on ``channel`` meanwhile: (job id, status or None for progress)."""
    client = redis.Redis.from_url(REDIS_URL)
    pubsub = client.pubsub(ignore_subscribe_messages=True)  # type: ignore[no-untyped-call]
    pubsub.subscribe(channel)
    pubsub.get_message(timeout=1.0)  # the subscription's confirmation
    changes: list[tuple[str, JobStatus | None]] = []
    try:
        yield changes
    finally:
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            message = pubsub.get_message(timeout=0.1)
            if message is None:
                continue
            _origin, job_id, body = message["data"].split(b"\n", 2)
            changes.append((job_id.decode(), loads_job(body).status if body else None))
        pubsub.close()
        client.close()


async def queued(pool: Pool) -> Job:
    job = Job(uuid.uuid4().hex, "report", {"site": "Busan"}, owner="lender")
    await pool.store.create(job)
    return job


def delivered(job: Job) -> Job:
    """The job as a first delivery knows it: what its message carries."""
    return Job(job.id, job.kind, job.payload)


async def stood_down(runtime: WorkerRuntime) -> None:
    """Wait until the runtime's held start was refused and its job told to stop."""
    deadline = time.monotonic() + 5 * INTERVAL + 2.0
    while not runtime.stop.is_set():
        assert time.monotonic() < deadline, "the delivery never stood down"
        await asyncio.sleep(0.01)


async def test_a_short_job_is_written_once_with_its_start_and_heard_in_order(pool: Pool) -> None:
    job = await queued(pool)
    with heard(pool.channel) as changes:
        started = pool.runtime.hold_start(delivered(job))
        assert (started.status, started.payload) == (JobStatus.RUNNING, {"site": "Busan"})
        # Nothing is written yet.
        assert (await pool.store.get(job.id)).status is JobStatus.QUEUED
        done = pool.runtime.finished(job.id, Outcome.of({"ok": 1}))
    stored = await pool.store.get(job.id)
    # What the message did not carry (creation time, owner, attempts) came from the row.
    assert done == stored
    assert (stored.status, stored.attempts, stored.result) == (JobStatus.SUCCEEDED, 1, {"ok": 1})
    assert stored.started_at is not None
    assert stored.started_at == started.started_at
    assert stored.finished_at is not None
    assert stored.finished_at >= stored.started_at
    assert changes == [(job.id, JobStatus.RUNNING), (job.id, JobStatus.SUCCEEDED)]


async def test_a_longer_job_has_its_start_written_once_the_interval_has_passed(
    pool: Pool,
) -> None:
    job = await queued(pool)
    with heard(pool.channel) as changes:
        pool.runtime.hold_start(delivered(job))
        deadline = time.monotonic() + 5 * INTERVAL + 2.0
        while (await pool.store.get(job.id)).status is JobStatus.QUEUED:
            assert time.monotonic() < deadline, "the held start was never written"
            await asyncio.sleep(0.01)
        assert (await pool.store.get(job.id)).status is JobStatus.RUNNING
        pool.runtime.finished(job.id, Outcome.of({"ok": 1}))
    assert (await pool.store.get(job.id)).status is JobStatus.SUCCEEDED
    assert changes == [(job.id, JobStatus.RUNNING), (job.id, JobStatus.SUCCEEDED)]


async def test_progress_writes_the_held_start_first(pool: Pool) -> None:
    job = await queued(pool)
    with heard(pool.channel) as changes:
        pool.runtime.hold_start(delivered(job))
        pool.runtime.report(job.id, Progress(0.5, "hazards"))
        # Written in the job's thread, before the report: no wait for the interval.
        stored = await pool.store.get(job.id)
        assert stored.status is JobStatus.RUNNING
        assert stored.progress == Progress(0.5, "hazards")
        pool.runtime.finished(job.id, Outcome.of({"ok": 1}))
    assert changes == [
        (job.id, JobStatus.RUNNING),
        (job.id, None),
        (job.id, JobStatus.SUCCEEDED),
    ]


async def test_a_job_cancelled_while_its_start_is_held_stays_cancelled(pool: Pool) -> None:
    job = await queued(pool)
    pool.runtime.hold_start(delivered(job))
    await pool.store.transition(job.id, JobStatus.CANCELLED, at=utcnow())
    assert pool.runtime.finished(job.id, Outcome.of({"ok": 1})) is None
    stored = await pool.store.get(job.id)
    assert (stored.status, stored.result) == (JobStatus.CANCELLED, None)


async def test_after_a_stream_of_short_jobs_a_longer_one_still_has_its_start_written(
    pool: Pool,
) -> None:
    # The flusher's one call serves the short jobs; the longer job's start is still written
    # once its own 0.1 s have passed.
    for _ in range(5):
        short = await queued(pool)
        pool.runtime.hold_start(delivered(short))
        pool.runtime.finished(short.id, Outcome.of({"ok": 1}))
    job = await queued(pool)
    pool.runtime.hold_start(delivered(job))
    deadline = time.monotonic() + 5 * INTERVAL + 2.0
    while (await pool.store.get(job.id)).status is JobStatus.QUEUED:
        assert time.monotonic() < deadline, "the held start was never written"
        await asyncio.sleep(0.01)
    pool.runtime.finished(job.id, Outcome.of({"ok": 1}))
    assert (await pool.store.get(job.id)).status is JobStatus.SUCCEEDED


async def test_a_job_cancelled_before_its_message_came_is_stopped_and_stays_cancelled(
    pool: Pool,
) -> None:
    # A worker that started after the revoke never heard it: its first delivery runs the job
    # from its message until the held start's compare-and-set finds it cancelled.
    job = await queued(pool)
    cancelled = await pool.store.transition(job.id, JobStatus.CANCELLED, at=utcnow())
    with heard(pool.channel) as changes:
        pool.runtime.hold_start(delivered(job))
        await stood_down(pool.runtime)
        # Whatever the job still reports or returns is not written.
        pool.runtime.report(job.id, Progress(0.5, "hazards"))
        assert pool.runtime.finished(job.id, Outcome.of({"ok": 1})) is None
    assert await pool.store.get(job.id) == cancelled
    assert changes == []
    # The next delivery of this process runs as usual.
    other = await queued(pool)
    pool.runtime.hold_start(delivered(other))
    assert not pool.runtime.stop.is_set()
    assert pool.runtime.finished(other.id, Outcome.of({"ok": 1})) is not None


async def test_another_delivery_of_a_running_job_stands_down(pool: Pool) -> None:
    # A message delivered twice (a publish batch sent again after part of it reached Redis):
    # the first delivery runs the job; the second must neither restart nor finish it.
    job = await queued(pool)
    running = await pool.store.transition(
        job.id, JobStatus.RUNNING, at=utcnow(), progress=Progress(0.0, "running")
    )
    pool.runtime.hold_start(delivered(job))  # a long run: refused when its start is written
    await stood_down(pool.runtime)
    assert pool.runtime.finished(job.id, Outcome.of({"ok": 2})) is None
    pool.runtime.hold_start(delivered(job))  # a short run: refused with its outcome
    assert pool.runtime.finished(job.id, Outcome.of({"ok": 3})) is None
    assert await pool.store.get(job.id) == running
    # The first delivery's outcome is still recorded.
    done = await pool.store.transition(job.id, JobStatus.SUCCEEDED, at=utcnow(), result={"ok": 1})
    assert (done.attempts, done.result) == (1, {"ok": 1})


async def test_a_delivered_job_missing_from_the_store_is_dropped(
    pool: Pool, caplog: pytest.LogCaptureFixture
) -> None:
    missing = Job(uuid.uuid4().hex, "report", {})
    pool.runtime.hold_start(missing)
    assert pool.runtime.finished(missing.id, Outcome.of({"ok": 1})) is None
    pool.runtime.hold_start(missing)
    await stood_down(pool.runtime)
    assert pool.runtime.finished(missing.id, Outcome.of({"ok": 1})) is None
    said = f"job {missing.id} of a delivered message is not in the store"
    assert caplog.text.count(said) == 2  # once per delivery
    assert "no longer queued" not in caplog.text  # absent is said once, not twice
    # Killed by the hard time limit: the same one line, nothing raised.
    killed = Outcome.timed_out(1.0)
    assert (
        record_killed(pool.runtime.store, pool.runtime.bus, missing.id, killed, started_at=utcnow())
        is None
    )
    assert caplog.text.count(said) == 3
