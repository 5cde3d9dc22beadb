"""compose.yaml and the Dockerfile agree with the code they start.

No Docker engine runs on CI machines, so the stack itself is not started here; what can go
wrong without one is checked instead: every setting the file sets exists and validates, every
command line parses with the CLI, the API would start on 0.0.0.0 with those settings (``serve``
refuses an open non-loopback address), and the image installs the extras the settings need.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

from riskreport.interfaces import cli
from riskreport.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "RISKREPORT_"


def _services() -> dict[str, dict[str, Any]]:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    services: dict[str, dict[str, Any]] = compose["services"]
    return {name: s for name, s in services.items() if s.get("build") == "."}


def _environment(service: dict[str, Any]) -> dict[str, str]:
    """The service's variables as compose hands them over, ``${VAR:-}`` left unset (empty)."""
    env = {str(k): str(v) for k, v in service["environment"].items()}
    return {k: re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", v) for k, v in env.items()}


def test_the_stack_runs_an_api_and_two_workers_of_this_image() -> None:
    commands = {name: s["command"][:2] for name, s in _services().items()}
    assert sorted(commands.values()).count(["riskreport", "worker"]) == 2
    assert ["riskreport", "serve"] in commands.values()


@pytest.mark.parametrize("name", sorted(_services()))
def test_every_setting_exists_and_validates(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    env = _environment(_services()[name])
    fields = {f.upper() for f in Settings.model_fields}
    unknown = sorted(k for k in env if k.startswith(PREFIX) and k[len(PREFIX) :] not in fields)
    assert not unknown, f"compose.yaml sets settings the service does not have: {unknown}"
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = Settings(_env_file=None)
    assert settings.backend.value == "celery"
    assert settings.database_url.startswith("postgresql://")
    settings.key_secrets()  # raises on a malformed key list


@pytest.mark.parametrize("name", sorted(_services()))
def test_every_command_line_parses(name: str) -> None:
    commands = typer.main.get_group(cli.app).commands
    _, subcommand, *args = _services()[name]["command"]
    assert subcommand in commands, f"{name}: riskreport has no command {subcommand!r}"
    commands[subcommand].make_context(subcommand, list(args))  # UsageError on a bad option


def test_the_api_may_listen_on_every_address_in_its_container(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (api,) = [s for s in _services().values() if s["command"][1] == "serve"]
    host = api["command"][api["command"].index("--host") + 1]
    for key, value in _environment(api).items():
        monkeypatch.setenv(key, value)
    cli._refuse_open_without_keys(Settings(_env_file=None), host)


def test_the_image_installs_the_extras_the_stack_needs() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    (extras,) = re.findall(r"pip install [^\n]*'\.\[([a-z,]+)\]'", dockerfile)
    assert {"postgres", "celery", "documents"} <= set(extras.split(","))
