"""What only the thread runner promises: a thread job that ignores its deadline is reported
timed out at the deadline, but keeps its slot until it returns, so the limit always holds; jobs
compute one at a time (``ctx.computing()``) and wait together."""

from __future__ import annotations

import asyncio
import itertools
import sys
import threading
import time
from typing import Any

import pytest

from riskreport.engine.context import RunContext
from riskreport.engine.errors import JobDeadlineExceeded
from riskreport.engine.jobs import Job, JobStatus
from riskreport.engine.runners.thread import SWITCH_INTERVAL, ThreadRunner
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


async def test_jobs_compute_one_at_a_time_and_wait_together(make_thread: Make) -> None:
    engine = (await make_thread(concurrency=3)).engine
    jobs = [await engine.submit("computes", {"compute": 0.15, "wait": 0.5}) for _ in range(3)]
    done = [await engine.wait(job.id, timeout=10) for job in jobs]
    assert [job.status for job in done] == [JobStatus.SUCCEEDED] * 3
    blocks = sorted((job.result["entered"], job.result["left"]) for job in done if job.result)
    assert len(blocks) == 3
    for (_, left), (entered, _) in itertools.pairwise(blocks):
        assert entered >= left  # never two computing blocks at once
    # The waits overlapped: one after another, the three jobs take 3 x 0.65 s.
    assert blocks[-1][0] - blocks[0][0] < 0.5
    assert max(seconds(job) for job in done) < 1.3


async def test_a_running_thread_runner_shortens_the_switch_interval() -> None:
    before = sys.getswitchinterval()
    runner = ThreadRunner(1)
    await runner.start([])
    try:
        assert sys.getswitchinterval() == min(before, SWITCH_INTERVAL)
    finally:
        await runner.aclose()
    assert sys.getswitchinterval() == before


def test_a_job_waiting_to_compute_past_its_deadline_is_stopped() -> None:
    busy = threading.Lock()
    busy.acquire()  # another job computes all along
    ctx = RunContext(
        "late", deadline=time.monotonic() + 0.05, cancel=None, sink=lambda _: None, compute=busy
    )
    with pytest.raises(JobDeadlineExceeded), ctx.computing():
        pass
    free = RunContext("alone", deadline=time.monotonic() + 1, cancel=None, sink=lambda _: None)
    with free.computing(), free.computing():  # no lock: a process of its own
        pass
