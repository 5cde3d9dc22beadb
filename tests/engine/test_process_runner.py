"""What only the process runner promises: kill on timeout and cancel, survive crashes."""

from __future__ import annotations

import logging
import multiprocessing
import os
import statistics
import time
from pathlib import Path

import anyio
import pytest

from riskreport.engine import context
from riskreport.engine.encoded import EncodedJSON
from riskreport.engine.jobs import JobStatus
from riskreport.engine.runners import pipe
from riskreport.engine.runners.pool import Worker, WorkerPool, describe_exit
from riskreport.engine.runners.process import default_start_method
from riskreport.engine.spec import Initializer
from tests.engine.conftest import Make, seconds, until, wait_running

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


async def test_a_job_past_its_timeout_is_killed_and_the_next_starts_at_once(
    make_process: Make,
) -> None:
    harness = await make_process(concurrency=1, job_timeout=0.3)
    engine = harness.engine
    stuck = await engine.submit("block", {"seconds": 30})  # sleeps; ignores its deadline
    after = await engine.submit("echo", {})
    stuck = await engine.wait(stuck.id, timeout=5)
    after = await engine.wait(after.id, timeout=5)
    assert stuck.status is JobStatus.TIMED_OUT
    assert stuck.error is not None
    assert stuck.error.code == "timeout"
    assert seconds(stuck) <= 0.3 * 1.1 + 0.05
    assert after.status is JobStatus.SUCCEEDED
    assert stuck.finished_at is not None
    assert after.started_at is not None
    # The slot came back at once: the spare worker took the next job (the old one is dead).
    assert (after.started_at - stuck.finished_at).total_seconds() < 0.1
    assert after.result is not None
    assert engine.stats().running == 0


async def test_cancel_kills_the_process_and_frees_the_slot(make_process: Make) -> None:
    harness = await make_process(concurrency=1)
    engine = harness.engine
    stuck = await engine.submit("block", {"seconds": 30})
    await wait_running(engine, stuck.id)
    started = time.monotonic()
    await engine.cancel(stuck.id)
    follow_up = await engine.wait((await engine.submit("echo", {})).id, timeout=5)
    assert follow_up.status is JobStatus.SUCCEEDED
    assert time.monotonic() - started < 0.5
    assert (await engine.get(stuck.id)).status is JobStatus.CANCELLED


@pytest.mark.parametrize(
    ("kind", "reason"),
    [("crash", "exited with code 3"), ("killed", "was killed by SIGKILL")],
)
async def test_a_crashed_worker_fails_only_its_job(
    make_process: Make, kind: str, reason: str
) -> None:
    harness = await make_process(concurrency=2)
    engine = harness.engine
    others = [await engine.submit("nap", {"seconds": 0.2}) for _ in range(2)]
    crashed = await engine.wait((await engine.submit(kind, {})).id, timeout=5)
    assert crashed.status is JobStatus.FAILED
    assert crashed.error is not None
    assert crashed.error.code == "crashed"
    assert reason in crashed.error.message
    for job in others:
        assert (await engine.wait(job.id, timeout=5)).status is JobStatus.SUCCEEDED
    # The pool is whole again: as many jobs as slots run at once.
    first, second = [await engine.submit("nap", {"seconds": 0.3}) for _ in range(2)]
    first = await engine.wait(first.id, timeout=5)
    second = await engine.wait(second.id, timeout=5)
    assert first.status is second.status is JobStatus.SUCCEEDED
    assert first.finished_at is not None
    assert second.started_at is not None
    assert second.started_at < first.finished_at  # they overlapped


async def test_worker_logs_reach_the_parent_with_request_and_job_ids(
    make_process: Make, caplog: pytest.LogCaptureFixture
) -> None:
    harness = await make_process()
    marker = context.request_id.set("req-7")
    try:
        job = await harness.engine.submit("chatty", {})
    finally:
        context.request_id.reset(marker)
    with caplog.at_level(logging.INFO):
        job = await harness.engine.wait(job.id, timeout=5)
    assert job.status is JobStatus.SUCCEEDED
    records = [r for r in caplog.records if r.name == "tests.engine.jobfuncs"]
    assert len(records) == 1
    record = records[0]
    assert record.getMessage() == f"hello from job {job.id}"
    assert record.process != os.getpid()  # emitted in the worker, handled here
    assert (getattr(record, "request_id", None), getattr(record, "job_id", None)) == (
        "req-7",
        job.id,
    )


async def test_cpu_bound_jobs_in_processes_leave_the_loop_alone(make_process: Make) -> None:
    harness = await make_process(concurrency=2)
    lags: list[float] = []

    async def tick() -> None:
        while True:
            before = time.perf_counter()
            await anyio.sleep(0.005)
            lags.append(time.perf_counter() - before - 0.005)

    async with anyio.create_task_group() as group:
        group.start_soon(tick)
        jobs = [await harness.engine.submit("spin", {"seconds": 0.3}) for _ in range(2)]
        for job in jobs:
            assert (await harness.engine.wait(job.id, timeout=5)).status is JobStatus.SUCCEEDED
        group.cancel_scope.cancel()
    # A loop blocked by the work would lag by the whole job (300 ms); a shared 2-core machine
    # adds some scheduling noise to the healthy case.
    assert statistics.median(lags) < 0.01, statistics.median(lags)
    assert max(lags) < 0.15, max(lags)


def test_exit_descriptions() -> None:
    assert describe_exit(3) == "exited with code 3"
    assert describe_exit(-9) == "was killed by SIGKILL"
    assert describe_exit(None) == "did not exit"


async def test_workers_freeze_their_warmed_heap_out_of_the_collector(make_process: Make) -> None:
    harness = await make_process(concurrency=1)
    job = await harness.engine.wait((await harness.engine.submit("gc_frozen", {})).id, timeout=5)
    assert job.status is JobStatus.SUCCEEDED
    assert job.result is not None
    assert job.result["pid"] != os.getpid()
    # Every module the worker imported while warming up, at the least.
    assert job.result["frozen"] > 10_000


def test_a_worker_sends_its_result_as_json_text() -> None:
    # What crosses the pipe, read at the parent's end: one string, never the decoded tree.
    context = multiprocessing.get_context(default_start_method())
    worker = Worker.launch(context, None)
    worker.wait_ready()
    try:
        pipe.send(
            worker.conn, pipe.Run("j1", "tests.engine.jobfuncs:echo", {"value": [1]}, 5, None)
        )
        while not isinstance(message := pipe.from_worker(worker.conn), pipe.Done):
            assert isinstance(message, pipe.Report | pipe.Log), message
        result = message.outcome.result
        assert isinstance(result, EncodedJSON)
        assert result["echo"] == [1]
        assert result["job_id"] == "j1"
    finally:
        worker.stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_a_start_cut_short_kills_the_workers_still_warming_up(tmp_path: Path) -> None:
    # A shutdown during warm-up (a test's app, a server stopped while starting) must not leave
    # worker processes warming up for nobody: each costs seconds of CPU.
    marker = tmp_path / "pids"
    context = multiprocessing.get_context(default_start_method())
    initializer = Initializer("tests.engine.jobfuncs:prepare_slowly", (str(marker), 60.0))
    pool = WorkerPool(context, initializer, size=2, spares=0)

    def pids() -> list[int]:
        return [int(line) for line in marker.read_text().split()] if marker.exists() else []

    async def warming() -> bool:
        return len(pids()) == 2

    async def gone() -> bool:
        return not any(_alive(pid) for pid in pids())

    async with anyio.create_task_group() as group:
        group.start_soon(pool.fill)
        await until(warming, within=20)
        group.cancel_scope.cancel()
    await pool.aclose()
    await until(gone, within=10)  # not the initializer's 60 s
