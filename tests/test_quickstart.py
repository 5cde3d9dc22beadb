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
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Server:
    process: subprocess.Popen[str]
    base_url: str
    log: Path


def start_server(directory: Path) -> Server:
    """``riskreport serve`` on a free port, in ``directory``, with a fresh SQLite file there.

    Its output goes to a file (a pipe nobody reads could fill up and stall the server).
    """
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("RISKREPORT_")}
    env["RISKREPORT_DATABASE_URL"] = f"sqlite:///{directory / 'quickstart.db'}"
    log = directory / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(console_script()), "serve", "--host", "127.0.0.1", "--port", str(port)],
            cwd=directory,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    return Server(process, f"http://127.0.0.1:{port}", log)


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[dict[str, Server]]:
    # Two servers start side by side (start-up is mostly imports): one is stopped with Ctrl-C
    # (SIGINT), the other as a service manager stops it (SIGTERM).
    started: dict[str, Server] = {}
    try:
        for name in ("SIGINT", "SIGTERM"):
            (tmp_path / name).mkdir()
            started[name] = start_server(tmp_path / name)
        yield started
    finally:
        for server in started.values():
            if server.process.poll() is None:
                server.process.kill()
                server.process.wait(timeout=10)


README_REQUEST = {
    "target_location": {"address": "서울특별시 중구 세종대로 110"},
    "building_info": {"structure": "reinforced_concrete", "use": "office", "floors_above": 12},
    "language": "en",
}


@pytest.mark.slow
@pytest.mark.timeout(150)
def test_serve_answers_health_then_readiness_and_stops_cleanly(
    servers: dict[str, Server],
) -> None:
    for name, server in servers.items():
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            poll(client, "/healthz", server.process, STARTUP_SECONDS)
            assert client.get("/healthz").json() == {"status": "ok"}
            poll(client, "/readyz", server.process, STARTUP_SECONDS)
            if name == "SIGINT":
                # The README's request, once: a report in the quick start's default setup.
                response = client.post(
                    "/v1/reports", headers={"Prefer": "wait=30"}, json=README_REQUEST
                )
                assert response.status_code == 200, response.text
                assert response.json()["status"] == "succeeded", response.text
    for name, server in servers.items():
        server.process.send_signal(getattr(signal, name))
    for name, server in servers.items():
        server.process.wait(timeout=30)
        output = server.log.read_text()
        assert server.process.returncode == 0, f"{name}:\n{output}"
        assert "Application shutdown complete" in output, f"{name}:\n{output}"
        assert "Traceback" not in output, f"{name}:\n{output}"


ROOT = Path(__file__).resolve().parents[1]


def test_env_example_lists_every_setting_with_its_default() -> None:
    from riskreport.settings import Settings

    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    listed: dict[str, str | None] = {}
    for line in lines:
        text = line.removeprefix("# ").strip()
        if text.startswith("RISKREPORT_") and "=" in text:
            name, _, value = text.partition("=")
            listed[name.removeprefix("RISKREPORT_").lower()] = value or None
    assert set(listed) == set(Settings.model_fields)
    for name, field in Settings.model_fields.items():
        default = field.default
        if default is None:
            assert listed[name] is None, name
        else:
            assert listed[name] is not None, name
            # Parse the text as the settings do ("false" is False, "html,md,pdf" a tuple).
            parsed = getattr(Settings.model_validate({name: listed[name]}), name)
            assert parsed == default, name


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("RISKREPORT_NARRATIVE", "llm", "RISKREPORT_LLM_BASE_URL"),  # LLM without an endpoint
        ("RISKREPORT_CONCURRENCY", "0", "input_value='0'"),  # pydantic's [details] kept whole
        ("RISKREPORT_DATABASE_URL", "mysql://u@h/db", "postgresql://"),
        ("RISKREPORT_DATABASE_URL", "sqlite://", "memory://"),
        ("RISKREPORT_DATABASE_URL", "not a url", "RISKREPORT_DATABASE_URL"),
    ],
)
def test_serve_refuses_invalid_settings_with_a_readable_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str, value: str, said: str
) -> None:
    from typer.testing import CliRunner

    from riskreport.interfaces.cli import app

    monkeypatch.chdir(tmp_path)  # no .env
    monkeypatch.setenv(variable, value)
    result = CliRunner().invoke(app, ["serve", "--port", str(free_port())])
    assert result.exit_code == 2
    assert "invalid settings" in result.output
    assert said in " ".join(result.output.split())  # rich wraps long lines
    assert "Traceback" not in result.output
