"""CLI fixtures: a clean environment per test and one real server per module."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from riskreport.interfaces.api.app import create_app
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
    """The real app (real report job, template narrative) with its own SQLite file."""
    with live_server(create_app(server_settings(tmp_path_factory.mktemp("server")))) as url:
        yield url
