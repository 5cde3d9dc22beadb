"""Over real HTTP (uvicorn on loopback): ``/healthz`` stays fast while slow jobs run.

The assertions are ratios against the job duration with generous margins: if any job blocked
the event loop, a health check issued during it would take about as long as the job.
"""

from __future__ import annotations

import time

import anyio
import httpx
import pytest

from riskreport.engine.spec import RunnerKind
from tests.interfaces.api import standin_jobs
from tests.interfaces.api.harness import (
    REPORT_BODY,
    app_for,
    percentile,
    uvicorn_server,
    wait_ready,
)

JOBS = 6


async def health_latencies_during_jobs(base_url: str, jobs: int) -> tuple[list[float], float]:
    """Submit ``jobs`` jobs, poll /healthz until all are final; latencies (s) and makespan."""
    latencies: list[float] = []
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        await wait_ready(client)
        start = time.perf_counter()
        ids = []
        for _ in range(jobs):
            response = await client.post("/v1/reports", json=REPORT_BODY)
            assert response.status_code == 202
            ids.append(response.json()["id"])
        pending = set(ids)
        async with httpx.AsyncClient(base_url=base_url, timeout=30) as prober:
            with anyio.fail_after(30):
                while pending:
                    t0 = time.perf_counter()
                    assert (await prober.get("/healthz")).status_code == 200
                    latencies.append(time.perf_counter() - t0)
                    for job_id in list(pending):
                        job = (await client.get(f"/v1/reports/{job_id}")).json()
                        if job["status"] not in ("queued", "running"):
                            assert job["status"] == "succeeded", job
                            pending.discard(job_id)
                    await anyio.sleep(0.01)
        return latencies, time.perf_counter() - start


@pytest.mark.anyio
async def test_healthz_stays_fast_while_io_bound_jobs_run() -> None:
    app = app_for("io_bound", RunnerKind.THREAD, concurrency=3)
    with uvicorn_server(app) as base_url:
        latencies, makespan = await health_latencies_during_jobs(base_url, JOBS)
    job = standin_jobs.IO_SECONDS
    assert len(latencies) >= 10
    # A blocked loop would delay a probe by a whole job; allow a fifth of one at the 95th pct.
    assert percentile(latencies, 95) < job / 5
    # 6 jobs on 3 slots: two rounds (a serial run would take six).
    assert makespan < 2 * job * 1.75


@pytest.mark.anyio
async def test_healthz_stays_fast_while_cpu_bound_jobs_run() -> None:
    app = app_for("cpu_bound", RunnerKind.PROCESS, concurrency=2)
    with uvicorn_server(app) as base_url:
        latencies, _ = await health_latencies_during_jobs(base_url, JOBS)
    job = standin_jobs.CPU_SECONDS
    assert len(latencies) >= 10
    # Two busy worker processes share two cores with this test and the server: wider margin.
    assert percentile(latencies, 95) < job / 2
    assert percentile(latencies, 50) < job / 8


@pytest.mark.anyio
async def test_event_stream_client_disconnect_is_handled() -> None:
    app = app_for("nap", RunnerKind.THREAD)
    with uvicorn_server(app) as base_url:
        async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
            job = (await client.post("/v1/reports", json=REPORT_BODY)).json()
            async with client.stream("GET", job["links"]["events"]) as stream:
                async for line in stream.aiter_lines():
                    if line.startswith("data:"):
                        break  # hang up after the first event
            # The server is still healthy and the job unaffected by the dropped stream.
            assert (await client.get("/healthz")).status_code == 200
            current = (await client.get(job["links"]["self"])).json()
            assert current["status"] in ("queued", "running")
            assert (await client.delete(job["links"]["self"])).status_code == 200
