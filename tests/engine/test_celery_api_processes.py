"""Many API processes on one store and the Celery backend: a job submitted through one is
visible, streamable (Server-Sent Events) and cancellable through any other, and the other learns
of its changes by push (Redis), not by its store polling (set to 30 s here)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import anyio
import pytest
from bench.servers import uvicorn_command
from httpx_sse import aconnect_sse

from tests.engine.celery_support import REDIS_URL, ROOT, Workers, new_queue, require_redis
from tests.engine.celery_support import wait_ready as wait_worker
from tests.interfaces.api.harness import (
    REPORT_BODY,
    eventually,
    free_port,
    stop_servers,
    two_ready_clients,
)

pytestmark = [pytest.mark.anyio, pytest.mark.redis, pytest.mark.slow, pytest.mark.timeout(120)]

POLL = 30.0  # the fallback store re-read: far longer than anything this test waits for


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def start_api(workers: Workers, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **workers.env(concurrency=2),
        "RISKREPORT_BACKEND": "celery",
        "RISKREPORT_STORE_POLL_INTERVAL": str(POLL),
        "RISKREPORT_BROKER_URL": REDIS_URL,
    }
    command = uvicorn_command("tests.engine.celery_api_server:create_from_env", port)
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """One worker (two slots) and two API processes; yields the two base URLs."""
    require_redis()
    workers = Workers(database_url=f"sqlite:///{tmp_path / 'jobs.db'}", queue=new_queue())
    servers: list[subprocess.Popen[bytes]] = []
    try:
        wait_worker(workers, workers.start(tmp_path, concurrency=2))
        ports = [free_port(), free_port()]
        servers = [start_api(workers, port, tmp_path / f"api-{port}.log") for port in ports]
        yield f"http://127.0.0.1:{ports[0]}", f"http://127.0.0.1:{ports[1]}"
    finally:
        stop_servers(servers)
        workers.stop_all()


async def test_a_job_submitted_through_one_api_is_followed_and_cancelled_through_another(
    cluster: tuple[str, str],
) -> None:
    async with two_ready_clients(*cluster) as (first, second):
        # Submitted through the first, followed through the second.
        job = (await first.post("/v1/reports", json=REPORT_BODY)).json()
        events: list[tuple[str, dict[str, Any], float]] = []
        async with aconnect_sse(second, "GET", f"/v1/reports/{job['id']}/events") as source:
            async for sse in source.aiter_sse():
                events.append((sse.event, sse.json(), time.time()))
        snapshots = [data for _, data, _ in events]
        assert snapshots[-1]["status"] == "succeeded"
        stages = [s["progress"]["stage"] for s in snapshots]
        assert {"step-2", "step-3", "step-4"} <= set(stages), stages
        # Pushed: the final event came well within a second of the worker's write (polling
        # would take up to 30 s), and every 0.3 s stage arrived as its own event.
        finished_at = datetime.fromisoformat(snapshots[-1]["finished_at"]).timestamp()
        assert events[-1][2] - finished_at < 1.0, events[-1][2] - finished_at

        # Visible, waited for (Prefer: wait) and cancelled through the other process.
        slow = (await first.post("/v1/reports", json=REPORT_BODY)).json()

        async def running() -> bool:
            seen = (await second.get(f"/v1/reports/{slow['id']}")).json()
            return bool(seen["status"] == "running")

        await eventually(running, within=20)
        # Followed through the first (which admitted it) while the second cancels it: the
        # cancel reaches the first's stream by push too, not at its 30 s store read.
        followed: list[tuple[str, float]] = []

        async def follow() -> None:
            url = f"/v1/reports/{slow['id']}/events"
            async with aconnect_sse(first, "GET", url) as source:
                async for sse in source.aiter_sse():
                    followed.append((sse.json()["status"], time.monotonic()))

        async def following() -> bool:
            return bool(followed)  # the stream's first event: the job as it is

        async with anyio.create_task_group() as group:
            group.start_soon(follow)
            await eventually(following, within=10)
            asked = time.monotonic()
            cancelled = await second.delete(f"/v1/reports/{slow['id']}")
        assert cancelled.status_code == 200
        assert cancelled.json()["status"] == "cancelled"
        assert followed[-1][0] == "cancelled"
        assert followed[-1][1] - asked < 2.0, followed[-1][1] - asked
        waited = await first.get(f"/v1/reports/{slow['id']}", headers={"Prefer": "wait=5"})
        assert waited.json()["status"] == "cancelled"
        assert waited.json()["error"]["code"] == "cancelled"

        # A third job's Prefer: wait through the second process returns at the push.
        third = (await first.post("/v1/reports", json=REPORT_BODY)).json()
        started = time.monotonic()
        done = await second.get(f"/v1/reports/{third['id']}", headers={"Prefer": "wait=20"})
        assert done.json()["status"] == "succeeded"
        assert time.monotonic() - started < 5  # four 0.3 s stages plus delivery, not 30 s
