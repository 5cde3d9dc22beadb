"""What the commands take from the environment: the settings and the server's URL.

The CLI is an entry point, so it is one of the few places that read ``RISKREPORT_*``; every
command reads the same settings as the server (``riskreport serve``). Remote commands talk to
``--server``, else ``RISKREPORT_SERVER``, else the address ``riskreport serve`` would bind.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from riskreport.bootstrap import check_settings
from riskreport.interfaces.commands.exit_codes import ExitCode
from riskreport.settings import Settings

Server = Annotated[
    str | None,
    typer.Option(
        "--server",
        "-s",
        envvar="RISKREPORT_SERVER",
        help="Base URL of a running riskreport server "
        "(default: http://RISKREPORT_HOST:RISKREPORT_PORT).",
        show_default=False,
    ),
]


def settings_or_exit(console: Console) -> Settings:
    """``Settings()`` from the environment, or a readable message and exit code 2."""
    try:
        settings = Settings()
        check_settings(settings)
    except (ValidationError, ValueError) as exc:
        # escape: pydantic's messages hold [brackets] that rich would take for markup
        console.print(
            f"[red]invalid settings (RISKREPORT_* variables or .env):[/]\n{escape(str(exc))}"
        )
        raise typer.Exit(ExitCode.BAD_INPUT) from exc
    return settings


def server_url(option: str | None, console: Console) -> str:
    """The server to talk to (see the module docstring)."""
    if option:
        url = option if "://" in option else f"http://{option}"
        return url.rstrip("/")
    settings = settings_or_exit(console)
    host = "127.0.0.1" if settings.host in ("0.0.0.0", "::", "") else settings.host
    return f"http://{host}:{settings.port}"


def client_api_key() -> str | None:
    """The key the client commands send: ``RISKREPORT_API_KEY`` (a client setting; the server
    reads its keys from ``RISKREPORT_API_KEYS`` and its database)."""
    return os.environ.get("RISKREPORT_API_KEY") or None


def err_console() -> Console:
    """Messages and progress go to stderr, so stdout carries only results (ids, tables, JSON)."""
    return Console(stderr=True)
