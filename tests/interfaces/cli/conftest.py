"""CLI fixtures: a clean environment per test and one real server per module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from riskreport.interfaces.api.app import create_app
from tests.analysis.narrative.loopback_llm import Hang, LoopbackLlm
from tests.interfaces.cli.live_server import live_server, server_settings

SAMPLE = Path(__file__).resolve().parents[3] / "examples" / "buildings.csv"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No RISKREPORT_* variable and no .env from the developer's shell reach the commands."""
    for name in list(os.environ):
        if name.startswith("RISKREPORT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app (real report job, template narrative) with its own SQLite file.

    A report that asks for the LLM narrative waits on an LLM that never answers: a job that
    stays running until it is cancelled.
    """
    hang = Hang()
    with LoopbackLlm() as llm:
        llm.behave(hang)
        settings = server_settings(
            tmp_path_factory.mktemp("server"),
            llm_base_url=llm.base_url,
            llm_model="never-answers",
            llm_timeout=50.0,
        )
        try:
            with live_server(create_app(settings)) as url:
                yield url
        finally:
            hang.stop.set()
