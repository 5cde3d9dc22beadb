"""The real app on a free loopback port (uvicorn in a thread) with a fresh SQLite file.

Use::

    with live_server(create_app(server_settings(tmp_path))) as base_url:
        httpx.get(f"{base_url}/readyz")

The server is ready (engine warmed up) when the block starts and stopped when it ends. Shared by
the CLI tests and the browser tests.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI

from riskreport.settings import Settings

READY_WITHIN = 60.0  # seconds; warm-up imports the analysis, charts and PDF libraries


def server_settings(folder: Path, **changes: Any) -> Settings:
    """Settings of a test server: SQLite in ``folder``, local backend, template narrative."""
    values: dict[str, Any] = {
        "database_url": f"sqlite:///{folder / 'jobs.db'}",
        "backend": "local",
        "concurrency": 2,
        "queue_limit": 10,
        "job_timeout": 60.0,
        "shutdown_grace": 1.0,
        "narrative": "template",
    }
    values.update(changes)
    return Settings(_env_file=None, **values)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def live_server(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` until the block ends; yields its base URL once ``/readyz`` says ready."""
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    # uvicorn installs signal handlers only in the main thread, so the test keeps Ctrl-C.
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + READY_WITHIN
        while True:
            if not thread.is_alive():
                raise RuntimeError(f"the test server on port {port} stopped during start-up")
            if server.started:
                try:
                    if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass  # not listening yet
            if time.monotonic() > deadline:
                raise RuntimeError(f"the test server was not ready within {READY_WITHIN:g} s")
            time.sleep(0.05)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=15)
