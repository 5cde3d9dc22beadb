"""What only the thread runner promises: a thread job that ignores its deadline is reported
timed out at the deadline, but keeps its slot until it returns, so the limit always holds."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from riskreport.engine.jobs import Job, JobStatus
from riskreport.storage.memory import MemoryJobStore
from tests.engine.conftest import Make, seconds, wait_running

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


async def test_a_stuck_thread_is_timed_out_at_once_but_keeps_its_slot(make_thread: Make) -> None:
    harness = await make_thread(concurrency=1, job_timeout=0.2)
    engine = harness.engine
    running: list[int] = []

    def watch(job: Job) -> None:
        if job.status is JobStatus.RUNNING:
            running.append(engine.stats().running)

    engine.add_listener(watch)
    stuck = await engine.submit("block", {"seconds": 0.6})  # ignores token and deadline
    after = await engine.submit("echo", {})
    stuck = await engine.wait(stuck.id, timeout=5)
    assert stuck.status is JobStatus.TIMED_OUT
    assert seconds(stuck) <= 0.2 * 1.1 + 0.05  # told at the deadline...
    assert engine.stats().running == 1  # ...while the thread still holds the slot
    after = await engine.wait(after.id, timeout=5)
    assert after.status is JobStatus.SUCCEEDED
    assert stuck.started_at is not None
    assert after.started_at is not None
    # The next job started only once the stuck thread returned (0.6 s after it began).
    assert (after.started_at - stuck.started_at).total_seconds() >= 0.55
    assert max(running) == 1


async def test_a_cooperative_thread_stops_on_cancel(make_thread: Make) -> None:
    harness = await make_thread(concurrency=1)
    engine = harness.engine
    job = await engine.submit("nap", {"seconds": 5})
    await wait_running(engine, job.id)
    await engine.cancel(job.id)
    follow_up = await engine.wait((await engine.submit("echo", {})).id, timeout=2)
    assert follow_up.status is JobStatus.SUCCEEDED
    assert (await engine.get(job.id)).status is JobStatus.CANCELLED


class SlowToFinish(MemoryJobStore):
    """A store that writes a final state at once but acknowledges it only after ``delay`` (as a
    busy SQL store does, whose writes wait for the next batch); it counts the jobs it holds as
    running, to show the limit held in the store too."""

    def __init__(self, delay: float) -> None:
        super().__init__()
        self.delay = delay
        self.most_running = 0

    async def transition(self, job_id: str, new: JobStatus, **changes: Any) -> Job:
        job = await super().transition(job_id, new, **changes)
        running = [j for j in (await self.list(limit=100)).items if j.status is JobStatus.RUNNING]
        self.most_running = max(self.most_running, len(running))
        if new.is_final:
            await asyncio.sleep(self.delay)
        return job


async def test_the_next_job_starts_before_the_last_ones_end_is_acknowledged(
    make_thread: Make,
) -> None:
    store = SlowToFinish(delay=0.5)
    engine = (await make_thread(concurrency=1, store=store)).engine
    first = await engine.submit("echo", {})
    second = await engine.submit("echo", {})
    second = await engine.wait(second.id, timeout=5)
    first = await engine.get(first.id)
    assert (first.status, second.status) == (JobStatus.SUCCEEDED, JobStatus.SUCCEEDED)
    assert first.started_at is not None
    assert second.started_at is not None
    # Started once the first thread returned, not once its end was acknowledged 0.5 s later.
    assert (second.started_at - first.started_at).total_seconds() < 0.4
    assert store.most_running == 1  # the final write went in before the next job's start
