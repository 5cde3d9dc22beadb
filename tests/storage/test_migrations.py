"""Alembic migrations of the job store, on SQLite and on the real PostgreSQL server: a fresh
database gets exactly the tables the store declares; an older one is brought up to date with its
rows kept; a database made by ``create_all`` before migrations existed is adopted."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import anyio
import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, text

from riskreport.engine.jobs import JobStatus
from riskreport.storage.database_url import store_url
from riskreport.storage.migrate import current, head, upgrade
from riskreport.storage.sql import SqlJobStore
from riskreport.storage.tables import job_tables
from tests.storage.conftest import POSTGRES_URL, open_postgres

pytestmark = [pytest.mark.timeout(60)]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(url, table prefix) of an empty database."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jobs.db'}", ""
        return
    prefix = f"m{uuid.uuid4().hex[:10]}_"
    # Fails naming PostgreSQL on CI when it is down, skips elsewhere (as the store tests do).
    store = anyio.run(open_postgres, prefix)
    anyio.run(store.close)
    engine = create_engine(store_url(POSTGRES_URL))
    with engine.begin() as conn:
        store.tables.metadata.drop_all(conn)
    yield POSTGRES_URL, prefix
    with engine.begin() as conn:
        store.tables.metadata.drop_all(conn)
        conn.execute(text(f'DROP TABLE IF EXISTS "{prefix}alembic_version"'))
    engine.dispose()


def differences(url: str, prefix: str) -> list[object]:
    engine = create_engine(store_url(url))
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"version_table": f"{prefix}alembic_version"}
            )
            wanted = job_tables(prefix).metadata
            found = compare_metadata(context, wanted)
    finally:
        engine.dispose()
    # Only the store's own tables (the database may hold other tests' tables).
    names = set(wanted.tables)
    return [d for d in found if _table_of(d) in names]


def _table_of(diff: object) -> str | None:
    item = diff[0] if isinstance(diff, list) else diff
    for part in item if isinstance(item, tuple) else ():
        table = getattr(part, "table", None)
        name = getattr(table, "name", None) or getattr(part, "name", None)
        if isinstance(name, str):
            return name
    return None


def test_a_fresh_database_gets_the_declared_schema(database: tuple[str, str]) -> None:
    url, prefix = database
    assert current(url, table_prefix=prefix) is None
    assert upgrade(url, table_prefix=prefix) == head() == "0004"
    assert differences(url, prefix) == []
    assert upgrade(url, table_prefix=prefix) == head()  # again: nothing to do


def test_an_older_schema_is_upgraded_with_its_rows_kept(database: tuple[str, str]) -> None:
    url, prefix = database
    assert upgrade(url, table_prefix=prefix, revision="0001") == "0001"
    engine = create_engine(store_url(url))
    with engine.begin() as conn:
        conn.execute(
            text(
                f'INSERT INTO "{prefix}jobs" (id, kind, status, payload, created_at, progress) '
                "VALUES ('old', 'report', 'succeeded', '{}', :at, "
                '\'{"fraction": 1.0, "stage": "done"}\')'
            ),
            {"at": datetime(2025, 1, 2, tzinfo=UTC).replace(tzinfo=None)},
        )
    engine.dispose()
    assert upgrade(url, table_prefix=prefix) == "0004"
    assert differences(url, prefix) == []

    async def read() -> None:
        store = SqlJobStore(url, table_prefix=prefix)
        await store.open()
        try:
            old = await store.get("old")
            assert (old.status, old.attempts, old.owner) == (JobStatus.SUCCEEDED, 0, None)
        finally:
            await store.close()

    anyio.run(read)


def test_a_database_made_before_migrations_is_adopted(database: tuple[str, str]) -> None:
    url, prefix = database
    engine = create_engine(store_url(url))
    with engine.begin() as conn:
        job_tables(prefix).metadata.create_all(conn)  # what open() did before Alembic
    engine.dispose()
    assert upgrade(url, table_prefix=prefix) == head()
    assert differences(url, prefix) == []


_MIGRATE = "import sys; from riskreport.storage.migrate import upgrade; print(upgrade(sys.argv[1]))"


def test_processes_starting_together_on_one_sqlite_file_all_find_it_migrated(
    tmp_path: Path,
) -> None:
    # Celery workers start at once and each migrates the store at start-up: none may fail
    # because another wrote the revision between its read and its write.
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _MIGRATE, url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [p.communicate(timeout=120) for p in processes]
    for process, (out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err
        assert out.strip() == head()
    assert current(url) == head()
