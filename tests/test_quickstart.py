"""The README quick start, for real: ``riskreport serve`` starts, answers, reports, and stops.

Runs the installed console script (what ``make serve`` runs) as a child process on a free port
with a fresh SQLite file, in an empty working directory (no ``.env``), and stops it the way
people and service managers do (Ctrl-C, SIGTERM).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

STARTUP_SECONDS = 45.0


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def console_script() -> Path:
    script = Path(sys.executable).parent / "riskreport"
    assert script.exists(), f"{script} is missing: install the package (make install)"
    return script


def poll(client: httpx.Client, path: str, server: subprocess.Popen[str], within: float) -> None:
    end = time.monotonic() + within
    while time.monotonic() < end:
        assert server.poll() is None, f"the server exited early with {server.returncode}"
        try:
            if client.get(path).status_code == 200:
                return
        except httpx.TransportError:
            pass  # not listening yet
        time.sleep(0.1)
    pytest.fail(f"{path} did not answer 200 within {within} s")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[str], str]]:
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("RISKREPORT_")}
    env["RISKREPORT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'quickstart.db'}"
    process = subprocess.Popen(
        [str(console_script()), "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process, f"http://127.0.0.1:{port}"
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


@pytest.mark.slow
@pytest.mark.timeout(120)
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_answers_health_then_readiness_and_stops_cleanly(
    server: tuple[subprocess.Popen[str], str], stop: signal.Signals
) -> None:
    process, base_url = server
    with httpx.Client(base_url=base_url, timeout=30) as client:
        poll(client, "/healthz", process, STARTUP_SECONDS)
        assert client.get("/healthz").json() == {"status": "ok"}
        poll(client, "/readyz", process, STARTUP_SECONDS)
        if stop is signal.SIGINT:
            # The README's request, once: a report in the quick start's default setup.
            response = client.post(
                "/v1/reports",
                headers={"Prefer": "wait=30"},
                json={
                    "target_location": {"address": "서울특별시 중구 세종대로 110"},
                    "building_info": {
                        "structure": "reinforced_concrete",
                        "use": "office",
                        "floors_above": 12,
                    },
                    "language": "en",
                },
            )
            assert response.status_code == 200, response.text
            assert response.json()["status"] == "succeeded", response.text
    process.send_signal(stop)
    output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert "Application shutdown complete" in output
    assert "Traceback" not in output
