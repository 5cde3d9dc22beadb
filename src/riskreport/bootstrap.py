"""The composition root: build, start and close the store, the backend and the engine.

Only here do the layers meet: the analysis's report job is bound to the engine's ``report`` kind,
the store and backend implementations are chosen from the settings. Everything else receives
the finished :class:`Services`.

Use::

    async with open_services(settings) as services:
        job = await services.engine.submit("report", payload)

Start-up runs in the background: the store opens and the engine starts admitting at once, while
the runners warm up (heavy imports, packaged data, clients) off the event loop. ``ready`` says
when warm-up is done (``/readyz``). On exit the engine stops admitting, gives running jobs the
grace period, cancels and records the rest, and the store closes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio
import anyio.to_thread

from riskreport.engine.backend import Backend
from riskreport.engine.engine import Engine, recover_unfinished
from riskreport.engine.spec import Initializer, JobSpec, RunnerKind
from riskreport.engine.store import JobStore
from riskreport.settings import BackendName, Settings

if TYPE_CHECKING:
    from celery import Celery

    from riskreport.engine.backends.celery.app import CeleryConfig

log = logging.getLogger("riskreport.bootstrap")

REPORT_KIND = "report"
REPORT_FUNCTION = "riskreport.analysis.job:run_report"
REPORT_PREPARE = "riskreport.analysis.job:prepare"
MEMORY_URL = "memory://"


@dataclass
class StartUp:
    """The background start-up of the engine: done, and why it failed if it did."""

    task: asyncio.Task[None] | None = None
    error: BaseException | None = None

    @property
    def failure(self) -> str | None:
        """Why start-up failed, for people (``/readyz``): the innermost errors, not the group."""
        if self.error is None:
            return None
        return "; ".join(f"{type(e).__name__}: {e}" for e in _leaves(self.error))


def _leaves(error: BaseException) -> list[BaseException]:
    if isinstance(error, BaseExceptionGroup):
        return [leaf for sub in error.exceptions for leaf in _leaves(sub)]
    return [error]


@dataclass(frozen=True)
class Services:
    """What the interfaces use: the engine (jobs) and the store (counts for metrics)."""

    settings: Settings
    store: JobStore
    engine: Engine
    startup: StartUp

    @property
    def ready(self) -> bool:
        """Warm-up done and admitting; false again once shutdown begins."""
        return self.engine.ready


def report_specs(settings: Settings) -> list[JobSpec]:
    """The production job specs: ``report`` runs the analysis's report job."""
    return [JobSpec(REPORT_KIND, REPORT_FUNCTION, RunnerKind(settings.runner.value))]


def report_initializer(settings: Settings) -> Initializer:
    """Warm-up of every runner: the report job's ``prepare`` with the analysis configuration."""
    # Imported here, not at module level: the analysis configuration is only needed by the
    # production composition, and tests that swap the specs need not import the analysis.
    from riskreport.analysis.config import AnalysisConfig

    config = AnalysisConfig(
        narrative=settings.narrative.value,
        llm_base_url=settings.llm_base_url,
        llm_model=settings.llm_model,
        llm_api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else None,
        llm_timeout=settings.llm_timeout,
        documents=tuple(name.value for name in settings.documents),
    )
    return Initializer(REPORT_PREPARE, (config,))


def check_settings(settings: Settings) -> None:
    """Raise ``ValueError`` for settings that parse but cannot work: a database URL that no
    store takes, or the Celery backend on a store its workers cannot share. Entry points call it
    first, to say so in one line instead of a traceback."""
    if settings.backend is BackendName.CELERY and settings.database_url == MEMORY_URL:
        raise ValueError(
            "RISKREPORT_BACKEND=celery needs a store the workers share "
            "(RISKREPORT_DATABASE_URL=postgresql://... or sqlite:///file), not memory://"
        )
    if settings.database_url != MEMORY_URL:
        from riskreport.storage.database_url import store_url

        try:
            store_url(settings.database_url)
        except Exception as exc:  # make_url's ArgumentError too: any unreadable URL
            raise ValueError(f"RISKREPORT_DATABASE_URL: {exc}") from exc


def build_store(settings: Settings) -> JobStore:
    """``memory://`` is the in-memory store; any other URL is a SQL store (SQLite, PostgreSQL)."""
    if settings.database_url == MEMORY_URL:
        from riskreport.storage.memory import MemoryJobStore

        return MemoryJobStore()
    from riskreport.storage.sql import SqlJobStore

    return SqlJobStore(settings.database_url)


async def migrate_store(settings: Settings) -> str | None:
    """Bring a SQL store's schema up to date (Alembic), off the loop; the revision, or None for
    the memory store. Every API process and Celery worker does it at start-up."""
    if settings.database_url == MEMORY_URL:
        return None
    from riskreport.storage.migrate import upgrade

    return await anyio.to_thread.run_sync(upgrade, settings.database_url)


def build_backend(settings: Settings, initializer: Initializer | None) -> Backend:
    if settings.backend is BackendName.INLINE:
        from riskreport.engine.backends.inline import InlineBackend

        return InlineBackend(initializer=initializer)
    if settings.backend is BackendName.LOCAL:
        from riskreport.engine.backends.local import LocalBackend

        return LocalBackend(
            concurrency=settings.concurrency,
            initializer=initializer,
            shared_store=settings.shared_store,
            store_poll_interval=settings.store_poll_interval,
        )
    from riskreport.engine.backends.celery.backend import CeleryBackend

    return CeleryBackend(
        celery_config(settings),
        capacity=settings.concurrency,
        poll_interval=settings.store_poll_interval,
    )


def celery_config(settings: Settings) -> CeleryConfig:
    from riskreport.engine.backends.celery.app import CeleryConfig

    return CeleryConfig(
        broker_url=settings.broker_url,
        job_timeout=settings.job_timeout,
        queue=settings.celery_queue,
    )


def celery_worker_app(
    settings: Settings,
    *,
    specs: Sequence[JobSpec] | None = None,
    initializer: Initializer | None = None,
) -> Celery:
    """The Celery application of ``riskreport worker``: the generic task, the store of the
    settings (each worker process opens its own), the production specs and warm-up unless
    ``specs`` (and ``initializer``) replace them, as in :func:`open_services`."""
    from riskreport.engine.backends.celery.app import celery_app
    from riskreport.engine.backends.celery.runtime import WorkerSetup
    from riskreport.engine.backends.celery.worker import install

    if settings.database_url == MEMORY_URL:
        raise ValueError(
            "Celery workers need a shared store, not RISKREPORT_DATABASE_URL=memory://"
        )
    if specs is None:
        specs = report_specs(settings)
        if initializer is None:
            initializer = report_initializer(settings)
    anyio.run(migrate_store, settings)
    config = celery_config(settings)
    app = celery_app(config)
    install(
        app,
        WorkerSetup(
            store_factory=lambda: build_store(settings),
            specs=specs,
            bus_url=config.broker_url,
            bus_channel=config.events_channel,
            initializer=initializer,
            max_attempts=settings.max_attempts,
        ),
    )
    return app


def run_celery_worker(app: Celery, settings: Settings, *, concurrency: int) -> None:
    """Run a worker of ``app`` (from :func:`celery_worker_app`) in this process until stopped."""
    from riskreport.engine.backends.celery.worker import run_worker

    run_worker(
        app, concurrency=concurrency, queue=settings.celery_queue, log_level=settings.log_level
    )


async def recover_interrupted(settings: Settings) -> list[str]:
    """Mark jobs that a dead process left unfinished as interrupted; return their ids.

    ``serve --workers N`` calls this once before its worker processes start, because none of
    them may do it alone: each would fail the jobs the others are running.
    """
    await migrate_store(settings)  # once, here: the workers then find the schema current
    store = build_store(settings)
    await store.open()
    try:
        return await recover_unfinished(store)
    finally:
        await store.close()


async def _start(engine: Engine, startup: StartUp) -> None:
    try:
        await engine.start()
    except Exception as exc:
        # The service stays up and says why in /readyz; the log has the traceback.
        startup.error = exc
        log.exception("start-up failed; the service will not become ready")


async def _until_admitting(engine: Engine, task: asyncio.Task[None]) -> None:
    """Wait for recovery (one store update) and the opening of admission, not for warm-up.

    Then the first request after start-up is admitted (it waits in the queue for the warm-up)
    instead of being refused as "not started".
    """
    while True:
        if engine.admitting or task.done():
            return
        await asyncio.sleep(0.002)


@asynccontextmanager
async def open_services(
    settings: Settings,
    *,
    specs: Sequence[JobSpec] | None = None,
    initializer: Initializer | None = None,
) -> AsyncIterator[Services]:
    """Open the store, build and start the engine in the background; close all on exit.

    ``specs`` (with an optional warm-up ``initializer``) replaces the production specs and
    warm-up: tests and benchmarks run stand-in jobs through the same engine, store and backend.
    An ``initializer`` without ``specs`` warms up the production report job instead of its own
    warm-up.
    """
    if specs is None:
        specs = report_specs(settings)
        if initializer is None:
            initializer = report_initializer(settings)
    await migrate_store(settings)
    store = build_store(settings)
    await store.open()
    try:
        engine = Engine(
            store,
            build_backend(settings, initializer),
            specs,
            queue_limit=settings.queue_limit,
            job_timeout=settings.job_timeout,
            shutdown_grace=settings.shutdown_grace,
        )
        startup = StartUp()
        startup.task = asyncio.create_task(_start(engine, startup), name="riskreport-start-up")
        await _until_admitting(engine, startup.task)
        try:
            yield Services(settings=settings, store=store, engine=engine, startup=startup)
        finally:
            if not startup.task.done():
                # Shut down while warming up: stop waiting for it.
                startup.task.cancel()
            await asyncio.gather(startup.task, return_exceptions=True)
            await engine.shutdown()
    finally:
        await store.close()
