"""``riskreport batch``: validate everything first, run, journal, resume without repeating."""

from __future__ import annotations

import csv
import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from riskreport.interfaces.api.app import create_app
from riskreport.interfaces.cli import app
from riskreport.interfaces.commands.exit_codes import ExitCode
from riskreport.interfaces.commands.journal import JOURNAL_NAME
from tests.interfaces.cli.conftest import SAMPLE
from tests.interfaces.cli.live_server import live_server, server_settings

pytestmark = pytest.mark.timeout(120)

HEADER = "name,address,lat,lon,use,year_built,scenarios,horizons,language\n"
THREE = (
    HEADER
    + "해운대 상가,부산광역시 해운대구,,,commercial,2005,SSP5-8.5,2050,ko\n"
    + "인천 물류,,37.4563,126.6052,logistics,2016,SSP2-4.5,2030;2050,en\n"
    + "강릉 아파트,강원특별자치도 강릉시,,,residential,1995,,2050,ko\n"
)
BAD = (
    HEADER
    + "좋은 행,서울특별시 중구,,,office,1998,,,ko\n"
    + "나쁜 행 1,부산광역시 해운대구,,,office,1700,SSP9,,ko\n"
    + "나쁜 행 2,,37.5,,spaceship,,,1900,ko\n"
)


def journal_lines(out: Path) -> list[dict[str, Any]]:
    path = out / JOURNAL_NAME
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def summary(out: Path) -> list[dict[str, str]]:
    with (out / "summary.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_all_bad_rows_are_listed_and_none_is_processed(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text(BAD, encoding="utf-8")
    result = runner.invoke(app, ["batch", "b.csv", "--out", "out"])
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    err = result.stderr
    # Row numbers are spreadsheet rows (the header is row 1); each bad cell is named.
    for row, column in [("3", "year_built"), ("3", "scenarios"), ("4", "use"), ("4", "horizons")]:
        assert any(
            line.strip("│ ").startswith(row) and column in line for line in err.splitlines()
        ), (row, column, err)
    assert "target_location" in err  # row 4: lat without lon
    assert "2 row(s) of b.csv are invalid; no row was processed" in err
    assert not (tmp_path / "out").exists()


def test_check_validates_only(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["batch", str(SAMPLE), "--check", "--out", "out"])
    assert result.exit_code == ExitCode.OK, result.output
    assert "10 of 10 rows are valid" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_portfolio_on_a_server_and_a_rerun_that_repeats_nothing(
    runner: CliRunner, server: str, tmp_path: Path
) -> None:
    (tmp_path / "p.csv").write_text(THREE, encoding="utf-8")
    args = ["batch", "p.csv", "--out", "out", "--server", server, "-c", "2"]
    first = runner.invoke(app, args)
    assert first.exit_code == ExitCode.OK, first.output
    assert "3 succeeded, 0 failed, 0 already done (of 3)" in first.stderr
    out = tmp_path / "out"
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        ".journal.jsonl",
        "002-해운대-상가.json",
        "002-해운대-상가.md",
        "003-인천-물류.json",
        "003-인천-물류.md",
        "004-강릉-아파트.json",
        "004-강릉-아파트.md",
        "summary.csv",
    ]
    report = json.loads((out / "003-인천-물류.json").read_text(encoding="utf-8"))
    assert report["parameters"]["scenarios"] == ["SSP2-4.5"]
    rows = summary(out)
    assert [(r["row"], r["name"], r["status"]) for r in rows] == [
        ("2", "해운대 상가", "succeeded"),
        ("3", "인천 물류", "succeeded"),
        ("4", "강릉 아파트", "succeeded"),
    ]
    assert all(r["grade"] in "ABCDE" and r["grade"] for r in rows)
    assert rows[0]["eal_krw SSP5-8.5 2050"].isdigit()
    assert rows[1]["eal_krw SSP2-4.5 2030"].isdigit()

    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("00*")}
    second = runner.invoke(app, args)
    assert second.exit_code == ExitCode.OK, second.output
    assert "0 succeeded, 0 failed, 3 already done (of 3)" in second.stderr
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("00*")} == stamps
    assert len(journal_lines(out)) == 3  # nothing ran again


def test_skip_invalid_runs_the_good_rows(runner: CliRunner, server: str, tmp_path: Path) -> None:
    (tmp_path / "b.csv").write_text(BAD, encoding="utf-8")
    result = runner.invoke(
        app, ["batch", "b.csv", "--out", "out", "--server", server, "--skip-invalid", "-f", "json"]
    )
    assert result.exit_code == ExitCode.OK, result.output
    assert "skipping 2 invalid row(s)" in result.stderr
    rows = summary(tmp_path / "out")
    assert [(r["row"], r["status"]) for r in rows] == [
        ("2", "succeeded"),
        ("3", "invalid"),
        ("4", "invalid"),
    ]
    assert "year_built" in rows[1]["error"]


def test_a_full_server_is_waited_out_not_failed(
    runner: CliRunner, tmp_path_factory: pytest.TempPathFactory, tmp_path: Path
) -> None:
    # One slot and no queue: with two rows in flight the server answers 429 to one of them,
    # and the batch waits the Retry-After it is given instead of failing the row.
    settings = server_settings(tmp_path_factory.mktemp("full"), concurrency=1, queue_limit=0)
    (tmp_path / "p.csv").write_text("".join(THREE.splitlines(keepends=True)[:3]), encoding="utf-8")
    with live_server(create_app(settings)) as url:
        result = runner.invoke(
            app, ["batch", "p.csv", "--out", "out", "--server", url, "-c", "2", "-f", "json"]
        )
        assert result.exit_code == ExitCode.OK, result.output
    assert "2 succeeded, 0 failed" in result.stderr
    # The wait is said, so the person knows why nothing moves (and the test knows it waited).
    assert re.search(r"the service is busy; retrying in \d+ s", result.stderr), result.stderr


def test_failed_rows_are_reported_and_run_again(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "p.csv").write_text(
        HEADER + "짧은,부산광역시 해운대구,,,,,,,ko\n", encoding="utf-8"
    )
    # Far below the report's own compute time (milliseconds), so the job always runs out.
    monkeypatch.setenv("RISKREPORT_JOB_TIMEOUT", "0.001")
    failed = runner.invoke(app, ["batch", "p.csv", "--out", "out", "-q"])
    assert failed.exit_code == ExitCode.JOB_FAILED, failed.output
    assert summary(tmp_path / "out")[0]["status"] == "timed_out"

    monkeypatch.delenv("RISKREPORT_JOB_TIMEOUT")
    again = runner.invoke(app, ["batch", "p.csv", "--out", "out", "-q", "-f", "json"])
    assert again.exit_code == ExitCode.OK, again.output
    assert summary(tmp_path / "out")[0]["status"] == "succeeded"
    assert [line["status"] for line in journal_lines(tmp_path / "out")] == [
        "timed_out",
        "succeeded",
    ]


def test_unknown_formats_and_unreachable_servers(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(THREE, encoding="utf-8")
    result = runner.invoke(app, ["batch", "p.csv", "-f", "docx"])
    assert result.exit_code == ExitCode.BAD_INPUT
    result = runner.invoke(app, ["batch", "p.csv", "--out", "out", "--server", "127.0.0.1:9"])
    assert result.exit_code == ExitCode.UNREACHABLE, result.output
    assert "rerun to resume" in result.stderr
    assert {r["status"] for r in summary(tmp_path / "out")} == {"pending"}


@pytest.mark.slow
def test_ctrl_c_keeps_finished_rows_and_a_rerun_resumes(tmp_path: Path) -> None:
    """The issue's acceptance test: interrupt the sample batch, rerun, no finished row repeats.

    The CLI runs in a child process (a real SIGINT, a real exit code); PDF documents make each
    row take a couple of seconds, so the interrupt lands while rows remain.
    """
    out = tmp_path / "results"
    command = [
        sys.executable,
        "-c",
        "from riskreport.interfaces.cli import main; main()",
        "batch",
        str(SAMPLE),
        "--out",
        str(out),
        "-c",
        "1",
        "-f",
        "pdf",
    ]
    child = subprocess.Popen(
        command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        deadline = time.monotonic() + 60
        while len(journal_lines(out)) < 1:
            assert child.poll() is None, child.communicate()[0]
            assert time.monotonic() < deadline, "no row finished within 60 s"
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        output, _ = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == ExitCode.INTERRUPTED, output
    assert "run the same command again to resume" in output
    first = journal_lines(out)
    done = {line["row"] for line in first if line["status"] == "succeeded"}
    assert 1 <= len(done) < 10, first
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.pdf")}
    assert len(stamps) == len(done)  # one report per finished row, none half-written
    assert not list(out.glob(".*.tmp"))
    statuses = {r["row"]: r["status"] for r in summary(out)}
    assert sum(s == "succeeded" for s in statuses.values()) == len(done)
    assert sum(s == "pending" for s in statuses.values()) == 10 - len(done)

    # Resume, in this process; two at a time.
    rerun = CliRunner().invoke(
        app, ["batch", str(SAMPLE), "--out", str(out), "-f", "pdf", "-c", "2"]
    )
    assert rerun.exit_code == ExitCode.OK, rerun.output
    assert f"{10 - len(done)} succeeded, 0 failed, {len(done)} already done (of 10)" in (
        rerun.stderr
    )
    lines = journal_lines(out)
    rows = [line["row"] for line in lines]
    assert sorted(rows) == list(range(2, 12))  # every row exactly once: none repeated
    for name, stamp in stamps.items():
        assert (out / name).stat().st_mtime_ns == stamp  # finished reports untouched
    assert {r["status"] for r in summary(out)} == {"succeeded"}
