"""``riskreport analyze``: one report in this process, through the same engine as the server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from riskreport.interfaces.cli import app
from riskreport.interfaces.commands.exit_codes import ExitCode

pytestmark = pytest.mark.timeout(90)


def test_analyze_prints_a_summary_and_writes_every_format(
    runner: CliRunner, tmp_path: Path
) -> None:
    outs = [tmp_path / f"report.{ext}" for ext in ("json", "md", "html", "pdf")]
    result = runner.invoke(
        app,
        [
            "analyze",
            "--address",
            "부산광역시 해운대구",
            "--use",
            "commercial",
            "--scenario",
            "SSP5-8.5",
            "--horizon",
            "2050",
            "--lang",
            "en",
            *(arg for out in outs for arg in ("--out", str(out))),
        ],
    )
    assert result.exit_code == ExitCode.OK, result.output
    # The summary table: the grade line, the one scenario asked for, hazards and totals.
    assert "Grade " in result.stdout
    assert "SSP5-8.5: score (1–5) and expected annual loss per hazard" in result.stdout
    assert "SSP2-4.5" not in result.stdout
    assert "urban_flood" in result.stdout
    assert "Total expected annual loss" in result.stdout
    assert "Busan Haeundae-gu" in result.stdout
    # Progress and file notes go to stderr, so stdout stays the summary.
    assert "wrote" in result.stderr
    assert "wrote" not in result.stdout

    report = json.loads(outs[0].read_text(encoding="utf-8"))
    assert report["language"] == "en"
    assert report["location"]["matched"]["municipality_en"] == "Haeundae-gu"
    assert report["parameters"]["scenarios"] == ["SSP5-8.5"]
    assert report["narrative"]["writer"] == "template"
    assert outs[1].read_text(encoding="utf-8").lstrip().startswith("#")
    assert "<html" in outs[2].read_text(encoding="utf-8").lower()
    assert outs[3].read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--address", "부산광역시 해운대구", "--year-built", "1700"], "--year-built"),
        (["--lat", "37.5"], "give both lat and lon"),
        (["--address", "어딘가 없는 곳"], "--address"),
        (["--lat", "37.97", "--lon", "126.55"], "--lon (target_location.lon)"),
        (["--address", "부산광역시 해운대구", "--scenario", "SSP9"], "--scenario"),
        (["--address", "부산광역시 해운대구", "--out", "report.txt"], "unknown report format"),
    ],
)
def test_bad_input_exits_2_before_any_work(runner: CliRunner, args: list[str], says: str) -> None:
    result = runner.invoke(app, ["analyze", *args])
    assert result.exit_code == ExitCode.BAD_INPUT, result.output
    assert says in result.stderr
    assert result.stdout == ""


def test_a_request_file_is_the_base_and_options_override_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    body = {
        "target_location": {"lat": 35.16, "lon": 129.16},
        "building_info": {"year_built": 3000},  # invalid in the file ...
    }
    (tmp_path / "body.json").write_text(json.dumps(body), encoding="utf-8")
    result = runner.invoke(app, ["analyze", "--request", "body.json"])
    assert result.exit_code == ExitCode.BAD_INPUT
    assert "--year-built (building_info.year_built)" in result.stderr
    # ... fixed by an option; the location from the file is replaced by --address.
    result = runner.invoke(
        app,
        [
            "analyze",
            "--request",
            "body.json",
            "--year-built",
            "1999",
            "--address",
            "강원특별자치도 강릉시",
            "--hazard",
            "heat_wave",
            "--out",
            "r.json",
            "--quiet",
        ],
    )
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout == ""  # --quiet
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["location"]["input"] == {"address": "강원특별자치도 강릉시"}
    assert [h["hazard"] for h in report["hazards"]] == ["heat_wave"]


def test_a_job_that_runs_out_of_time_exits_1(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The same settings as the server: a tiny job timeout applies to analyze too.
    monkeypatch.setenv("RISKREPORT_JOB_TIMEOUT", "0.001")
    result = runner.invoke(
        app, ["analyze", "--address", "부산광역시 해운대구", "--out", "r.pdf", "--quiet"]
    )
    assert result.exit_code == ExitCode.JOB_FAILED, result.output
    assert "timed_out" in result.stderr
    assert not (tmp_path / "r.pdf").exists()
