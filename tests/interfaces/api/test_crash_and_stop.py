"""No accepted job is lost, with real server processes: killed (SIGKILL) or stopped (SIGTERM)."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from riskreport.engine.jobs import JobStatus
from riskreport.storage.sql import SqlJobStore
from tests.interfaces.api.harness import (
    REPORT_BODY,
    STANDIN_FACTORY,
    app_for,
    asgi_client,
    eventually,
    stop_servers,
    uvicorn_process,
    wait_ready,
)

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(90)]

GRACE = 1.0


def start_server(
    database_url: str, *, function: str, runner: str, nap: float, workers: int = 1, **settings: Any
) -> tuple[subprocess.Popen[bytes], str]:
    env = {
        "RISKREPORT_TEST_FUNCTION": function,
        "RISKREPORT_TEST_RUNNER": runner,
        "RISKREPORT_TEST_NAP": str(nap),
        "RISKREPORT_TEST_SETTINGS": json.dumps(settings),
        "RISKREPORT_DATABASE_URL": database_url,
    }
    return uvicorn_process(STANDIN_FACTORY, env, grace=GRACE, workers=workers)


async def statuses(client: httpx.AsyncClient, ids: list[str]) -> list[str]:
    return [(await client.get(f"/v1/reports/{job_id}")).json()["status"] for job_id in ids]


async def all_succeed(client: httpx.AsyncClient, ids: list[str]) -> list[dict[str, Any]]:
    async def done() -> bool:
        return all(s == "succeeded" for s in await statuses(client, ids))

    await eventually(done, within=30, every=0.1)
    return [(await client.get(f"/v1/reports/{job_id}")).json() for job_id in ids]


async def test_sigkill_during_20_accepted_jobs_loses_none_of_them(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'jobs.db'}"
    server, base_url = start_server(
        database_url, function="nap", runner="thread", nap=30, concurrency=4, queue_limit=20
    )
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=5) as remote:
            await wait_ready(remote, within=30)
            answers = [await remote.post("/v1/reports", json=REPORT_BODY) for _ in range(20)]
            assert [a.status_code for a in answers] == [202] * 20
            ids = [a.json()["id"] for a in answers]

            async def four_running() -> bool:
                return (await statuses(remote, ids)).count("running") == 4

            await eventually(four_running)
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
    assert server.returncode == -signal.SIGKILL

    async with asgi_client(app_for("quick", database_url=database_url, queue_limit=20)) as client:
        jobs = await all_succeed(client, ids)
    assert sorted(job["attempts"] for job in jobs) == [1] * 16 + [2] * 4
    assert [job["result"]["job_id"] for job in jobs] == ids


async def test_sigterm_ends_waits_and_streams_and_exits_within_the_grace(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'jobs.db'}"
    server, base_url = start_server(
        database_url,
        function="nap",
        runner="process",
        nap=30,
        concurrency=2,
        queue_limit=10,
        shutdown_grace=GRACE,
    )
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as remote:
            await wait_ready(remote, within=30)
            ids = [
                (await remote.post("/v1/reports", json=REPORT_BODY)).json()["id"] for _ in range(5)
            ]

            async def two_running() -> bool:
                return (await statuses(remote, ids)).count("running") == 2

            await eventually(two_running)
            waited: dict[str, Any] = {}
            events: list[str] = []

            async def long_poll() -> None:
                response = await remote.get(f"/v1/reports/{ids[0]}", headers={"Prefer": "wait=30"})
                waited.update(status=response.status_code, headers=response.headers)
                waited.update(body=response.json())

            async def stream() -> None:
                async with remote.stream("GET", f"/v1/reports/{ids[1]}/events") as response:
                    async for line in response.aiter_lines():
                        if line.startswith("event:"):
                            events.append(line.split(":", 1)[1].strip())

            async with anyio.create_task_group() as group:
                group.start_soon(long_poll)
                group.start_soon(stream)
                await anyio.sleep(0.3)  # both are waiting on the server now
                stopped_at = time.monotonic()
                server.send_signal(signal.SIGTERM)
        assert waited["status"] == 503
        assert waited["body"]["error"]["code"] == "shutting_down"
        assert int(waited["headers"]["Retry-After"]) >= 1
        assert events[-1] == "shutdown"
        await anyio.to_thread.run_sync(lambda: server.wait(timeout=GRACE + 10))
        took = time.monotonic() - stopped_at
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    # uvicorn re-raises the signal once it has shut down (``riskreport serve`` exits 0 then).
    assert server.returncode == -signal.SIGTERM
    assert took < GRACE + 2, f"exit took {took:.2f} s"

    store = SqlJobStore(database_url)
    await store.open()
    try:
        left = [(await store.get(job_id)).status for job_id in ids]
    finally:
        await store.close()
    assert left == [JobStatus.QUEUED] * 5  # none cancelled, none failed: kept for the next start

    async with asgi_client(app_for("quick", database_url=database_url)) as client:
        jobs = await all_succeed(client, ids)
    assert sorted(job["attempts"] for job in jobs) == [1, 1, 1, 2, 2]


def running_runners(database_url: str) -> dict[str, str]:
    """Job id -> the runner id stamped on each running job, read straight from the file."""
    path = database_url.removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute("SELECT id, runner FROM jobs WHERE status = 'running'").fetchall()
    return dict(rows)


async def test_a_killed_worker_of_several_has_its_jobs_taken_over(tmp_path: Path) -> None:
    # uvicorn --workers 2 on one store; one worker is SIGKILLed mid-job and uvicorn starts
    # another. The killed one's running and queued jobs must not wait for a full restart.
    database_url = f"sqlite:///{tmp_path / 'jobs.db'}"
    server, base_url = start_server(
        database_url,
        function="nap",
        runner="thread",
        nap=1.0,
        workers=2,
        concurrency=1,
        queue_limit=20,
        shared_store=True,
        lease_seconds=2.0,
        store_poll_interval=0.1,
    )
    # A connection per request: both workers get some of the jobs, and no request goes to a
    # connection of the killed one.
    fresh = httpx.Limits(max_keepalive_connections=0)
    try:
        async with httpx.AsyncClient(base_url=base_url, timeout=10, limits=fresh) as remote:
            await wait_ready(remote, within=30)
            ids = []
            for _ in range(6):
                answer = await remote.post("/v1/reports", json=REPORT_BODY)
                assert answer.status_code == 202
                ids.append(answer.json()["id"])

            async def one_running() -> bool:
                return bool(running_runners(database_url))

            await eventually(one_running)
            victim_job, victim = next(iter(running_runners(database_url).items()))
            pid = int(victim.split(":")[1])  # runner ids are host:pid:random
            os.kill(pid, signal.SIGKILL)
            jobs = await all_succeed(remote, ids)
    finally:
        stop_servers([server], within=GRACE + 15)
    attempts = {job["id"]: job["attempts"] for job in jobs}
    assert attempts[victim_job] == 2  # started again by another worker
    assert [attempts[i] for i in ids if i != victim_job] == [1] * 5
