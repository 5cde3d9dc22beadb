"""The live app against its own OpenAPI document: Schemathesis, every check, stateful phase.

The real app (template narrative, a temp SQLite store, API keys on) runs under uvicorn in its
own process; ``st run`` loads ``/openapi.json`` and runs the examples, coverage, fuzzing and
stateful phases with a bounded, deterministic number of examples. Per-operation allowances,
each with its reason, are in ``schemathesis.toml`` next to this file. For a longer run::

    CONFORMANCE_EXAMPLES=500 .venv/bin/pytest tests/interfaces/api/test_openapi_conformance.py
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.interfaces.api.harness import ROOT, uvicorn_process

CONFIG = Path(__file__).with_name("schemathesis.toml")
KEY = "conformance-key-0123456789"
# Enough to reach every operation and the links between them in about a minute on 2 cores.
EXAMPLES = int(os.environ.get("CONFORMANCE_EXAMPLES", "15"))

pytestmark = [pytest.mark.slow, pytest.mark.timeout(max(300, EXAMPLES * 20))]


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[str]:
    env = {
        "RISKREPORT_DATABASE_URL": f"sqlite:///{tmp_path / 'jobs.db'}",
        "RISKREPORT_NARRATIVE": "template",
        "RISKREPORT_API_KEYS": f"conformance={KEY}",
        # The run submits hundreds of reports from one key: the per-key limits (tested in
        # test_limits.py) would answer most of them 429 and leave their paths unexplored.
        "RISKREPORT_KEY_RATE_LIMIT": "100000",
        "RISKREPORT_KEY_QUEUE_LIMIT": "100000",
        "RISKREPORT_QUEUE_LIMIT": "100000",
    }
    log = tmp_path / "server.log"  # loop-lag warnings under load would drown the report
    server, base_url = uvicorn_process(
        "riskreport.interfaces.api.app:create_app_from_env", env, log=log
    )
    try:
        _wait_until_ready(base_url, server)
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)
        errors = [line for line in log.read_text().splitlines() if "Traceback" in line]
        assert not errors, f"the server logged tracebacks; see {log}"


def _wait_until_ready(base_url: str, server: subprocess.Popen[bytes]) -> None:
    with httpx.Client(base_url=base_url, timeout=2) as client:
        for _ in range(600):
            if server.poll() is not None:
                raise RuntimeError(f"the app exited with {server.returncode}")
            try:
                if client.get("/readyz").status_code == 200:
                    return
            except httpx.TransportError:
                pass  # not listening yet
            subprocess.run(["sleep", "0.1"], check=True)
    raise RuntimeError("the app did not become ready within 60 s")


def test_the_live_app_conforms_to_its_openapi_document(live_app: str) -> None:
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(CONFIG),
        "--no-color",
        "run",
        f"{live_app}/openapi.json",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        str(EXAMPLES),
        "--generation-deterministic",
        "--workers",
        "1",
        "--header",
        f"Authorization: Bearer {KEY}",
    ]
    hooks = {"SCHEMATHESIS_HOOKS": "tests.interfaces.api.conformance_hooks"}
    run = subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, **hooks},
        capture_output=True,
        text=True,
        check=False,
    )
    print(run.stdout[-4_000:])  # the summary, shown by `pytest -rP`
    assert run.returncode == 0, run.stdout[-20_000:] + run.stderr[-5_000:]
