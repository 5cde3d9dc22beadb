"""Group commit merges the job writes of a batch into one statement per kind, on SQLite and
PostgreSQL alike, and still gives every caller what it would have got writing alone, in arrival
order: its own job, or its own error."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import StatementError

from riskreport.engine.errors import IllegalTransition, JobNotFound
from riskreport.engine.jobs import Artifact, Job, JobStatus, Progress
from riskreport.storage.group_commit import GroupCommit
from riskreport.storage.sql import SqlJobStore
from tests.storage.conftest import drop_tables, open_postgres

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(20)]

T0 = datetime(2025, 1, 1, tzinfo=UTC)
T1 = T0 + timedelta(seconds=1)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[SqlJobStore]:
    if request.param == "sqlite":
        store = SqlJobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
        await store.open()
    else:
        store = await open_postgres(f"m{uuid.uuid4().hex[:12]}_")
    try:
        yield store
    finally:
        await store.close()
        if request.param == "postgresql":
            await drop_tables(store)


def _writer(store: SqlJobStore) -> GroupCommit:
    writer = store._writer  # the store's own writer, to count its transactions and statements
    assert writer is not None
    return writer


def job(job_id: str) -> Job:
    return Job(id=job_id, kind="k", payload={"n": job_id}, created_at=T0)


async def one_batch(store: SqlJobStore, *writes: Awaitable[Any]) -> tuple[list[Any], int]:
    """The writes' results (or errors), written in one transaction; and its statements."""
    writer = _writer(store)
    batches, statements = writer.batches, writer.statements
    results = await asyncio.gather(*writes, return_exceptions=True)
    assert writer.batches == batches + 1  # they all arrived while no batch was running
    return results, writer.statements - statements


async def test_jobs_created_together_are_one_statement(store: SqlJobStore) -> None:
    results, statements = await one_batch(store, *(store.create(job(f"j{i}")) for i in range(20)))
    assert results == [None] * 20
    assert statements == 1
    assert (await store.get("j7")).payload == {"n": "j7"}


async def test_legal_and_illegal_transitions_together_each_get_their_own_outcome(
    store: SqlJobStore,
) -> None:
    for job_id in ("a", "b", "c", "done", "running"):
        await store.create(job(job_id))
    await store.transition("done", JobStatus.CANCELLED, at=T0)
    await store.transition("running", JobStatus.RUNNING, at=T0)
    results, statements = await one_batch(
        store,
        store.transition("a", JobStatus.RUNNING, at=T1),
        store.transition("done", JobStatus.RUNNING, at=T1),  # final already: refused
        store.transition("b", JobStatus.RUNNING, at=T1),
        store.transition("nobody", JobStatus.RUNNING, at=T1),  # no such job
        store.transition("running", JobStatus.RUNNING, at=T1),  # running already: refused
        store.transition("c", JobStatus.RUNNING, at=T1),
    )
    # One UPDATE for the six, one SELECT saying why three of them changed nothing.
    assert statements == 2
    a, done, b, nobody, running, c = results
    for moved, job_id in ((a, "a"), (b, "b"), (c, "c")):
        assert isinstance(moved, Job)
        assert (moved.id, moved.status, moved.started_at, moved.attempts) == (
            job_id,
            JobStatus.RUNNING,
            T1,
            1,
        )
        assert moved == await store.get(job_id)
    assert isinstance(done, IllegalTransition)
    assert (done.old, done.new) == ("cancelled", "running")
    assert isinstance(running, IllegalTransition)
    assert (running.old, running.new) == ("running", "running")
    assert isinstance(nobody, JobNotFound)
    # The refused ones changed nothing.
    assert (await store.get("done")).status is JobStatus.CANCELLED
    kept = await store.get("running")
    assert (kept.started_at, kept.attempts) == (T0, 1)


async def test_writes_of_one_job_in_one_batch_keep_their_order(store: SqlJobStore) -> None:
    report = Artifact("report.json", "application/json", b"{}")
    results, _ = await one_batch(
        store,
        store.create(job("x")),
        store.transition("x", JobStatus.RUNNING, at=T0),  # sees "x" created just before
        store.set_progress("x", Progress(0.5, "half")),
        store.create(job("y")),
        store.transition("x", JobStatus.SUCCEEDED, at=T1, result={"r": 1}, artifacts=[report]),
        store.transition("x", JobStatus.CANCELLED, at=T1),  # after the success: refused
        store.transition("y", JobStatus.CANCELLED, at=T1),
        store.set_progress("x", Progress(0.9, "late")),  # final by now: ignored
    )
    created_x, running, progress, created_y, succeeded, cancelled, cancelled_y, late = results
    assert (created_x, progress, created_y, late) == (None, None, None, None)
    assert isinstance(running, Job)
    assert running.status is JobStatus.RUNNING
    assert isinstance(succeeded, Job)
    assert (succeeded.status, succeeded.result, succeeded.progress) == (
        JobStatus.SUCCEEDED,
        {"r": 1},
        Progress(0.5, "half"),
    )
    assert isinstance(cancelled, IllegalTransition)
    assert cancelled.old == "succeeded"
    assert isinstance(cancelled_y, Job)
    assert cancelled_y.status is JobStatus.CANCELLED
    stored = await store.get("x")
    assert stored == succeeded
    assert await store.get_artifact("x", "report.json") == report


async def test_a_write_that_breaks_a_shared_statement_fails_alone(store: SqlJobStore) -> None:
    for job_id in ("a", "b", "c"):
        await store.create(job(job_id))
        await store.transition(job_id, JobStatus.RUNNING, at=T0)
    await store.create(job("taken"))
    # What the bad write gets alone is what it must get in a batch (SQLAlchemy wraps the
    # serializer's ValueError on SQLite; psycopg raises it as it is).
    with pytest.raises((StatementError, ValueError), match="JSON compliant") as alone:
        await store.transition("c", JobStatus.SUCCEEDED, at=T1, result={"x": float("nan")})
    results, _ = await one_batch(
        store,
        store.transition("a", JobStatus.SUCCEEDED, at=T1, result={"x": 1.0}),
        store.transition("c", JobStatus.SUCCEEDED, at=T1, result={"x": float("nan")}),
        store.transition("b", JobStatus.SUCCEEDED, at=T1, result={"x": 2.0}),
        store.create(job("new")),
        store.create(job("taken")),  # a duplicate id breaks the multi-row INSERT
        store.create(job("newer")),
    )
    a, c, b, new, taken, newer = results
    assert isinstance(a, Job)
    assert a.result == {"x": 1.0}
    assert isinstance(b, Job)
    assert b.result == {"x": 2.0}
    assert type(c) is type(alone.value)
    assert str(c) == str(alone.value)
    assert (await store.get("c")).status is JobStatus.RUNNING
    assert (new, newer) == (None, None)
    assert isinstance(taken, ValueError)
    assert {j.id for j in (await store.list(limit=10)).items} == {
        "a",
        "b",
        "c",
        "taken",
        "new",
        "newer",
    }


async def test_progress_of_many_jobs_is_one_statement(store: SqlJobStore) -> None:
    for job_id in ("a", "b", "final"):
        await store.create(job(job_id))
    for job_id in ("a", "b"):
        await store.transition(job_id, JobStatus.RUNNING, at=T0)
    await store.transition("final", JobStatus.CANCELLED, at=T0)
    results, statements = await one_batch(
        store,
        store.set_progress("a", Progress(0.25, "a")),
        store.set_progress("final", Progress(0.5, "final")),  # not running: ignored
        store.set_progress("nobody", Progress(0.5, "nobody")),
        store.set_progress("b", Progress(0.75, "b")),
    )
    assert statements == 2  # the UPDATE, and the SELECT for the two it did not change
    assert results[0] is None
    assert results[1] is None
    assert isinstance(results[2], JobNotFound)
    assert results[3] is None
    assert (await store.get("a")).progress == Progress(0.25, "a")
    assert (await store.get("b")).progress == Progress(0.75, "b")
    assert (await store.get("final")).progress.stage == "queued"
