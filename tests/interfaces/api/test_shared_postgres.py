"""``serve --workers N`` on PostgreSQL: two API processes with pools of their own on one store.

A job submitted through one is followed (Server-Sent Events), waited for (``Prefer: wait``) and
cancelled through the other, which learns of each change at once by PostgreSQL's LISTEN/NOTIFY,
not by its store polling (set to 30 s here).
"""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import anyio
import pytest
from httpx_sse import aconnect_sse

from tests.interfaces.api.harness import (
    REPORT_BODY,
    STANDIN_FACTORY,
    eventually,
    stop_servers,
    two_ready_clients,
    uvicorn_process,
)
from tests.storage.conftest import fresh_database

pytestmark = [pytest.mark.anyio, pytest.mark.postgres, pytest.mark.slow, pytest.mark.timeout(90)]

POLL = 30.0  # the fallback store re-read: far longer than anything this test waits for
NAP = 1.0


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two server processes on one fresh database, as ``serve --workers 2`` runs them (one
    admission queue and one pool each); yields their base URLs."""
    settings = {"concurrency": 1, "shared_store": True, "store_poll_interval": POLL}
    with fresh_database() as database_url:
        env = {
            "RISKREPORT_TEST_FUNCTION": "nap",
            "RISKREPORT_TEST_NAP": str(NAP),
            "RISKREPORT_TEST_SETTINGS": json.dumps(settings),
            "RISKREPORT_DATABASE_URL": database_url,
        }
        started: list[subprocess.Popen[bytes]] = []
        try:
            urls = []
            for name in ("first", "second"):
                log = tmp_path / f"{name}.log"
                process, url = uvicorn_process(STANDIN_FACTORY, env, grace=1, log=log)
                started.append(process)
                urls.append(url)
            yield urls[0], urls[1]
        finally:
            stop_servers(started)


async def test_a_job_is_followed_waited_for_and_cancelled_through_the_other_process(
    servers: tuple[str, str],
) -> None:
    async with two_ready_clients(*servers) as (first, second):
        # Submitted through the first (which runs it), streamed from the second.
        job = (await first.post("/v1/reports", json=REPORT_BODY)).json()
        events: list[tuple[dict[str, object], float]] = []
        async with aconnect_sse(second, "GET", f"/v1/reports/{job['id']}/events") as source:
            async for sse in source.aiter_sse():
                events.append((sse.json(), time.time()))
        assert [data["status"] for data, _ in events][-2:] == ["running", "succeeded"]
        # Pushed: the last event came well within a second of the first process's write.
        finished_at = datetime.fromisoformat(str(events[-1][0]["finished_at"])).timestamp()
        assert events[-1][1] - finished_at < 1.0, events[-1][1] - finished_at

        # Prefer: wait through the second returns when the first finishes the job.
        other = (await first.post("/v1/reports", json=REPORT_BODY)).json()
        asked = time.monotonic()
        done = await second.get(f"/v1/reports/{other['id']}", headers={"Prefer": "wait=20"})
        assert done.json()["status"] == "succeeded"
        assert time.monotonic() - asked < NAP + 2  # the nap and a push, not the 30 s poll

        # Cancelled through the second while the first runs it and streams it.
        running = (await first.post("/v1/reports", json=REPORT_BODY)).json()
        followed: list[tuple[str, float]] = []

        async def follow() -> None:
            async with aconnect_sse(first, "GET", f"/v1/reports/{running['id']}/events") as src:
                async for sse in src.aiter_sse():
                    followed.append((sse.json()["status"], time.monotonic()))

        async def is_running() -> bool:
            return bool(followed) and followed[-1][0] == "running"

        async with anyio.create_task_group() as group:
            group.start_soon(follow)
            await eventually(is_running, within=10)
            asked = time.monotonic()
            cancelled = await second.delete(f"/v1/reports/{running['id']}")
        assert cancelled.status_code == 200
        assert cancelled.json()["status"] == "cancelled"
        assert followed[-1][0] == "cancelled"
        assert followed[-1][1] - asked < 2.0, followed[-1][1] - asked
