"""What only the thread runner promises: a thread job that ignores its deadline is reported
timed out at the deadline, but keeps its slot until it returns, so the limit always holds."""

from __future__ import annotations

import pytest

from riskreport.engine.jobs import Job, JobStatus
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
