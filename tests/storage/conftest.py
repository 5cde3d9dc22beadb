"""Store fixtures: every JobStore implementation, each fresh for one test.

PostgreSQL runs against the real server (``RISKREPORT_TEST_POSTGRES_URL``, default
``postgresql://postgres@127.0.0.1:5432/test``) with tables prefixed uniquely per test, dropped
afterwards, so parallel runs never collide. If the server is unreachable the test fails naming
PostgreSQL when ``CI=true``, and is skipped with that reason otherwise.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import create_async_engine

from riskreport.engine.store import JobStore
from riskreport.storage.memory import MemoryJobStore
from riskreport.storage.sql import SqlJobStore

POSTGRES_URL = os.environ.get(
    "RISKREPORT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)

StoreFactory = Callable[[], Awaitable[JobStore]]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def postgres_unreachable(exc: Exception) -> None:
    """Fail naming PostgreSQL on CI (``CI=true``); skip with the reason elsewhere."""
    message = f"PostgreSQL at {POSTGRES_URL} is unreachable: {exc}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message + " (set CI=true to make this a failure)")


@contextmanager
def fresh_database() -> Iterator[str]:
    """The URL of a database of its own on the server, dropped afterwards: for server
    processes, which create their tables without a prefix."""
    name = f"riskreport_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        postgres_unreachable(exc)
        raise
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
        finally:
            # FORCE: a server process killed by the test may have left its connections.
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


async def open_postgres(prefix: str, *, runner: str | None = None) -> SqlJobStore:
    store = SqlJobStore(f"{POSTGRES_URL}?connect_timeout=3", table_prefix=prefix, runner=runner)
    try:
        await store.open()
    except (OperationalError, OSError) as exc:
        postgres_unreachable(exc)
    return store


async def drop_tables(store: SqlJobStore) -> None:
    engine = create_async_engine(store.url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(store.tables.metadata.drop_all)
    finally:
        await engine.dispose()


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[StoreFactory]:
    """A factory that opens the parametrized store; calling it again reopens the same data
    (for the memory store: the same object, as nothing else could survive)."""
    kind: str = request.param
    opened: list[JobStore] = []
    prefix = f"t{uuid.uuid4().hex[:12]}_"
    memory = MemoryJobStore()

    async def factory() -> JobStore:
        store: JobStore
        if kind == "memory":
            store = memory
            await store.open()
        elif kind == "sqlite":
            store = SqlJobStore(f"sqlite:///{tmp_path / 'jobs.db'}")
            await store.open()
        else:
            store = await open_postgres(prefix)
        opened.append(store)
        return store

    yield factory
    for store in opened:
        await store.close()
    if kind == "postgresql" and opened:
        assert isinstance(opened[0], SqlJobStore)
        await drop_tables(opened[0])


@pytest.fixture
async def store(open_store: StoreFactory) -> JobStore:
    return await open_store()
