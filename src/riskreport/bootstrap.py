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
import os
import secrets
import socket
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import anyio.to_thread

from riskreport.engine.backend import Backend
from riskreport.engine.engine import Engine
from riskreport.engine.events.shared import ChangeBus
from riskreport.engine.jobs import Recovered
from riskreport.engine.keys import KeyStore, key_digest
from riskreport.engine.recovery import Lease, recover_unfinished
from riskreport.engine.retention import Retention
from riskreport.engine.runners.warmup import freeze_warm_heap
from riskreport.engine.spec import Initializer, JobSpec, RunnerKind
from riskreport.engine.store import BlockingJobStore, JobStore
from riskreport.settings import BackendName, Settings

if TYPE_CHECKING:
    from celery import Celery

    from riskreport.engine.backends.celery.app import CeleryConfig

log = logging.getLogger("riskreport.bootstrap")

REPORT_KIND = "report"
REPORT_FUNCTION = "riskreport.analysis.job:run_report"
REPORT_PREPARE = "riskreport.analysis.job:prepare"
DOCUMENT_KIND = "report.document"
DOCUMENT_FUNCTION = "riskreport.analysis.job:render_document"
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
class Access:
    """Who may use the API: keys from the settings (by digest) and from the store.

    ``required`` is decided at start-up: keys in the settings, or any active key in the store.
    """

    keys: KeyStore
    configured: Mapping[str, str]  # digest -> name, from RISKREPORT_API_KEYS
    required: bool

    async def owner_of(self, secret: str) -> str | None:
        """The name of the key ``secret`` belongs to, or None."""
        digest = key_digest(secret)
        return self.configured.get(digest) or await self.keys.owner_of(digest)


@dataclass(frozen=True)
class Services:
    """What the interfaces use: the engine (jobs), the store (counts for metrics), access."""

    settings: Settings
    store: JobStore
    engine: Engine
    startup: StartUp
    access: Access

    @property
    def ready(self) -> bool:
        """Warm-up done (the runners' and this process's) and admitting; false again once
        shutdown begins."""
        task = self.startup.task
        return self.engine.ready and task is not None and task.done() and self.startup.error is None


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
        # The Celery workers render a report's documents with it: the API processes have no
        # runner of their own to render them on request.
        eager_documents=settings.documents_eager or settings.backend is BackendName.CELERY,
        hazard_maps=str(settings.hazard_maps) if settings.hazard_maps else None,
    )
    return Initializer(REPORT_PREPARE, (config,))


def report_renderers(settings: Settings) -> dict[str, JobSpec]:
    """Documents of a finished report render on request in the report's runner (on Celery the
    workers render them with the report instead, see ``report_initializer``)."""
    if not settings.documents or settings.backend is BackendName.CELERY:
        return {}
    return {
        REPORT_KIND: JobSpec(DOCUMENT_KIND, DOCUMENT_FUNCTION, RunnerKind(settings.runner.value))
    }


def check_settings(settings: Settings) -> None:
    """Raise ``ValueError`` for settings that parse but cannot work: a database URL that no
    store takes, API keys that are not name=secret pairs, or the Celery backend on a store its
    workers cannot share. Entry points call it first, to say so in one line instead of a
    traceback."""
    settings.key_secrets()
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
    if settings.hazard_maps is not None:
        check_hazard_maps(settings.hazard_maps)


def check_hazard_maps(folder: Path) -> None:
    """Raise ``ValueError`` in one line naming the first broken map of ``folder`` (or the
    missing ``maps`` extra): a service must not start on maps it would misread."""
    try:
        from riskreport.analysis.maps.check import first_problem

        problem = first_problem(folder)
    except ImportError as exc:  # rasterio missing: the message names the extra
        raise ValueError(f"RISKREPORT_HAZARD_MAPS: {exc}") from exc
    if problem is not None:
        raise ValueError(f"RISKREPORT_HAZARD_MAPS: {folder / problem.file}: {problem.message}")


def hazard_map_problems(folder: Path) -> list[str]:
    """Every problem of a hazard-map folder, one line each naming the file (``maps check``)."""
    from riskreport.analysis.maps.check import check_folder

    return [str(problem) for problem in check_folder(folder)]


def fetch_hazard_maps(
    hazard: str,
    bbox: str,
    dest: Path,
    *,
    scenarios: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    models: Sequence[str] | None = None,
    base_url: str | None = None,
    progress: Callable[[str, int, int | None], None] | None = None,
    on_file: Callable[[int, int, str, bool], None] | None = None,
) -> list[str]:
    """Download the published maps of ``hazard`` and clip them to ``bbox`` into ``dest``.

    ``ValueError`` for bad arguments, ``RuntimeError`` naming the file that failed. Returns the
    names of the files the folder now holds for this request. ``on_file(i, n, name, fetched)``
    is called after each file (``fetched`` False: it was there already).
    """
    import httpx

    from riskreport.analysis.maps import fetch
    from riskreport.analysis.maps.names import RIVER_MODELS

    box = fetch.Box.parse(bbox)
    names = fetch.plan(
        hazard,
        tuple(scenarios or fetch.SCENARIOS),
        tuple(years or fetch.YEARS),
        tuple(models or RIVER_MODELS),
    )
    dest.mkdir(parents=True, exist_ok=True)
    timeout = httpx.Timeout(60.0, connect=15.0)
    with httpx.Client(timeout=timeout, follow_redirects=True) as client:
        for i, name in enumerate(names):
            done = fetch.fetch_one(client, base_url or fetch.BASE_URL, name, dest, box, progress)
            if on_file is not None:
                on_file(i + 1, len(names), name, done)
    return names


def build_store(settings: Settings) -> JobStore:
    """``memory://`` is the in-memory store; any other URL is a SQL store (SQLite, PostgreSQL)."""
    if settings.database_url == MEMORY_URL:
        from riskreport.storage.memory import MemoryJobStore

        return MemoryJobStore()
    from riskreport.storage.sql import SqlJobStore

    return SqlJobStore(settings.database_url)


@dataclass(frozen=True)
class ServerStore:
    """The store of a server process; with ``serve --workers N`` (local pools, one store for
    all processes) also its lease on the jobs it runs, and on PostgreSQL the bus on which the
    processes tell each other of their changes."""

    store: JobStore
    lease: Lease | None = None
    changes: ChangeBus | None = None


def server_store(settings: Settings) -> ServerStore:
    """Celery's broker owns its jobs (and its Redis carries the changes), and a process alone
    recovers its own at start-up: they get the store alone."""
    shared_locally = settings.backend is BackendName.LOCAL and settings.shared_store
    if not shared_locally or settings.database_url == MEMORY_URL:
        return ServerStore(build_store(settings))
    from riskreport.storage.database_url import is_sqlite
    from riskreport.storage.sql import SqlJobStore

    store = SqlJobStore(settings.database_url, runner=runner_id())
    changes = None
    if not is_sqlite(store.url):  # PostgreSQL: its notifications carry the changes
        from riskreport.storage.postgres_changes import PostgresChangeBus, conninfo

        changes = PostgresChangeBus(conninfo(store.url), channel=store.tables.jobs.name)
    return ServerStore(store, Lease(store, seconds=settings.lease_seconds), changes)


def runner_id() -> str:
    """This process's id on a shared store: host and pid, to find it, and a random part, since
    a pid comes back after a restart."""
    host = socket.gethostname()[:40]
    return f"{host}:{os.getpid()}:{secrets.token_hex(4)}"


def build_keys(store: JobStore) -> KeyStore:
    """The key store beside ``store``: its SQL database, or memory."""
    from riskreport.storage.sql import SqlJobStore

    if isinstance(store, SqlJobStore):
        from riskreport.storage.keys import SqlKeyStore

        return SqlKeyStore(store)
    from riskreport.storage.keys import MemoryKeyStore

    return MemoryKeyStore()


async def open_access(settings: Settings, store: JobStore) -> Access:
    keys = build_keys(store)
    configured = {key_digest(secret): name for name, secret in settings.key_secrets().items()}
    required = bool(configured) or await keys.has_keys()
    return Access(keys=keys, configured=configured, required=required)


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
            store_factory=lambda: _blocking_store(settings),
            specs=specs,
            bus_url=config.broker_url,
            bus_channel=config.events_channel,
            initializer=initializer,
            max_attempts=settings.max_attempts,
        ),
    )
    return app


def _blocking_store(settings: Settings) -> BlockingJobStore:
    """A Celery pool process's own store connection (a SQL store: workers refuse memory://)."""
    from riskreport.storage.blocking import BlockingSqlJobStore

    return BlockingSqlJobStore(settings.database_url)


def run_celery_worker(app: Celery, settings: Settings, *, concurrency: int) -> None:
    """Run a worker of ``app`` (from :func:`celery_worker_app`) in this process until stopped."""
    from riskreport.engine.backends.celery.worker import run_worker

    run_worker(
        app, concurrency=concurrency, queue=settings.celery_queue, log_level=settings.log_level
    )


async def recover_interrupted(settings: Settings) -> Recovered:
    """Return jobs that a dead process left running to the queue (or fail them at the attempt
    limit); say what was done.

    ``serve --workers N`` calls this once before its worker processes start, because none of
    them may do it alone: each would requeue the jobs the others are running.
    """
    await migrate_store(settings)  # once, here: the workers then find the schema current
    store = build_store(settings)
    await store.open()
    try:
        return await recover_unfinished(store, max_attempts=settings.max_attempts)
    finally:
        await store.close()


async def _start(engine: Engine, startup: StartUp, *, report_requests: bool) -> None:
    try:
        if report_requests:
            # Validation places sites in this process, outside the runners: warm it alongside.
            from riskreport.analysis.job import prepare_requests

            await asyncio.gather(engine.start(), asyncio.to_thread(prepare_requests))
            # This process's warm-up (validation's tables; with the thread runner, the report
            # job's) stays for its life: out of the collector's sight, it is not walked again
            # by every full collection, a stall of the event loop of 40-250 ms under load.
            freeze_warm_heap()
        else:
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
    renderers: Mapping[str, JobSpec] | None = None,
) -> AsyncIterator[Services]:
    """Open the store, build and start the engine in the background; close all on exit.

    ``specs`` (with an optional warm-up ``initializer``) replaces the production specs and
    warm-up: tests and benchmarks run stand-in jobs through the same engine, store and backend.
    An ``initializer`` without ``specs`` warms up the production report job instead of its own
    warm-up. ``renderers`` (job kind -> spec) render artifacts on request; without ``specs``
    they default to the report's documents (:func:`report_renderers`).
    """
    production = specs is None
    if specs is None:
        specs = report_specs(settings)
        if renderers is None:
            renderers = report_renderers(settings)
        if initializer is None:
            initializer = report_initializer(settings)
    await migrate_store(settings)
    opened = server_store(settings)
    store = opened.store
    await store.open()
    try:
        engine = Engine(
            store,
            build_backend(settings, initializer),
            specs,
            queue_limit=settings.queue_limit,
            job_timeout=settings.job_timeout,
            shutdown_grace=settings.shutdown_grace,
            renderers=renderers,
            max_attempts=settings.max_attempts,
            # A durable store keeps unfinished jobs for the next start; memory cannot.
            requeue_at_shutdown=settings.database_url != MEMORY_URL,
            adopt_before=settings.adopt_queued_before,
            owner_queue_limit=settings.key_queue_limit,
            lease=opened.lease,
            changes=opened.changes,
        )
        access = await open_access(settings, store)
        startup = StartUp()
        startup.task = asyncio.create_task(
            _start(engine, startup, report_requests=production), name="riskreport-start-up"
        )
        await _until_admitting(engine, startup.task)
        retention = None
        if settings.retention_days is not None:
            retention = Retention(store, days=settings.retention_days)
            retention.start()
        try:
            yield Services(
                settings=settings, store=store, engine=engine, startup=startup, access=access
            )
        finally:
            if not startup.task.done():
                # Shut down while warming up: stop waiting for it.
                startup.task.cancel()
            await asyncio.gather(startup.task, return_exceptions=True)
            if retention is not None:
                await retention.stop()
            await engine.shutdown()
    finally:
        await store.close()
