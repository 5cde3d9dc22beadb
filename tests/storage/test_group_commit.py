"""The SQLite store's writer: writes that arrive together share a transaction, yet each caller
gets what it would have got writing alone; reads never wait for writes."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import OperationalError

from riskreport.engine.errors import IllegalTransition, JobNotFound
from riskreport.engine.jobs import Job, JobStatus
from riskreport.storage.group_commit import MAX_ROWS, GroupCommit, RowWrite, RowWrites
from riskreport.storage.sql import SqlJobStore

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(20)]

T0 = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqlJobStore]:
    store = SqlJobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    await store.open()
    yield store
    await store.close()


def _writer(store: SqlJobStore) -> GroupCommit:
    writer = store._writer  # the store's own writer, to count its transactions
    assert writer is not None
    return writer


def job(job_id: str) -> Job:
    return Job(id=job_id, kind="k", payload={"n": job_id}, created_at=T0)


async def test_writes_that_arrive_together_share_transactions(store: SqlJobStore) -> None:
    writer = _writer(store)
    before = writer.batches
    await asyncio.gather(*(store.create(job(f"j{i}")) for i in range(100)))
    batches = writer.batches - before
    # One transaction alone per write would be 100; they come in a handful.
    assert 1 <= batches <= 10, batches
    assert sum((await store.count_by_status()).values()) == 100


async def test_a_failing_write_fails_alone(store: SqlJobStore) -> None:
    await store.create(job("taken"))
    await store.create(job("done"))
    await store.transition("done", JobStatus.CANCELLED, at=T0)
    results = await asyncio.gather(
        store.create(job("a")),
        store.create(job("taken")),  # exists: this caller's error only
        store.transition("a", JobStatus.RUNNING, at=T0),  # sees "a" created just before
        store.transition("done", JobStatus.RUNNING, at=T0),  # final already: refused
        store.transition("nobody", JobStatus.RUNNING, at=T0),
        store.create(job("b")),
        return_exceptions=True,
    )
    assert results[0] is None
    assert isinstance(results[1], ValueError)
    assert isinstance(results[2], Job)
    assert results[2].status is JobStatus.RUNNING
    assert isinstance(results[3], IllegalTransition)
    assert isinstance(results[4], JobNotFound)
    assert results[5] is None
    # What succeeded is stored; what failed left nothing behind.
    assert (await store.get("a")).status is JobStatus.RUNNING
    assert (await store.get("b")).status is JobStatus.QUEUED
    assert (await store.get("done")).status is JobStatus.CANCELLED
    assert (await store.get("taken")).payload == {"n": "taken"}


async def test_a_caller_cancelled_before_its_batch_is_not_written(store: SqlJobStore) -> None:
    first = asyncio.create_task(store.create(job("first")))
    second = asyncio.create_task(store.create(job("second")))
    await asyncio.sleep(0)  # both queued; the first batch has not been taken yet
    second.cancel()
    await first
    with pytest.raises(asyncio.CancelledError):
        await second
    assert (await store.get("first")).status is JobStatus.QUEUED
    with pytest.raises(JobNotFound):
        await store.get("second")


async def test_reads_do_not_wait_for_a_blocked_writer(store: SqlJobStore, tmp_path: Path) -> None:
    await store.create(job("old"))
    # Another process holds the write lock: the store's next write waits (busy timeout)...
    other = sqlite3.connect(tmp_path / "jobs.db", isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        write = asyncio.create_task(store.create(job("new")))
        await asyncio.sleep(0.05)
        assert not write.done()
        # ... while reads go on, from their own connections.
        async with asyncio.timeout(1):
            assert (await store.get("old")).id == "old"
            assert len((await store.list()).items) == 1
    finally:
        other.execute("ROLLBACK")
        other.close()
    await write
    assert (await store.get("new")).status is JobStatus.QUEUED


async def test_a_failed_commit_reaches_every_caller_and_the_writer_recovers(
    tmp_path: Path,
) -> None:
    path = tmp_path / "plain.db"
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.2}, pool_size=1)

    @event.listens_for(engine, "connect")
    def autocommit(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def immediate(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (n INTEGER)"))
    writer = GroupCommit(engine)

    def insert(n: int) -> Callable[[Connection], int]:
        return lambda conn: conn.execute(text("INSERT INTO t VALUES (:n)"), {"n": n}).rowcount

    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        locked = await asyncio.gather(
            *(writer.run(insert(n)) for n in range(3)), return_exceptions=True
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert all(isinstance(r, OperationalError) and "locked" in str(r) for r in locked), locked
    assert await asyncio.gather(*(writer.run(insert(n)) for n in range(3))) == [1, 1, 1]
    await writer.aclose()
    with pytest.raises(RuntimeError, match="closed"):
        await writer.run(insert(9))
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 3
    engine.dispose()


class Appends(RowWrites[int, int]):
    """Row writes that append ``params`` to row ``row`` of table ``t``, as one INSERT of many
    rows, recording the size of each group they were given."""

    def __init__(self) -> None:
        self.groups: list[list[str]] = []

    def write_all(
        self, conn: Connection, writes: Sequence[RowWrite[int, int]]
    ) -> list[int | Exception]:
        self.groups.append([write.row for write in writes])
        conn.execute(
            text("INSERT INTO t (row, n) VALUES (:row, :n)"),
            [{"row": write.row, "n": write.params} for write in writes],
        )
        return [write.params for write in writes]


@pytest.fixture
def plain_engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine(f"sqlite:///{tmp_path / 'plain.db'}", pool_size=1)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (seq INTEGER PRIMARY KEY, row TEXT, n INTEGER)"))
    yield engine
    engine.dispose()


async def test_row_writes_merge_in_runs_that_keep_each_rows_order(plain_engine: Engine) -> None:
    writer = GroupCommit(plain_engine)
    appends = Appends()

    def count(conn: Connection) -> int:  # a function: it may read any row, so it ends a run
        return int(conn.execute(text("SELECT count(*) FROM t")).scalar_one())

    results = await asyncio.gather(
        writer.run(appends.write("a", 1)),
        writer.run(appends.write("b", 2)),
        writer.run(appends.write("a", 3)),  # "a" again: a new run
        writer.run(appends.write("c", 4)),
        writer.run(count),  # sees the four before it
        writer.run(appends.write("d", 5)),
    )
    await writer.aclose()
    assert list(results) == [1, 2, 3, 4, 4, 5]
    assert writer.batches == 1
    assert appends.groups == [["a", "b"], ["a", "c"], ["d"]]
    with plain_engine.connect() as conn:
        rows = conn.execute(text("SELECT row, n FROM t ORDER BY seq")).all()
    assert [tuple(row) for row in rows] == [("a", 1), ("b", 2), ("a", 3), ("c", 4), ("d", 5)]


async def test_a_merged_statement_takes_at_most_max_rows(plain_engine: Engine) -> None:
    writer = GroupCommit(plain_engine, max_batch=MAX_ROWS * 3)
    appends = Appends()
    count = MAX_ROWS * 2 + 7
    results = await asyncio.gather(*(writer.run(appends.write(f"r{i}", i)) for i in range(count)))
    await writer.aclose()
    assert results == list(range(count))
    assert writer.batches == 1
    assert [len(group) for group in appends.groups] == [MAX_ROWS, MAX_ROWS, 7]
