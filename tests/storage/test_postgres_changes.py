"""PostgreSQL's LISTEN/NOTIFY as the change bus of ``serve --workers N``, on the real server."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import psycopg
import pytest

from riskreport.storage.database_url import store_url
from riskreport.storage.postgres_changes import PostgresChangeBus, conninfo
from riskreport.storage.sql import SqlJobStore
from tests.storage.conftest import POSTGRES_URL, postgres_unreachable

pytestmark = [pytest.mark.anyio, pytest.mark.postgres, pytest.mark.timeout(30)]

Notice = tuple[str, bool]


async def _reachable() -> str:
    """The server's libpq URI; fails naming PostgreSQL on CI when it is down (as the stores)."""
    url = conninfo(store_url(POSTGRES_URL))
    try:
        async with await psycopg.AsyncConnection.connect(url, connect_timeout=3):
            pass
    except psycopg.OperationalError as exc:
        postgres_unreachable(exc)
    return url


@asynccontextmanager
async def listening(
    bus: PostgresChangeBus, on_resubscribe: Callable[[], None] | None = None
) -> AsyncIterator[asyncio.Queue[Notice]]:
    """``bus`` listening until the block ends; the notices it hears arrive in the queue."""
    heard: asyncio.Queue[Notice] = asyncio.Queue()
    subscribed = asyncio.Event()
    task = asyncio.create_task(
        bus.listen(
            lambda job_id, final: heard.put_nowait((job_id, final)),
            subscribed=subscribed,
            on_resubscribe=on_resubscribe,
        )
    )
    try:
        async with asyncio.timeout(10):
            await subscribed.wait()
        yield heard
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await bus.aclose()


async def next_notice(heard: asyncio.Queue[Notice]) -> Notice:
    async with asyncio.timeout(5):
        return await heard.get()


async def test_a_notice_reaches_the_other_processes_and_not_its_sender() -> None:
    url = await _reachable()
    channel = f"c{uuid.uuid4().hex[:12]}_jobs"
    sender, other = PostgresChangeBus(url, channel), PostgresChangeBus(url, channel)
    async with listening(sender) as own, listening(other) as heard:
        sender.publish("job-1", final=False)
        sender.publish("job-1", final=True)
        assert await next_notice(heard) == ("job-1", False)
        assert await next_notice(heard) == ("job-1", True)
        other.publish("job-2", final=True)
        # The sender hears the other's notice, and never its own two.
        assert await next_notice(own) == ("job-2", True)
        assert own.empty()
        # Closed (the engine closes it last at shutdown): a straggler is dropped, not sent by
        # a sender task left behind.
        await sender.aclose()
        sender.publish("job-3", final=True)
        other.publish("job-4", final=True)
        assert await next_notice(own) == ("job-4", True)
        await asyncio.sleep(0.2)
        assert heard.empty()


async def test_stores_with_tables_of_their_own_do_not_hear_each_other() -> None:
    url = await _reachable()
    mine, theirs = f"c{uuid.uuid4().hex[:12]}_jobs", f"c{uuid.uuid4().hex[:12]}_jobs"
    sender, neighbour, listener = (
        PostgresChangeBus(url, mine),
        PostgresChangeBus(url, theirs),
        PostgresChangeBus(url, mine),
    )
    async with listening(neighbour) as next_door, listening(listener) as heard:
        sender.publish("job-1", final=True)
        assert await next_notice(heard) == ("job-1", True)
        assert next_door.empty()
        await sender.aclose()


async def test_a_listener_cut_off_listens_again_and_says_it_may_have_missed_notices() -> None:
    url = await _reachable()
    channel = f"c{uuid.uuid4().hex[:12]}_jobs"
    listener, sender = PostgresChangeBus(url, channel), PostgresChangeBus(url, channel)
    resubscribed = asyncio.Event()
    async with listening(listener, on_resubscribe=resubscribed.set) as heard:
        # An operator (or a failover) ends the listening connection.
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as admin:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = %s",
                (f"riskreport-changes-{listener.origin}",),
            )
        async with asyncio.timeout(10):
            await resubscribed.wait()
        sender.publish("job-1", final=True)
        assert await next_notice(heard) == ("job-1", True)
        await sender.aclose()


async def test_a_sender_whose_connection_broke_connects_again_for_the_next_notice() -> None:
    url = await _reachable()
    channel = f"c{uuid.uuid4().hex[:12]}_jobs"
    sender, listener = PostgresChangeBus(url, channel), PostgresChangeBus(url, channel)
    async with listening(listener) as heard:
        sender.publish("job-1", final=False)
        assert await next_notice(heard) == ("job-1", False)
        async with await psycopg.AsyncConnection.connect(url, autocommit=True) as admin:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE application_name = %s",
                (f"riskreport-changes-{sender.origin}",),
            )
        # The notice sent on the dead connection is lost (logged); the next one gets through.
        for attempt in range(20):
            sender.publish(f"job-{attempt}", final=True)
            try:
                async with asyncio.timeout(0.5):
                    notice = await heard.get()
            except TimeoutError:
                continue
            assert notice[1] is True
            break
        else:
            pytest.fail("no notice got through after the sender's connection broke")
        await sender.aclose()


def test_the_uri_keeps_the_credentials_and_drops_the_driver() -> None:
    store = SqlJobStore("postgresql://user:secret@db.example:5433/jobs?sslmode=require")
    assert conninfo(store.url) == "postgresql://user:secret@db.example:5433/jobs?sslmode=require"
