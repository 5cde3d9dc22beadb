"""The benchmarks' servers: a uvicorn child process on loopback, started, awaited and stopped.

Each benchmark runs its contenders as ``uvicorn --factory`` in a child process, so the load
client and the server do not share an event loop or a GIL; only the factory and its environment
differ between them.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def uvicorn_command(factory: str, port: int, *options: str) -> list[str]:
    """The command line of ``uvicorn --factory FACTORY`` on 127.0.0.1:``port`` (benchmarks and
    tests start their servers with it)."""
    return [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        factory,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
        *options,
    ]


def start_uvicorn(factory: str, port: int, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    """``uvicorn --factory FACTORY`` on 127.0.0.1:``port`` with ``env`` added to ours."""
    cmd = uvicorn_command(factory, port, "--no-access-log")
    return subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env})


def stop(server: subprocess.Popen[bytes]) -> None:
    """Ask for a graceful shutdown (SIGINT, as Ctrl-C); kill it if it takes over 30 s."""
    server.send_signal(signal.SIGINT)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


async def wait_until_ready(base: str, path: str, deadline: float = 60.0) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=2.0) as client:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            try:
                if (await client.get(path)).status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            await asyncio.sleep(0.1)
    raise RuntimeError(f"server at {base} not ready after {deadline} s")
