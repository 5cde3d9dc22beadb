"""Durability through the API: a restart keeps finished jobs and runs again what a stopped
server had accepted but not finished."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import anyio
import httpx
import pytest

from tests.interfaces.api.harness import (
    REPORT_BODY,
    STANDIN_FACTORY,
    app_for,
    asgi_client,
    eventually,
    free_port,
    uvicorn_process,
    wait_ready,
)


def start_standin_server(function: str, database_url: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        "RISKREPORT_TEST_FUNCTION": function,
        "RISKREPORT_DATABASE_URL": database_url,
        "RISKREPORT_TEST_NAP": "30",
    }
    return uvicorn_process(STANDIN_FACTORY, env, port=port)[0]


@pytest.mark.anyio
async def test_restart_keeps_finished_jobs_and_runs_interrupted_ones_again(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'jobs.db'}"

    # 1. A server finishes a report with documents, then stops cleanly.
    async with asgi_client(app_for("with_documents", database_url=database_url)) as client:
        response = await client.post("/v1/reports", json=REPORT_BODY, headers={"Prefer": "wait=10"})
        finished = response.json()
        assert finished["status"] == "succeeded"

    # 2. Another server process starts a long job and dies (SIGKILL) while it runs.
    port = free_port()
    server = start_standin_server("nap", database_url, port)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as remote:
            await wait_ready(remote, within=30)
            running = (await remote.post("/v1/reports", json=REPORT_BODY)).json()

            async def is_running() -> bool:
                job = (await remote.get(running["links"]["self"])).json()
                return bool(job["status"] == "running")

            await eventually(is_running)
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=10)
    assert server.returncode == -signal.SIGKILL

    # 3. After a restart, both read as they should through the API.
    async with asgi_client(app_for("quick", database_url=database_url)) as client:
        again = (await client.get(finished["links"]["self"])).json()
        assert again["status"] == "succeeded"
        assert again["result"] == finished["result"]
        pdf = await client.get(finished["links"]["document"], params={"format": "pdf"})
        assert pdf.status_code == 200
        assert pdf.content.startswith(b"%PDF")

        # Left running by the killed server: run again (a second attempt) by this one.
        again_run = (
            await client.get(running["links"]["self"], headers={"Prefer": "wait=10"})
        ).json()
        assert again_run["status"] == "succeeded", again_run
        assert again_run["attempts"] == 2
        assert again_run["result"]["job_id"] == running["id"]
        assert (await client.delete(running["links"]["self"])).status_code == 409

        listed = (await client.get("/v1/reports")).json()["items"]
        assert [job["id"] for job in listed] == [running["id"], finished["id"]]


@pytest.mark.anyio
async def test_shutdown_lets_short_jobs_finish_and_keeps_the_rest_for_the_next_start(
    tmp_path: Path,
) -> None:
    database_url = f"sqlite:///{tmp_path / 'jobs.db'}"
    short = {**REPORT_BODY, "building_info": {"floors_above": 3}}  # 0.3 s
    long = {**REPORT_BODY, "building_info": {"floors_above": 100}}  # 10 s
    app = app_for("sized_nap", database_url=database_url, shutdown_grace=1.0)
    async with asgi_client(app) as client:
        short_job = (await client.post("/v1/reports", json=short)).json()
        long_job = (await client.post("/v1/reports", json=long)).json()

        async def both_running() -> bool:
            jobs = [(await client.get(j["links"]["self"])).json() for j in (short_job, long_job)]
            return all(job["status"] == "running" for job in jobs)

        await eventually(both_running)
        stopping = anyio.current_time()
    # Leaving the block ran the lifespan's shutdown: grace, then stop; never the long job's 10 s.
    assert anyio.current_time() - stopping < 5

    async with asgi_client(app_for("quick", database_url=database_url)) as client:
        finished = (await client.get(short_job["links"]["self"])).json()
        assert finished["status"] == "succeeded"
        assert finished["attempts"] == 1
        # Back in the queue at shutdown, run by the next start.
        resumed = (
            await client.get(long_job["links"]["self"], headers={"Prefer": "wait=10"})
        ).json()
        assert resumed["status"] == "succeeded", resumed
        assert resumed["attempts"] == 2
        assert resumed["error"] is None
