"""What only the SQL store promises: URL forms, SQLite in WAL mode, two store objects (two
processes, in effect) sharing one database file safely."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from riskreport.engine.encoded import EncodedJSON
from riskreport.engine.errors import IllegalTransition
from riskreport.engine.jobs import Job, JobStatus
from riskreport.storage.database_url import store_url
from riskreport.storage.sql import SqlJobStore, dump_json
from riskreport.storage.statements import Statements
from riskreport.storage.tables import job_tables

pytestmark = pytest.mark.timeout(20)

T0 = datetime(2025, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///./riskreport.db", "sqlite:///./riskreport.db"),
        ("sqlite:////var/lib/rr.db", "sqlite:////var/lib/rr.db"),
        (
            "postgresql://postgres@127.0.0.1:5432/test",
            "postgresql+psycopg://postgres@127.0.0.1:5432/test",
        ),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite+aiosqlite:///x.db", "sqlite:///x.db"),
        ("sqlite+pysqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_plain_urls_get_the_store_drivers(given: str, expected: str) -> None:
    assert store_url(given).render_as_string(hide_password=False) == expected


def test_other_databases_are_refused_with_the_supported_forms() -> None:
    with pytest.raises(ValueError, match="postgresql://"):
        store_url("mysql://u@h/db")


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:"])
def test_sqlite_in_memory_is_refused_pointing_to_the_memory_store(url: str) -> None:
    with pytest.raises(ValueError, match="memory://"):
        store_url(url)


@pytest.mark.anyio
async def test_sqlite_runs_in_wal_mode(tmp_path: Path) -> None:
    path = tmp_path / "jobs.db"
    store = SqlJobStore(f"sqlite:///{path}")
    await store.open()
    try:
        await store.create(Job(id="a", kind="k", payload={}, created_at=T0))
    finally:
        await store.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.anyio
async def test_results_are_stored_as_compact_utf8_json(tmp_path: Path) -> None:
    path = tmp_path / "jobs.db"
    store = SqlJobStore(f"sqlite:///{path}")
    await store.open()
    result = {"address": "부산광역시 해운대구", "values": [1, 2.5]}
    try:
        await store.create(Job(id="a", kind="k", payload={}, created_at=T0))
        await store.transition("a", JobStatus.RUNNING, at=T0)
        await store.transition("a", JobStatus.SUCCEEDED, at=T0, result=result)
        assert (await store.get("a")).result == result
    finally:
        await store.close()
    with sqlite3.connect(path) as conn:
        (stored,) = conn.execute("SELECT result FROM jobs WHERE id = 'a'").fetchone()
    assert stored == '{"address":"부산광역시 해운대구","values":[1,2.5]}'


@pytest.mark.anyio
async def test_two_stores_on_one_file_cannot_both_finish_a_job(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    first, second = SqlJobStore(url), SqlJobStore(url)
    await first.open()
    await second.open()
    try:
        for i in range(10):
            await first.create(Job(id=f"j{i}", kind="k", payload={}, created_at=T0))
            await second.transition(f"j{i}", JobStatus.RUNNING, at=T0)
            results = await asyncio.gather(
                first.transition(f"j{i}", JobStatus.SUCCEEDED, at=T0, result={"by": 1}),
                second.transition(f"j{i}", JobStatus.CANCELLED, at=T0),
                return_exceptions=True,
            )
            assert sum(isinstance(r, Job) for r in results) == 1, results
            assert sum(isinstance(r, IllegalTransition) for r in results) == 1, results
    finally:
        await first.close()
        await second.close()


@pytest.mark.anyio
async def test_an_unopened_store_says_so() -> None:
    store = SqlJobStore("sqlite:///unused.db")
    with pytest.raises(RuntimeError, match="open"):
        await store.get("a")


# The jobs table as the first release created it, before the ``attempts`` column.
_FIRST_RELEASE_SCHEMA = """
CREATE TABLE jobs (
    id VARCHAR(64) NOT NULL PRIMARY KEY, kind VARCHAR(100) NOT NULL,
    status VARCHAR(16) NOT NULL, payload JSON NOT NULL, created_at DATETIME NOT NULL,
    started_at DATETIME, finished_at DATETIME, progress JSON NOT NULL, error JSON, result JSON
);
INSERT INTO jobs VALUES ('old', 'report', 'running', '{}', '2025-01-01 00:00:00.000000',
    '2025-01-01 00:00:01.000000', NULL, '{"fraction": 0.5, "stage": "hazards"}', NULL, NULL);
"""


@pytest.mark.anyio
async def test_a_database_of_the_first_release_gains_the_attempts_column(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(_FIRST_RELEASE_SCHEMA)
    store = SqlJobStore(f"sqlite:///{path}")
    await store.open()
    try:
        old = await store.get("old")
        assert (old.status, old.attempts) == (JobStatus.RUNNING, 0)
        assert await store.requeue("old")
        again = await store.transition("old", JobStatus.RUNNING, at=T0)
        assert again.attempts == 1
    finally:
        await store.close()
    reopened = SqlJobStore(f"sqlite:///{path}")
    await reopened.open()  # the column is there now: nothing to add, no error
    try:
        assert (await reopened.get("old")).attempts == 1
    finally:
        await reopened.close()


def test_json_columns_write_encoded_text_as_is_and_encode_the_rest_strictly() -> None:
    text = '{"b": 1,  "a": [2]}'  # spacing of its own: untouched, so never re-encoded
    assert dump_json(EncodedJSON(text)) == text
    assert dump_json({"b": 1, "a": [2], "k": "해운대"}) == '{"b":1,"a":[2],"k":"해운대"}'
    with pytest.raises(ValueError, match="JSON"):
        dump_json({"x": float("nan")})


def test_a_transition_that_writes_the_result_does_not_read_it_back() -> None:
    tables = job_tables()
    statements = Statements(tables)
    finishing = statements.transition(JobStatus.SUCCEEDED, ("finished_at", "result"), count=2)
    starting = statements.transition(JobStatus.RUNNING, ("started_at",), count=2)
    returned = {column.name for column in finishing.exported_columns}
    assert returned == {c.name for c in tables.jobs.c} - {"result"}
    assert "result" in {column.name for column in starting.exported_columns}


@pytest.mark.anyio
async def test_a_finished_job_carries_the_result_it_was_given(tmp_path: Path) -> None:
    store = SqlJobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
    await store.open()
    try:
        await store.create(Job(id="a", kind="k", payload={"p": 1}, created_at=T0))
        await store.transition("a", JobStatus.RUNNING, at=T0)
        result = {"report": {"grade": "C", "figures": [1.5, 2]}}
        done = await store.transition("a", JobStatus.SUCCEEDED, at=T0, result=result)
        assert done.result == result
        assert (await store.get("a")).result == result
        assert (done.payload, done.status, done.finished_at) == ({"p": 1}, JobStatus.SUCCEEDED, T0)
    finally:
        await store.close()
