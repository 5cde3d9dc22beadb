"""Leases on a shared store (``serve --workers N``): what a live process adopts from one whose
lease lapsed, on SQLite and PostgreSQL, each store with a runner id of its own."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path

import pytest

from riskreport.engine.jobs import Adopted, Job, JobError, JobStatus, Progress, utcnow
from riskreport.storage.sql import SqlJobStore
from tests.storage.conftest import drop_tables, open_postgres

pytestmark = pytest.mark.anyio

Opener = Callable[[str], Awaitable[SqlJobStore]]
ERROR = JobError(code="interrupted", message="too many times")
LAPSE = timedelta(seconds=30)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def runner_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Opener]:
    """Opens a store on one shared database as the runner named."""
    prefix = f"t{uuid.uuid4().hex[:12]}_"
    opened: list[SqlJobStore] = []

    async def opener(runner: str) -> SqlJobStore:
        if request.param == "sqlite":
            store = SqlJobStore(f"sqlite:///{tmp_path / 'jobs.db'}", runner=runner)
            await store.open()
        else:
            store = await open_postgres(prefix, runner=runner)
        opened.append(store)
        return store

    yield opener
    for store in opened:
        await store.close()
    if request.param == "postgresql" and opened:
        await drop_tables(opened[0])


async def adopt(store: SqlJobStore, *, max_attempts: int = 3) -> Adopted:
    """One renewal of ``store``'s lease, as the engine makes it: renew, then adopt."""
    now = utcnow()
    await store.renew_lease(at=now)
    return await store.adopt_orphans(
        stale_before=now - LAPSE, max_attempts=max_attempts, error=ERROR, at=now
    )


async def test_a_live_runner_keeps_its_jobs(runner_store: Opener) -> None:
    a, b = await runner_store("a"), await runner_store("b")
    assert await a.renew_lease(at=utcnow()) is False  # its first renewal: no row before
    assert await a.renew_lease(at=utcnow()) is True
    await a.create(Job(id="q", kind="k", payload={}))
    await a.create(Job(id="r", kind="k", payload={}))
    await a.transition("r", JobStatus.RUNNING, at=utcnow())
    adopted = await adopt(b)
    assert (adopted.jobs, adopted.failed) == ((), ())
    assert (await a.get("r")).status is JobStatus.RUNNING


async def test_a_lapsed_runners_queued_and_running_jobs_are_adopted(runner_store: Opener) -> None:
    a, b = await runner_store("a"), await runner_store("b")
    await a.renew_lease(at=utcnow() - timedelta(minutes=5))  # a's last heartbeat, long ago
    for job_id in ("first", "second", "third"):
        await a.create(Job(id=job_id, kind="k", payload={"n": job_id}))
    await a.transition("second", JobStatus.RUNNING, at=utcnow())
    await a.set_progress("second", Progress(fraction=0.5, stage="hazards"))
    await a.transition("third", JobStatus.RUNNING, at=utcnow())
    await a.transition("third", JobStatus.SUCCEEDED, at=utcnow(), result={"ok": 1})

    adopted = await adopt(b)
    assert [job.id for job in adopted.jobs] == ["first", "second"]  # oldest first; not "third"
    assert all(job.status is JobStatus.QUEUED for job in adopted.jobs)
    second = adopted.jobs[1]
    assert (second.started_at, second.progress.stage, second.attempts) == (None, "queued", 1)
    assert second.payload == {"n": "second"}
    assert adopted.failed == ()
    # Now b's: adopting again finds nothing, and b's start is an ordinary one.
    assert (await adopt(b)).jobs == ()
    restarted = await b.transition("second", JobStatus.RUNNING, at=utcnow())
    assert restarted.attempts == 2


async def test_a_running_job_at_the_attempt_limit_fails(runner_store: Opener) -> None:
    a, b = await runner_store("a"), await runner_store("b")
    await a.renew_lease(at=utcnow() - timedelta(minutes=5))
    await a.create(Job(id="crasher", kind="k", payload={}))
    await a.transition("crasher", JobStatus.RUNNING, at=utcnow())
    adopted = await adopt(b, max_attempts=1)
    assert (adopted.jobs, adopted.failed) == ((), ("crasher",))
    failed = await b.get("crasher")
    assert failed.status is JobStatus.FAILED
    assert failed.error == ERROR


async def test_a_runner_that_left_has_its_jobs_adopted_at_once(runner_store: Opener) -> None:
    a, b = await runner_store("a"), await runner_store("b")
    await a.renew_lease(at=utcnow())
    await a.create(Job(id="waiting", kind="k", payload={}))
    await a.leave()  # a graceful stop, its jobs returned to the queue
    adopted = await adopt(b)
    assert [job.id for job in adopted.jobs] == ["waiting"]


async def test_a_job_that_another_runner_starts_becomes_that_runners(runner_store: Opener) -> None:
    # At start-up every worker offers to run the queued jobs of before; the one that starts a
    # job holds it, so the others never take it for an orphan of the dead process.
    dead, a, b = await runner_store("dead"), await runner_store("a"), await runner_store("b")
    await dead.create(Job(id="old", kind="k", payload={}))
    await a.renew_lease(at=utcnow())
    await a.transition("old", JobStatus.RUNNING, at=utcnow())
    assert (await adopt(b)).jobs == ()
    assert (await b.get("old")).status is JobStatus.RUNNING


async def test_jobs_without_a_runner_are_never_adopted(runner_store: Opener) -> None:
    a = await runner_store("a")
    await a.renew_lease(at=utcnow())
    alone = SqlJobStore(a.url.render_as_string(hide_password=False), table_prefix=_prefix(a))
    await alone.open()
    try:
        await alone.create(Job(id="single", kind="k", payload={}))
        await alone.transition("single", JobStatus.RUNNING, at=utcnow())
    finally:
        await alone.close()
    assert (await adopt(a)).jobs == ()


async def test_a_store_without_a_runner_refuses_lease_calls(tmp_path: Path) -> None:
    store = SqlJobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    await store.open()
    try:
        with pytest.raises(RuntimeError, match="runner="):
            await store.renew_lease(at=utcnow())
    finally:
        await store.close()


def _prefix(store: SqlJobStore) -> str:
    return store.tables.jobs.name.removesuffix("jobs")


async def test_ended_among_reads_the_final_ones_of_the_jobs_named(runner_store: Opener) -> None:
    a = await runner_store("a")
    for job_id in ("queued", "running", "cancelled", "done", "other-done"):
        await a.create(Job(id=job_id, kind="k", payload={}))
    await a.transition("running", JobStatus.RUNNING, at=utcnow())
    await a.transition("cancelled", JobStatus.CANCELLED, at=utcnow(), error=ERROR)
    for job_id in ("done", "other-done"):
        await a.transition(job_id, JobStatus.RUNNING, at=utcnow())
        await a.transition(job_id, JobStatus.SUCCEEDED, at=utcnow(), result={"ok": 1})
    ended = await a.ended_among(["queued", "running", "cancelled", "done", "missing"])
    assert sorted((job.id, job.status) for job in ended) == [
        ("cancelled", JobStatus.CANCELLED),
        ("done", JobStatus.SUCCEEDED),
    ]
