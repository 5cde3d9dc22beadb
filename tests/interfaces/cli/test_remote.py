"""``submit | status | watch | cancel | list`` against a real server on a loopback port."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from riskreport.interfaces.cli import app
from riskreport.interfaces.commands.exit_codes import ExitCode
from tests.interfaces.cli.live_server import free_port

pytestmark = pytest.mark.timeout(90)

BUILDING = ["--address", "서울특별시 종로구 세종대로 175", "--use", "office", "--lang", "en"]


def test_submit_then_status_watch_list_and_cancel(
    runner: CliRunner, server: str, tmp_path: Path
) -> None:
    submitted = runner.invoke(app, ["submit", *BUILDING, "--server", server])
    assert submitted.exit_code == ExitCode.OK, submitted.output
    job_id = submitted.stdout.strip()  # stdout is the id alone, for scripts
    assert len(job_id) == 32
    assert f"riskreport watch {job_id}" in submitted.stderr

    watched = runner.invoke(app, ["watch", job_id, "--server", server, "--out", "report.pdf"])
    assert watched.exit_code == ExitCode.OK, watched.output
    assert "Grade " in watched.stdout
    assert "Seoul Jongno-gu" in watched.stdout
    assert (tmp_path / "report.pdf").read_bytes().startswith(b"%PDF")

    status = runner.invoke(app, ["status", job_id, "--server", server, "--json"])
    assert status.exit_code == ExitCode.OK, status.output
    job = json.loads(status.stdout)
    assert job["status"] == "succeeded"
    assert job["result"]["language"] == "en"

    listed = runner.invoke(app, ["list", "--server", server, "--status", "succeeded"])
    assert listed.exit_code == ExitCode.OK, listed.output
    assert job_id in listed.stdout

    # A finished job cannot be cancelled: the server says 409, the CLI says why and exits 2.
    cancelled = runner.invoke(app, ["cancel", job_id, "--server", server])
    assert cancelled.exit_code == ExitCode.BAD_INPUT
    assert "409 job_final" in cancelled.stderr


def test_submit_watch_follows_to_the_end(runner: CliRunner, server: str, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["submit", *BUILDING, "--server", server, "--watch", "--out", "r.json"]
    )
    assert result.exit_code == ExitCode.OK, result.output
    job_id = result.stdout.splitlines()[0].strip()
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["location"]["input"]["address"] == "서울특별시 종로구 세종대로 175"
    assert httpx.get(f"{server}/v1/reports/{job_id}").json()["status"] == "succeeded"


def test_a_cancelled_job_is_a_failure_for_status_and_watch(runner: CliRunner, server: str) -> None:
    # A report is done in a fraction of a second (documents render on request); one whose LLM
    # never answers runs until it is cancelled.
    body = {
        "target_location": {"address": "서울특별시 종로구 세종대로 175"},
        "analysis_params": {"narrative": "llm"},
    }
    submitted = httpx.post(f"{server}/v1/reports", json=body)
    assert submitted.status_code == 202, submitted.text
    job_id = submitted.json()["id"]
    cancelled = runner.invoke(app, ["cancel", job_id, "--server", server])
    assert cancelled.exit_code == ExitCode.OK, cancelled.output
    assert f"job {job_id} is cancelled" in cancelled.stderr

    status = runner.invoke(app, ["status", job_id, "--server", server])
    assert status.exit_code == ExitCode.JOB_FAILED
    assert "cancelled" in status.stdout
    watched = runner.invoke(app, ["watch", job_id, "--server", server])
    assert watched.exit_code == ExitCode.JOB_FAILED
    assert f"report {job_id} cancelled" in watched.stderr


def test_an_unknown_job_is_bad_input(runner: CliRunner, server: str) -> None:
    result = runner.invoke(app, ["status", "0" * 32, "--server", server])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "404 job_not_found" in result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["status", "abc"],
        ["watch", "abc"],
        ["cancel", "abc"],
        ["list"],
        ["submit", "--address", "서울특별시 중구"],
    ],
)
def test_no_server_is_exit_3(runner: CliRunner, command: list[str]) -> None:
    nobody = f"http://127.0.0.1:{free_port()}"
    result = runner.invoke(app, [*command, "--server", nobody])
    assert result.exit_code == ExitCode.UNREACHABLE, result.output
    assert f"cannot reach {nobody}" in result.stderr


def test_the_server_comes_from_the_settings(
    runner: CliRunner, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = server.rsplit(":", 1)[1]
    monkeypatch.setenv("RISKREPORT_PORT", port)  # the address `riskreport serve` would bind
    assert runner.invoke(app, ["list"]).exit_code == ExitCode.OK
    monkeypatch.setenv("RISKREPORT_SERVER", f"127.0.0.1:{free_port()}")  # beats the settings
    assert runner.invoke(app, ["list"]).exit_code == ExitCode.UNREACHABLE
