"""Shutdown on a durable store: nothing accepted is lost, waits and event streams end at once."""

from __future__ import annotations

import time
from typing import Any

import anyio
import pytest

from riskreport.engine.backends.local import LocalBackend
from riskreport.engine.engine import Engine
from riskreport.engine.errors import ShuttingDown
from riskreport.engine.jobs import Job, JobStatus, Progress
from riskreport.engine.spec import JobSpec, RunnerKind
from riskreport.storage.memory import MemoryJobStore
from tests.engine.conftest import specs, wait_running

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def requeuing(store: MemoryJobStore, runner: RunnerKind, *, grace: float = 0.2) -> Engine:
    return Engine(
        store,
        LocalBackend(concurrency=1),
        specs(runner),
        queue_limit=10,
        job_timeout=10,
        shutdown_grace=grace,
        requeue_at_shutdown=True,
    )


@pytest.mark.parametrize("runner", [RunnerKind.THREAD, RunnerKind.PROCESS])
async def test_what_outlives_the_grace_goes_back_to_the_queue(runner: RunnerKind) -> None:
    store = MemoryJobStore()
    engine = requeuing(store, runner)
    await engine.start()
    long = await engine.submit("nap", {"seconds": 5}, job_id="long")
    await engine.submit("echo", {}, job_id="waiting")
    await wait_running(engine, long.id)
    started = time.monotonic()
    await engine.shutdown()
    assert time.monotonic() - started < 0.2 + 1.0
    back = await store.get("long")
    assert (back.status, back.started_at, back.progress, back.error) == (
        JobStatus.QUEUED,
        None,
        Progress(),
        None,
    )
    assert back.attempts == 1
    waiting = await store.get("waiting")
    assert (waiting.status, waiting.attempts) == (JobStatus.QUEUED, 0)

    # The next start runs both, oldest first.
    again = Engine(
        store,
        LocalBackend(concurrency=1),
        [
            JobSpec("nap", "tests.engine.jobfuncs:echo"),
            JobSpec("echo", "tests.engine.jobfuncs:echo"),
        ],
        queue_limit=10,
        job_timeout=10,
        shutdown_grace=1,
    )
    await again.start()
    done = [await again.wait(job_id, timeout=10) for job_id in ("long", "waiting")]
    await again.shutdown()
    assert [(j.status, j.attempts) for j in done] == [
        (JobStatus.SUCCEEDED, 2),
        (JobStatus.SUCCEEDED, 1),
    ]
    first, second = (job.started_at for job in done)
    assert first is not None
    assert second is not None
    assert first <= second  # one slot: the older job went first


async def test_a_job_ending_within_the_grace_is_recorded_as_it_ended() -> None:
    store = MemoryJobStore()
    engine = requeuing(store, RunnerKind.THREAD, grace=2.0)
    await engine.start()
    job = await engine.submit("nap", {"seconds": 0.3})
    await wait_running(engine, job.id)
    await engine.shutdown()
    assert (await store.get(job.id)).status is JobStatus.SUCCEEDED


async def test_begin_shutdown_ends_waits_and_event_streams_at_once() -> None:
    store = MemoryJobStore()
    engine = requeuing(store, RunnerKind.THREAD, grace=0.5)
    await engine.start()
    job = await engine.submit("nap", {"seconds": 5})
    await wait_running(engine, job.id)
    outcomes: dict[str, object] = {}
    seen: list[JobStatus] = []

    async def waiter() -> None:
        try:
            await engine.wait(job.id, timeout=20)
        except ShuttingDown as exc:
            outcomes["wait"] = exc

    async def follower() -> None:
        try:
            async for snapshot in engine.events(job.id):
                seen.append(snapshot.status)
        except ShuttingDown as exc:
            outcomes["events"] = exc

    with anyio.fail_after(2):  # both end long before the job or its grace would
        async with anyio.create_task_group() as group:
            group.start_soon(waiter)
            group.start_soon(follower)
            await anyio.sleep(0.1)
            engine.begin_shutdown()
            assert not engine.admitting
            with pytest.raises(ShuttingDown):
                await engine.submit("echo", {})
    assert isinstance(outcomes["wait"], ShuttingDown)
    assert isinstance(outcomes["events"], ShuttingDown)
    assert seen == [JobStatus.RUNNING]
    await engine.shutdown()  # waits for the shutdown begun above
    assert (await store.get(job.id)).status is JobStatus.QUEUED


class SlowStart(MemoryJobStore):
    """A store whose ``running`` writes land at once but are acknowledged only on ``release``:
    the moment a reader sees the job running while its runner still waits on the write."""

    def __init__(self) -> None:
        super().__init__()
        self.written = anyio.Event()
        self.release = anyio.Event()

    async def transition(self, job_id: str, new: JobStatus, **changes: Any) -> Job:
        job = await super().transition(job_id, new, **changes)
        if new is JobStatus.RUNNING:
            self.written.set()
            await self.release.wait()
        return job


@pytest.mark.parametrize("runner", [RunnerKind.THREAD, RunnerKind.PROCESS])
async def test_a_job_whose_start_is_being_written_at_shutdown_goes_back_to_the_queue(
    runner: RunnerKind,
) -> None:
    # Seen on CI: a job that looked running was recorded `cancelled` by a shutdown that should
    # have kept it for the next start.
    store = SlowStart()
    engine = requeuing(store, runner, grace=0.2)
    await engine.start()
    job = await engine.submit("nap", {"seconds": 5})
    with anyio.fail_after(10):
        await store.written.wait()
    assert (await store.get(job.id)).status is JobStatus.RUNNING
    async with anyio.create_task_group() as group:
        group.start_soon(engine.shutdown)
        await anyio.sleep(0.1)  # the shutdown has stopped what it holds
        assert not engine.admitting
        store.release.set()
    back = await store.get(job.id)
    assert (back.status, back.error, back.started_at) == (JobStatus.QUEUED, None, None)
