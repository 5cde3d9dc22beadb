"""Running the real app in tests: in-process (ASGI) or on a loopback port (uvicorn thread).

Use::

    async with asgi_client(create_app(settings, specs=specs)) as client:
        response = await client.post("/v1/reports", json=REPORT_BODY)

    with uvicorn_server(app) as base_url:
        async with httpx.AsyncClient(base_url=base_url) as client: ...

    server, base_url = uvicorn_process(FACTORY, {"RISKREPORT_DATABASE_URL": url})  # killable
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import anyio
import httpx
import uvicorn
from bench.servers import uvicorn_command
from fastapi import FastAPI

from riskreport.engine.spec import Initializer, JobSpec, RunnerKind
from riskreport.interfaces.api.app import create_app
from riskreport.settings import Settings
from tests.interfaces.api import standin_jobs

# The README's example: a valid report request.
REPORT_BODY: dict[str, Any] = {
    "target_location": {"address": "서울특별시 중구 세종대로 110"},
    "building_info": {"structure": "reinforced_concrete", "use": "office", "floors_above": 12},
    "language": "en",
}


def settings(**changes: Any) -> Settings:
    """Test settings: memory store, local backend, small limits; no ``.env`` file."""
    values: dict[str, Any] = {
        "database_url": "memory://",
        "backend": "local",
        "concurrency": 2,
        "queue_limit": 10,
        "job_timeout": 10.0,
        "shutdown_grace": 1.0,
    }
    values.update(changes)
    return Settings(_env_file=None, **values)


def spec(function: str, runner: RunnerKind = RunnerKind.THREAD) -> list[JobSpec]:
    """The ``report`` kind bound to a stand-in function of ``standin_jobs``."""
    return [JobSpec("report", standin_jobs.path(function), runner)]


def app_for(
    function: str,
    runner: RunnerKind = RunnerKind.THREAD,
    initializer: Initializer | None = None,
    **changes: Any,
) -> FastAPI:
    return create_app(settings(**changes), specs=spec(function, runner), initializer=initializer)


async def eventually(
    check: Callable[[], Awaitable[bool]], *, within: float = 10.0, every: float = 0.02
) -> None:
    """Poll ``check`` until it is true; fail the test after ``within`` seconds."""
    with anyio.fail_after(within):
        while True:
            if await check():
                return
            await anyio.sleep(every)


async def is_ready(client: httpx.AsyncClient) -> bool:
    try:
        return (await client.get("/readyz")).status_code == 200
    except httpx.TransportError:
        return False  # a server process that is not listening yet


async def wait_ready(client: httpx.AsyncClient, *, within: float = 20.0) -> None:
    await eventually(lambda: is_ready(client), within=within)


@asynccontextmanager
async def two_ready_clients(
    first: str, second: str, *, within: float = 60.0
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Clients of two server processes (base URLs), once both answer ``/readyz``."""
    async with (
        httpx.AsyncClient(base_url=first, timeout=10) as one,
        httpx.AsyncClient(base_url=second, timeout=10) as other,
    ):
        await wait_ready(one, within=within)
        await wait_ready(other, within=within)
        yield one, other


def stop_servers(processes: Sequence[subprocess.Popen[bytes]], *, within: float = 15.0) -> None:
    """SIGTERM every server process at once, then wait for each; kill one that outlives
    ``within`` seconds."""
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(within)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@asynccontextmanager
async def asgi_client(app: FastAPI, *, ready: bool = True) -> AsyncIterator[httpx.AsyncClient]:
    """The app with its lifespan running, behind an in-process transport."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            if ready:
                await wait_ready(client)
            yield client


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def uvicorn_server(app: FastAPI, *, timeout: float = 20.0) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port, in a thread; yield its base URL."""
    config = uvicorn.Config(
        app, host="127.0.0.1", port=free_port(), log_level="warning", access_log=False
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="test-uvicorn", daemon=True)
    thread.start()
    end = time.monotonic() + timeout
    while not server.started:
        if not thread.is_alive() or time.monotonic() > end:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout)


ROOT = Path(__file__).resolve().parents[3]
# The stand-in server of ``standin_server``, configured by its RISKREPORT_TEST_* variables.
STANDIN_FACTORY = "tests.interfaces.api.standin_server:create_from_env"


def uvicorn_process(
    factory: str,
    env: Mapping[str, str],
    *,
    port: int | None = None,
    grace: float | None = None,
    log: Path | None = None,
    workers: int = 1,
) -> tuple[subprocess.Popen[bytes], str]:
    """Start ``uvicorn --factory factory`` in its own process (one that a test may kill), with
    ``env`` over this process's environment; return the process and its base URL. With
    ``log``, the server's output goes to that file instead of the test's; ``workers`` > 1
    starts uvicorn's multi-process mode."""
    port = port or free_port()
    options = [] if grace is None else ["--timeout-graceful-shutdown", str(int(grace))]
    if workers > 1:
        options += ["--workers", str(workers)]
    command = uvicorn_command(factory, port, *options)
    if log is None:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    else:
        with log.open("wb") as output:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env={**os.environ, **env},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
    return process, f"http://127.0.0.1:{port}"


def percentile(values: Sequence[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]
