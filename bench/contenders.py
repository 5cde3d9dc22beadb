"""The contenders of the concurrency benchmark: four servers of one slow synchronous job.

Each is a uvicorn app factory run in a child process (``app_from_env``; ``BENCH_MODE`` picks
the contender). See ``bench.concurrency`` for the measurement.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from fastapi import FastAPI

EXECUTOR_THREADS = 4
STARLETTE_THREADS = 40  # anyio's default thread limiter, which FastAPI `def` endpoints share
ENV_MODE, ENV_SECONDS, ENV_SLOTS, ENV_DB = (
    "BENCH_MODE",
    "BENCH_SECONDS",
    "BENCH_SLOTS",
    "BENCH_DATABASE_URL",
)

# A minimal valid report request; the stand-in job ignores it.
REPORT_BODY: Mapping[str, Any] = {
    "target_location": {"lat": 37.5665, "lon": 126.978},
    "building_info": {"structure": "reinforced_concrete", "use": "office"},
    "language": "en",
}


def blocking_io(seconds: float) -> dict[str, float]:
    """The stand-in job: waits on (simulated) blocking I/O."""
    time.sleep(seconds)
    return {"slept": seconds}


def standin_report(payload: Mapping[str, Any], ctx: Any) -> dict[str, float]:
    """Job function for mode (d), resolved by dotted path ``bench.contenders:standin_report``."""
    return blocking_io(float(os.environ.get(ENV_SECONDS, "0")))


def trivial_job(payload: Mapping[str, Any], ctx: Any) -> dict[str, int]:
    return {"ok": 1}


def trivial_call() -> dict[str, int]:
    return {"ok": 1}


# -- the servers ----------------------------------------------------------------------------


def naive_app(seconds: float) -> FastAPI:
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/run")
    async def run() -> dict[str, float]:
        return blocking_io(seconds)  # blocks the event loop: the bug being measured

    return app


def executor_app(seconds: float) -> FastAPI:
    app = FastAPI()
    pool = ThreadPoolExecutor(max_workers=EXECUTOR_THREADS)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/run")
    async def run() -> dict[str, float]:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(pool, blocking_io, seconds)

    return app


def def_app(seconds: float) -> FastAPI:
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/run")
    def run() -> dict[str, float]:
        return blocking_io(seconds)

    return app


def riskreport_app(seconds: float, slots: int, database_url: str) -> FastAPI:
    from riskreport.engine.spec import JobSpec, RunnerKind
    from riskreport.interfaces.api.app import create_app
    from riskreport.settings import Settings

    settings = Settings(
        _env_file=None,
        database_url=database_url,
        concurrency=slots,
        queue_limit=10_000,
        job_timeout=max(60.0, seconds * 10),
        log_level="warning",
    )
    spec = JobSpec(
        kind="report", function="bench.contenders:standin_report", runner=RunnerKind.THREAD
    )
    return create_app(settings, specs=[spec])


def app_from_env() -> FastAPI:
    """uvicorn factory of the child server: ``BENCH_MODE`` picks the contender."""
    mode, seconds = os.environ[ENV_MODE], float(os.environ[ENV_SECONDS])
    if mode == "naive":
        return naive_app(seconds)
    if mode == "executor":
        return executor_app(seconds)
    if mode == "def":
        return def_app(seconds)
    return riskreport_app(seconds, int(os.environ[ENV_SLOTS]), os.environ[ENV_DB])
