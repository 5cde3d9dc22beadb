"""The blocking store of a Celery pool process writes the same tables with the same meaning as
the async store: compare-and-set transitions, restarts and progress, read back by the async
store, on SQLite and PostgreSQL."""

from __future__ import annotations

import math
import sqlite3
import threading
import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import StatementError

from riskreport.engine.errors import IllegalTransition, JobNotFound
from riskreport.engine.jobs import Artifact, Job, JobError, JobStatus, Progress
from riskreport.storage.blocking import BlockingSqlJobStore
from riskreport.storage.sql import SqlJobStore
from tests.storage.conftest import drop_tables, open_postgres

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(20)]

T0 = datetime(2025, 1, 1, tzinfo=UTC)
T1 = T0 + timedelta(seconds=1)
STARTED = Progress(0.0, "running")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@dataclass
class Stores:
    shared: SqlJobStore  # the API process's view
    blocking: BlockingSqlJobStore  # the pool process's


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def stores(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Stores]:
    prefix = f"b{uuid.uuid4().hex[:12]}_"
    if request.param == "sqlite":
        shared = SqlJobStore(f"sqlite:///{tmp_path / 'jobs.db'}", table_prefix=prefix)
        await shared.open()
    else:
        shared = await open_postgres(prefix)
    blocking = BlockingSqlJobStore(str(shared.url), table_prefix=prefix)
    try:
        yield Stores(shared, blocking)
    finally:
        blocking.close()
        await shared.close()
        if request.param == "postgresql":
            await drop_tables(shared)


async def queued(stores: Stores) -> Job:
    job = Job(uuid.uuid4().hex, "report", {"site": "Busan"}, created_at=T0)
    await stores.shared.create(job)
    return job


async def test_a_start_is_a_compare_and_set_that_returns_the_job(stores: Stores) -> None:
    job = await queued(stores)
    running = stores.blocking.transition(job.id, JobStatus.RUNNING, at=T1, progress=STARTED)
    assert (running.status, running.attempts, running.payload) == (
        JobStatus.RUNNING,
        1,
        {"site": "Busan"},
    )
    assert running.started_at == T1
    with pytest.raises(IllegalTransition):
        stores.blocking.transition(job.id, JobStatus.RUNNING, at=T1, progress=STARTED)
    assert (await stores.shared.get(job.id)).attempts == 1


async def test_the_outcome_and_its_artifacts_are_read_back_by_the_async_store(
    stores: Stores,
) -> None:
    job = await queued(stores)
    stores.blocking.transition(job.id, JobStatus.RUNNING, at=T0, progress=STARTED)
    done = stores.blocking.transition(
        job.id,
        JobStatus.SUCCEEDED,
        at=T1,
        result={"score": 3.5},
        progress=Progress(1.0, "done"),
        artifacts=[Artifact("report.md", "text/markdown", b"# Busan")],
    )
    assert done.result == {"score": 3.5}
    stored = await stores.shared.get(job.id)
    assert (stored.status, stored.result, stored.finished_at) == (
        JobStatus.SUCCEEDED,
        {"score": 3.5},
        T1,
    )
    assert (await stores.shared.get_artifact(job.id, "report.md")).data == b"# Busan"
    assert stores.blocking.get(job.id) == stored


async def test_absent_jobs_are_not_found(stores: Stores) -> None:
    with pytest.raises(JobNotFound):
        stores.blocking.get("absent")
    with pytest.raises(JobNotFound):
        stores.blocking.transition("absent", JobStatus.RUNNING, at=T0, progress=STARTED)
    with pytest.raises(JobNotFound):
        stores.blocking.restart("absent", attempts=1, at=T0, progress=STARTED)


async def test_a_restart_wins_once_per_attempt(stores: Stores) -> None:
    job = await queued(stores)
    stores.blocking.transition(job.id, JobStatus.RUNNING, at=T0, progress=STARTED)
    again = stores.blocking.restart(job.id, attempts=1, at=T1, progress=STARTED)
    assert again is not None
    assert again.attempts == 2
    # A second delivery that read the job before the first restart loses.
    assert stores.blocking.restart(job.id, attempts=1, at=T1, progress=STARTED) is None


async def test_progress_counts_while_running_and_is_ignored_once_final(stores: Stores) -> None:
    job = await queued(stores)
    stores.blocking.transition(job.id, JobStatus.RUNNING, at=T0, progress=STARTED)
    stores.blocking.set_progress(job.id, Progress(0.5, "hazards"))
    assert (await stores.shared.get(job.id)).progress == Progress(0.5, "hazards")
    stores.blocking.transition(job.id, JobStatus.CANCELLED, at=T1)
    stores.blocking.set_progress(job.id, Progress(0.9, "narrative"))
    assert (await stores.shared.get(job.id)).progress == Progress(0.5, "hazards")


async def test_a_failed_call_leaves_the_store_usable(stores: Stores) -> None:
    job = await queued(stores)
    stores.blocking.transition(job.id, JobStatus.RUNNING, at=T0, progress=STARTED)
    # SQLAlchemy wraps the encoder's error on SQLite; psycopg raises it as it is.
    with pytest.raises((StatementError, ValueError), match="not JSON compliant"):
        # NaN is not JSON: the statement fails, the transaction is rolled back.
        stores.blocking.transition(job.id, JobStatus.SUCCEEDED, at=T1, result={"x": math.nan})
    assert (await stores.shared.get(job.id)).status is JobStatus.RUNNING
    stores.blocking.transition(job.id, JobStatus.SUCCEEDED, at=T1, result={"x": 1})
    assert (await stores.shared.get(job.id)).status is JobStatus.SUCCEEDED


async def test_two_threads_may_write_at_once(stores: Stores) -> None:
    """The job's thread and the progress flusher's thread share the one connection."""
    jobs = [await queued(stores) for _ in range(2)]
    for job in jobs:
        stores.blocking.transition(job.id, JobStatus.RUNNING, at=T0, progress=STARTED)
    errors: list[BaseException] = []

    def report(job: Job) -> None:
        try:
            for i in range(40):
                stores.blocking.set_progress(job.id, Progress(i / 40, "hazards"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=report, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for job in jobs:
        assert (await stores.shared.get(job.id)).progress == Progress(39 / 40, "hazards")


async def test_a_start_and_its_outcome_are_one_transaction(stores: Stores) -> None:
    job = Job(uuid.uuid4().hex, "report", {"site": "Busan"}, created_at=T0, owner="lender")
    await stores.shared.create(job)
    # As a worker knows the job from its message: what the row holds besides comes back.
    known = Job(job.id, job.kind, job.payload)
    running, done = stores.blocking.start_and_finish(
        known,
        started_at=T0,
        start_progress=STARTED,
        new=JobStatus.SUCCEEDED,
        at=T1,
        result={"ok": 1},
        progress=Progress(1.0, "done"),
    )
    assert (running.status, running.attempts, running.started_at) == (JobStatus.RUNNING, 1, T0)
    assert (running.created_at, running.owner) == (T0, "lender")
    stored = await stores.shared.get(job.id)
    assert stored == done
    assert (stored.status, stored.attempts, stored.started_at, stored.finished_at) == (
        JobStatus.SUCCEEDED,
        1,
        T0,
        T1,
    )
    assert (stored.result, stored.progress) == ({"ok": 1}, Progress(1.0, "done"))


async def test_a_refused_start_writes_no_outcome(stores: Stores) -> None:
    job = await queued(stores)
    await stores.shared.transition(job.id, JobStatus.CANCELLED, at=T1)
    with pytest.raises(IllegalTransition):
        stores.blocking.start_and_finish(
            job, started_at=T0, start_progress=STARTED, new=JobStatus.SUCCEEDED, at=T1
        )
    stored = await stores.shared.get(job.id)
    assert (stored.status, stored.attempts, stored.started_at) == (JobStatus.CANCELLED, 0, None)


async def test_a_read_does_not_wait_for_another_process_writing_on_sqlite(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    shared = SqlJobStore(url)
    await shared.open()
    blocking = BlockingSqlJobStore(url)
    writer = sqlite3.connect(tmp_path / "jobs.db", isolation_level=None)
    try:
        job = Job(uuid.uuid4().hex, "report", {}, created_at=T0)
        await shared.create(job)
        writer.execute("BEGIN IMMEDIATE")  # another process's write, not yet committed
        started = time.monotonic()
        assert blocking.get(job.id).status is JobStatus.QUEUED
        # Not the busy timeout (5 s) a write lock would have cost.
        assert time.monotonic() - started < 2.0
    finally:
        writer.close()
        blocking.close()
        await shared.close()


async def test_a_failure_written_with_its_start_keeps_the_start_progress_and_artifacts(
    stores: Stores,
) -> None:
    job = await queued(stores)
    running, failed = stores.blocking.start_and_finish(
        job,
        started_at=T0,
        start_progress=STARTED,
        new=JobStatus.FAILED,
        at=T1,
        error=JobError("error", "the job failed"),
        artifacts=[Artifact("log.txt", "text/plain", b"trace")],
    )
    assert (running.status, running.error, running.finished_at) == (JobStatus.RUNNING, None, None)
    stored = await stores.shared.get(job.id)
    assert stored == failed
    assert (stored.status, stored.progress, stored.error) == (
        JobStatus.FAILED,
        STARTED,
        JobError("error", "the job failed"),
    )
    assert (await stores.shared.get_artifact(job.id, "log.txt")).data == b"trace"
