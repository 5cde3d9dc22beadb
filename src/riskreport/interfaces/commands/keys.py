"""``riskreport keys create|list|revoke``: API keys stored (hashed) in the job store's database.

Use::

    riskreport keys create acme      # prints the new key once; only its digest is stored
    riskreport keys list             # names, created, revoked
    riskreport keys revoke acme      # the key stops working at once

A server started without any key allows every call; the first key (here, or in
``RISKREPORT_API_KEYS``) switches keys on at its next start.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import anyio
import typer

from riskreport.bootstrap import MEMORY_URL, build_keys, build_store
from riskreport.engine.jobs import utcnow
from riskreport.engine.keys import ApiKey, KeyStore, check_name, key_digest, new_secret
from riskreport.interfaces.commands.environment import err_console, settings_or_exit
from riskreport.interfaces.commands.exit_codes import ExitCode

T = TypeVar("T")

keys_app = typer.Typer(help="Manage API keys (stored hashed in the job store's database).")

NameArg = Annotated[str, typer.Argument(help="The key's name: letters, digits, '.', '_', '-'.")]


def _with_keys(work: Callable[[KeyStore], Awaitable[T]]) -> T:
    console = err_console()
    settings = settings_or_exit(console)
    if settings.database_url == MEMORY_URL:
        console.print("[red]keys need a database: RISKREPORT_DATABASE_URL is memory://[/]")
        raise typer.Exit(ExitCode.BAD_INPUT)

    async def run() -> T:
        store = build_store(settings)
        await store.open()
        try:
            return await work(build_keys(store))
        finally:
            await store.close()

    return anyio.run(run)


@keys_app.command()
def create(name: NameArg) -> None:
    """Create a key and print it (the only time it is shown)."""
    try:
        check_name(name)
    except ValueError as exc:
        err_console().print(f"[red]{exc}[/]")
        raise typer.Exit(ExitCode.BAD_INPUT) from exc
    secret = new_secret()

    async def work(keys: KeyStore) -> None:
        await keys.create_key(name, key_digest(secret), at=utcnow())

    try:
        _with_keys(work)
    except ValueError as exc:
        err_console().print(f"[red]{exc}[/]")
        raise typer.Exit(ExitCode.BAD_INPUT) from exc
    err_console().print(f"key [bold]{name}[/] created; it is shown once, keep it safe:")
    typer.echo(secret)


@keys_app.command(name="list")
def list_keys() -> None:
    """List the keys: name, created, revoked (no secrets: only digests are stored)."""

    async def work(keys: KeyStore) -> list[ApiKey]:
        return await keys.list_keys()

    for key in _with_keys(work):
        revoked = key.revoked_at.isoformat(timespec="seconds") if key.revoked_at else "-"
        typer.echo(f"{key.name}\t{key.created_at.isoformat(timespec='seconds')}\t{revoked}")


@keys_app.command()
def revoke(name: NameArg) -> None:
    """Revoke a key; it stops working at once (jobs it submitted stay)."""

    async def work(keys: KeyStore) -> bool:
        return await keys.revoke_key(name, at=utcnow())

    if not _with_keys(work):
        err_console().print(f"[red]no active key named {name!r}[/]")
        raise typer.Exit(ExitCode.BAD_INPUT)
    err_console().print(f"key [bold]{name}[/] revoked")
