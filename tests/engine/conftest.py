"""Engine fixtures: an engine over each backend, built with sub-second stand-in jobs."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

import anyio
import pytest

from riskreport.engine.backend import Backend
from riskreport.engine.backends.inline import InlineBackend
from riskreport.engine.backends.local import LocalBackend
from riskreport.engine.engine import Engine
from riskreport.engine.errors import JobNotFound
from riskreport.engine.jobs import Job
from riskreport.engine.spec import Initializer, JobSpec, RunnerKind
from riskreport.engine.store import JobStore
from riskreport.storage.memory import MemoryJobStore
from riskreport.storage.sql import SqlJobStore

if TYPE_CHECKING:
    from tests.engine.celery_support import Workers

# Tests on the Celery backend need the Redis server and start real worker processes.
CELERY = [pytest.mark.redis, pytest.mark.slow]

FUNCTIONS = (
    "echo",
    "computes",
    "nap",
    "block",
    "spin",
    "hog",
    "steps",
    "fail",
    "crash",
    "killed",
    "not_json",
    "chatty",
    "with_files",
    "was_prepared",
    "burst",
    "gc_frozen",
)


def specs(runner: RunnerKind) -> list[JobSpec]:
    return [JobSpec(name, f"tests.engine.jobfuncs:{name}", runner) for name in FUNCTIONS]


@dataclass
class Harness:
    """An engine plus what a test needs to know about it."""

    engine: Engine
    store: JobStore
    backend: str  # "inline", "local-thread", "local-process" or "celery"
    capacity: int

    @property
    def inline(self) -> bool:
        return self.backend == "inline"


class Make(Protocol):
    def __call__(
        self,
        *,
        concurrency: int = 2,
        queue_limit: int = 20,
        job_timeout: float = 5.0,
        shutdown_grace: float = 1.0,
        initializer: Initializer | None = None,
        store: JobStore | None = None,
        start: bool = True,
    ) -> Awaitable[Harness]: ...


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def build(
    backend_name: str,
    *,
    concurrency: int,
    queue_limit: int,
    job_timeout: float,
    shutdown_grace: float,
    initializer: Initializer | None,
    store: JobStore,
    celery: Workers | None = None,
) -> Harness:
    backend: Backend
    if backend_name == "celery":
        from riskreport.engine.backends.celery.backend import CeleryBackend
        from tests.engine.celery_support import CONTRACT_WORKER_SLOTS

        assert celery is not None
        runner, capacity = RunnerKind.THREAD, CONTRACT_WORKER_SLOTS
        backend = CeleryBackend(celery.config, capacity=capacity, poll_interval=1.0)
    elif backend_name == "inline":
        backend, runner, capacity = InlineBackend(initializer=initializer), RunnerKind.THREAD, 1
    else:
        runner = RunnerKind(backend_name.removeprefix("local-"))
        backend = LocalBackend(concurrency=concurrency, initializer=initializer)
        capacity = concurrency
    engine = Engine(
        store,
        backend,
        specs(runner),
        queue_limit=queue_limit,
        job_timeout=job_timeout,
        shutdown_grace=shutdown_grace,
        renderers={"echo": JobSpec("echo.render", "tests.engine.jobfuncs:render_named", runner)},
    )
    return Harness(engine=engine, store=store, backend=backend_name, capacity=capacity)


async def _harnesses(backend_name: str, celery: Workers | None = None) -> AsyncIterator[Make]:
    made: list[Harness] = []
    opened: list[JobStore] = []

    async def make(
        *,
        concurrency: int = 2,
        queue_limit: int = 20,
        job_timeout: float = 5.0,
        shutdown_grace: float = 1.0,
        initializer: Initializer | None = None,
        store: JobStore | None = None,
        start: bool = True,
    ) -> Harness:
        if store is None and celery is not None:
            # The workers' store: the job ids of the contract tests are unique per module.
            store = SqlJobStore(celery.database_url)
            await store.open()
            opened.append(store)
        harness = build(
            backend_name,
            concurrency=concurrency,
            queue_limit=queue_limit,
            job_timeout=job_timeout,
            shutdown_grace=shutdown_grace,
            initializer=initializer,
            store=store or MemoryJobStore(),
            celery=celery,
        )
        made.append(harness)
        if start:
            await harness.engine.start()
        return harness

    make.backend_name = backend_name  # type: ignore[attr-defined]
    yield make
    for harness in made:
        with anyio.fail_after(10):
            await harness.engine.shutdown()
    for opened_store in opened:
        await opened_store.close()


@pytest.fixture(scope="session")
def celery_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workers]:
    """One real Celery worker process (two job slots) on the real Redis, for the session."""
    from tests.engine.celery_support import (
        CONTRACT_WORKER_SLOTS,
        Workers,
        new_queue,
        require_redis,
        wait_ready,
    )

    require_redis()
    folder = tmp_path_factory.mktemp("celery")
    workers = Workers(database_url=f"sqlite:///{folder / 'jobs.db'}", queue=new_queue())
    process = workers.start(folder, concurrency=CONTRACT_WORKER_SLOTS)
    try:
        wait_ready(workers, process)
        yield workers
    finally:
        workers.stop_all()


@pytest.fixture(
    params=["inline", "local-thread", "local-process", pytest.param("celery", marks=CELERY)]
)
async def make(request: pytest.FixtureRequest) -> AsyncIterator[Make]:
    """Build (and at teardown shut down) engines over each backend."""
    celery = request.getfixturevalue("celery_workers") if request.param == "celery" else None
    async for factory in _harnesses(request.param, celery):
        yield factory


@pytest.fixture(params=["local-thread", "local-process"])
async def make_local(request: pytest.FixtureRequest) -> AsyncIterator[Make]:
    async for factory in _harnesses(request.param):
        yield factory


@pytest.fixture
async def make_process() -> AsyncIterator[Make]:
    async for factory in _harnesses("local-process"):
        yield factory


@pytest.fixture
async def make_thread() -> AsyncIterator[Make]:
    async for factory in _harnesses("local-thread"):
        yield factory


async def until(
    check: Callable[[], Awaitable[bool]], *, within: float = 3.0, every: float = 0.005
) -> None:
    """Poll ``check`` until it is true; fail the test after ``within`` seconds."""
    with anyio.fail_after(within):
        while True:
            if await check():
                return
            await anyio.sleep(every)


async def status_of(engine: Engine, job_id: str) -> str | None:
    try:
        return (await engine.get(job_id)).status.value
    except JobNotFound:
        return None


async def wait_running(engine: Engine, job_id: str, *, within: float = 3.0) -> None:
    async def running() -> bool:
        return await status_of(engine, job_id) == "running"

    await until(running, within=within)


def seconds(job: Job) -> float:
    """Run time of a finished job, from its stored timestamps."""
    assert job.started_at is not None
    assert job.finished_at is not None
    return (job.finished_at - job.started_at).total_seconds()


class Ticker:
    """An asyncio sleep ticker: how late does the loop wake up while jobs run?"""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.lags: list[float] = []

    async def run(self) -> None:
        while True:
            before = time.perf_counter()
            await anyio.sleep(self.interval)
            self.lags.append(time.perf_counter() - before - self.interval)

    @property
    def worst(self) -> float:
        return max(self.lags, default=0.0)
