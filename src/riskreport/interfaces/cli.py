"""The ``riskreport`` command line (typer).

Use::

    riskreport serve                          # http://127.0.0.1:8000, settings from RISKREPORT_*
    riskreport serve --port 9000 --workers 4  # uvicorn's multi-process mode

Commands are registered on the module-level :data:`app`; add one with ``@app.command()``.
``main()`` is the console-script entry point. Like every entry point, this module is where the
environment is read (``Settings()``); nothing below it reads the environment.
"""

from __future__ import annotations

import copy
import logging
import os
import signal
from datetime import UTC, datetime
from types import FrameType
from typing import Annotated, Any

import anyio
import typer
import uvicorn
from uvicorn.config import LOGGING_CONFIG

from riskreport.bootstrap import MEMORY_URL, build_keys, build_store, recover_interrupted
from riskreport.interfaces.api import protocol
from riskreport.interfaces.commands import register
from riskreport.interfaces.commands.environment import err_console, settings_or_exit
from riskreport.interfaces.commands.maps import HazardMaps, use_hazard_maps
from riskreport.settings import BackendName, LogFormat, Settings

APP_FACTORY = "riskreport.interfaces.api.app:create_app_from_env"

app = typer.Typer(
    name="riskreport",
    help="Physical climate-risk reports for buildings.",
    no_args_is_help=True,
    add_completion=False,
)

log = logging.getLogger("riskreport.cli")


@app.callback()
def _root() -> None:
    """Physical climate-risk reports for buildings (Korea): serve the API, write reports."""


def log_config(level: str, log_format: LogFormat = LogFormat.TEXT) -> dict[str, Any]:
    """uvicorn's logging config plus the ``riskreport`` loggers; every line carries the request
    and job ids (``-`` where none applies), as text or as JSON objects."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["filters"] = {"context": {"()": "riskreport.engine.context.LogContextFilter"}}
    config["formatters"]["riskreport"] = {
        "()": "uvicorn.logging.DefaultFormatter",
        "fmt": "%(levelprefix)s %(name)s [request=%(request_id)s job=%(job_id)s] %(message)s",
    }
    # uvicorn logs each request's access line while the request's id is still set.
    config["formatters"]["access"]["fmt"] = (
        '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s '
        "[request=%(request_id)s]"
    )
    config["handlers"]["riskreport"] = {
        "formatter": "riskreport",
        "class": "logging.StreamHandler",
        "stream": "ext://sys.stderr",
        "filters": ["context"],
    }
    for handler in config["handlers"].values():
        handler["filters"] = ["context"]
    if log_format is LogFormat.JSON:
        config["formatters"]["json"] = {"()": "riskreport.monitoring.json_logs.JsonFormatter"}
        for handler in config["handlers"].values():
            handler["formatter"] = "json"
    config["loggers"]["riskreport"] = {
        "handlers": ["riskreport"],
        "level": level.upper(),
        "propagate": False,
    }
    return config


@app.command()
def serve(
    host: Annotated[
        str | None, typer.Option(help="Address to bind [default: RISKREPORT_HOST or 127.0.0.1]")
    ] = None,
    port: Annotated[
        int | None, typer.Option(help="Port to bind [default: RISKREPORT_PORT or 8000]")
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Server processes (uvicorn's multi-process mode).")
    ] = 1,
    reload: Annotated[bool, typer.Option(help="Restart on code changes (development).")] = False,
    hazard_maps: HazardMaps = None,
) -> None:
    """Serve the HTTP API with uvicorn until interrupted (Ctrl-C or SIGTERM)."""
    use_hazard_maps(hazard_maps)
    settings = settings_or_exit(err_console())
    _refuse_open_without_keys(settings, host or settings.host)
    if workers > 1 and settings.backend is not BackendName.CELERY:
        # (With Celery the store is shared already, and its jobs belong to the workers: no
        # process here may recover them.)
        _share_store(settings, workers)
    # uvicorn re-raises the stop signal once its graceful shutdown is over; by then everything
    # is closed, and a requested stop is a success: exit 0 rather than "killed by SIGTERM".
    signal.signal(signal.SIGTERM, _stopped)
    # Read by the HTTP protocol of every server process (uvicorn builds it, not us).
    os.environ[protocol.ENV] = str(settings.client_timeout)
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers if workers > 1 else None,
        reload=reload,
        log_level=settings.log_level.lower(),
        log_config=log_config(settings.log_level, settings.log_format),
        # Long polls (Prefer: wait) and event streams get the grace period to end before the
        # lifespan shutdown stops the engine (which gives running jobs the same grace).
        timeout_graceful_shutdown=max(1, round(settings.shutdown_grace)),
        # Deadlines and a size cap on request heads (uvicorn has neither).
        http=protocol.GuardedHttpToolsProtocol,
    )


LOOPBACK = ("127.0.0.1", "::1", "localhost")


def _refuse_open_without_keys(settings: Settings, host: str) -> None:
    """Exit unless a non-loopback address is protected by API keys or explicitly left open."""
    if host in LOOPBACK or host.startswith("127.") or settings.allow_open:
        return
    if settings.key_secrets():
        return
    if settings.database_url != MEMORY_URL and anyio.run(_store_has_keys, settings):
        return
    typer.echo(
        f"refusing to serve on {host} without API keys: anyone who can reach it could read "
        "and cancel every report. Create a key (riskreport keys create NAME) or set "
        "RISKREPORT_API_KEYS, or set RISKREPORT_ALLOW_OPEN=true to serve it open anyway.",
        err=True,
    )
    raise typer.Exit(code=2)


async def _store_has_keys(settings: Settings) -> bool:
    store = build_store(settings)
    await store.open()
    try:
        return await build_keys(store).has_keys()
    finally:
        await store.close()


@app.command()
def worker(
    concurrency: Annotated[
        int | None,
        typer.Option(min=1, help="Job processes [default: RISKREPORT_CONCURRENCY or 4]"),
    ] = None,
) -> None:
    """Run a Celery worker (RISKREPORT_BACKEND=celery): it takes jobs from
    RISKREPORT_BROKER_URL and records them in RISKREPORT_DATABASE_URL, until stopped."""
    from riskreport.bootstrap import celery_worker_app, run_celery_worker

    settings = settings_or_exit(err_console())
    try:
        celery = celery_worker_app(settings)
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(code=2) from None
    run_celery_worker(celery, settings, concurrency=concurrency or settings.concurrency)


db = typer.Typer(help="The job store's schema (Alembic migrations).", no_args_is_help=True)
app.add_typer(db, name="db")


@db.command("upgrade")
def db_upgrade() -> None:
    """Bring RISKREPORT_DATABASE_URL's schema to the newest revision (start-up does it too)."""
    from riskreport.bootstrap import migrate_store

    settings = settings_or_exit(err_console())
    revision = anyio.run(migrate_store, settings)
    typer.echo("the memory store has no schema" if revision is None else f"at revision {revision}")


def _share_store(settings: Settings, workers: int) -> None:
    """Prepare ``workers`` server processes that share one store.

    No single process may recover interrupted jobs at its start-up (it would requeue the jobs the
    others are running), so the parent does it once here, and the workers learn from the
    environment that the store is shared: they skip recovery, run the queued jobs created before
    this start, and re-read the store to see jobs that another process finishes.
    """
    if settings.database_url == MEMORY_URL:
        typer.echo(
            "--workers > 1 needs a shared store, not RISKREPORT_DATABASE_URL=memory://", err=True
        )
        raise typer.Exit(code=2)
    recovered_at = datetime.now(UTC)
    recovered = anyio.run(recover_interrupted, settings)
    if recovered.requeued or recovered.failed:
        typer.echo(
            f"returned {len(recovered.requeued)} interrupted job(s) to the queue, failed "
            f"{len(recovered.failed)} at the attempt limit",
            err=True,
        )
    os.environ["RISKREPORT_SHARED_STORE"] = "true"
    # Jobs still queued from before this start have no process; every worker offers to run
    # them and the store's compare-and-set lets exactly one of them do it.
    os.environ["RISKREPORT_ADOPT_QUEUED_BEFORE"] = recovered_at.isoformat()


def _stopped(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


# analyze, submit, status, watch, cancel, list, batch (riskreport.interfaces.commands).
register(app)


def main() -> None:
    """Console-script entry point (``riskreport``)."""
    app()
