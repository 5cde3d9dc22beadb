"""One contract for every backend: inline, local with thread runner, local with process runner.

Stand-in jobs (tests/engine/jobfuncs.py) take well under a second; timing assertions compare
ratios with generous margins (2-core CI machine).
"""

from __future__ import annotations

import asyncio
import math
import statistics
import time
from pathlib import Path
from typing import Any

import anyio
import pytest

from riskreport.engine import context
from riskreport.engine.engine import Engine
from riskreport.engine.errors import (
    ArtifactNotFound,
    IllegalTransition,
    JobNotFound,
    QueueFull,
    RenderFailed,
    ShuttingDown,
    UnknownJobKind,
)
from riskreport.engine.jobs import Job, JobStatus
from riskreport.engine.outcome import FAILED_MESSAGE
from riskreport.engine.spec import Initializer
from tests.engine.conftest import Make, Ticker, seconds, status_of, until, wait_running

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


async def run(engine: Engine, kind: str, payload: dict[str, Any] | None = None) -> Job:
    job = await engine.submit(kind, payload or {})
    return await engine.wait(job.id, timeout=10)


def in_background(
    group: anyio.abc.TaskGroup, engine: Engine, kind: str, payload: dict[str, Any], job_id: str
) -> None:
    """Submit without waiting for it (inline submit returns only when the job is final)."""
    group.start_soon(lambda: engine.submit(kind, payload, job_id=job_id))


async def test_a_job_succeeds_with_request_id_and_deadline(make: Make) -> None:
    harness = await make(job_timeout=5.0)
    marker = context.request_id.set("req-42")
    try:
        job = await run(harness.engine, "echo", {"value": [1, "둘"]})
    finally:
        context.request_id.reset(marker)
    assert job.status is JobStatus.SUCCEEDED
    assert job.error is None
    assert job.result is not None
    assert job.result["echo"] == [1, "둘"]
    assert job.result["request_id"] == "req-42"
    assert job.result["job_id"] == job.id
    assert 4.0 < job.result["remaining"] <= 5.0
    assert job.progress.fraction == 1.0
    assert job.created_at <= job.started_at <= job.finished_at  # type: ignore[operator]


async def test_an_exception_fails_the_job_with_a_safe_message_and_logs_the_details(
    make: Make, caplog: pytest.LogCaptureFixture
) -> None:
    harness = await make()
    job = await run(harness.engine, "fail", {"message": "no hazard data in /srv/data"})
    assert job.status is JobStatus.FAILED
    assert job.error is not None
    assert (job.error.code, job.error.message) == ("error", FAILED_MESSAGE)
    not_on_celery(make, "the details are in the Celery worker's own log, another process")
    # The details are in the log, under the job's id (forwarded from a worker process too).
    # A worker process forwards its records with the traceback already in the message.
    logged = [
        r.getMessage() + (str(r.exc_info[1]) if r.exc_info else "")
        for r in caplog.records
        if r.name == "riskreport.engine"
    ]
    assert any(job.id in text and "no hazard data in /srv/data" in text for text in logged), logged


async def test_a_result_that_is_not_json_fails_the_job(make: Make) -> None:
    harness = await make()
    job = await run(harness.engine, "not_json")
    assert job.status is JobStatus.FAILED
    assert job.error is not None
    assert (job.error.code, job.error.message) == ("error", FAILED_MESSAGE)


async def test_artifacts_are_stored_with_the_result(make: Make) -> None:
    harness = await make()
    job = await run(harness.engine, "with_files")
    assert job.status is JobStatus.SUCCEEDED
    assert job.result == {"files": 2}
    pdf = await harness.engine.artifact(job.id, "report.pdf")
    assert (pdf.media_type, pdf.data) == ("application/pdf", b"%PDF-1.7 stand-in\x00\xff")
    with pytest.raises(ArtifactNotFound):
        await harness.engine.artifact(job.id, "report.html")


async def test_an_artifact_is_rendered_on_first_request_once_then_stored(make: Make) -> None:
    harness = await make()
    job = await run(harness.engine, "echo", {"x": 1})
    if getattr(make, "backend_name", None) == "celery":
        # The workers render a report's documents within the job (bootstrap makes them eager);
        # a render asked of the API process is refused in so many words, and nothing is stored.
        with pytest.raises(RenderFailed, match="not_supported"):
            await harness.engine.artifact(job.id, "page")
        with pytest.raises(ArtifactNotFound):
            await harness.store.get_artifact(job.id, "page")
        return
    assert job.status is JobStatus.SUCCEEDED
    engine = harness.engine
    with pytest.raises(ArtifactNotFound):
        await harness.store.get_artifact(job.id, "page")
    if harness.inline:
        first = await engine.artifact(job.id, "page")
        second = await engine.artifact(job.id, "page")
        together = [first, second]
    else:
        together = list(await asyncio.gather(*(engine.artifact(job.id, "page") for _ in range(3))))
    assert engine.renders_started == 1
    assert all(a == together[0] for a in together)
    assert together[0].media_type == "text/plain"
    assert await harness.store.get_artifact(job.id, "page") == together[0]
    assert (await engine.artifact(job.id, "page")) == together[0]
    assert engine.renders_started == 1
    # the render stored nothing but the artifact: no job for it
    assert [j.kind for j in (await engine.list()).items] == ["echo"]


async def test_a_failed_render_says_how_and_stores_nothing(make: Make) -> None:
    not_on_celery(make, "no renders outside a job on Celery (the test above)")
    harness = await make()
    job = await run(harness.engine, "echo", {"x": 1})
    # The renderer's own words stay in the log; the error says how it ended, safely.
    with pytest.raises(RenderFailed, match=r"failed \(error\): the job failed unexpectedly"):
        await harness.engine.artifact(job.id, "broken")
    with pytest.raises(ArtifactNotFound):
        await harness.store.get_artifact(job.id, "broken")
    # a job of a kind without a renderer has only what it stored
    files = await run(harness.engine, "with_files")
    with pytest.raises(ArtifactNotFound):
        await harness.engine.artifact(files.id, "report.html")


async def test_progress_is_stored_and_streamed_in_order(make: Make) -> None:
    harness = await make()
    engine = harness.engine
    snapshots: list[Job] = []

    async def follow() -> None:
        await until(lambda: _exists(engine, "p1"))
        async for snapshot in engine.events("p1"):
            snapshots.append(snapshot)

    async with anyio.create_task_group() as group:
        group.start_soon(follow)
        in_background(group, engine, "steps", {"n": 4, "pause": 0.06}, "p1")
    stages = [s.progress.stage for s in snapshots]
    assert snapshots[-1].status is JobStatus.SUCCEEDED
    assert stages[-1] == "done"
    assert {"step-2", "step-3", "step-4"} & set(stages), stages
    fractions = [s.progress.fraction for s in snapshots]
    assert fractions == sorted(fractions)
    order = [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.SUCCEEDED]
    assert [order.index(s.status) for s in snapshots] == sorted(
        order.index(s.status) for s in snapshots
    )


async def test_a_burst_of_progress_is_stored_up_to_its_last_report_while_the_job_runs(
    make: Make,
) -> None:
    # Every runner holds back reports of one stage made within 0.1 s of the last one passed on,
    # and passes on the last of them when the interval ends: the store must get there while
    # the job still runs.
    harness = await make(concurrency=1)
    if harness.backend == "inline":
        pytest.skip("not this backend's promise: submit returns once the job has ended")
    engine = harness.engine
    job = await engine.submit("burst", {"n": 50, "pause": 1.5})
    last = 50 / 51

    async def at_last_report() -> bool:
        current = await engine.get(job.id)
        assert current.status in (JobStatus.QUEUED, JobStatus.RUNNING), current
        return current.progress.stage == "burst" and current.progress.fraction == last

    await until(at_last_report, within=1.2)
    assert (await engine.wait(job.id, timeout=5)).status is JobStatus.SUCCEEDED


def not_on_celery(make: Make, reason: str) -> None:
    """Skip a promise that the Celery backend keeps differently (and tests elsewhere)."""
    if getattr(make, "backend_name", None) == "celery":
        pytest.skip(f"not this backend's promise: {reason}")


async def _running_here(engine: Engine, count: int) -> bool:
    return engine.stats().running == count


async def _queued_here(engine: Engine, count: int) -> bool:
    return engine.stats().queued == count


def ready(engine: Engine) -> bool:
    return engine.ready


async def _exists(engine: Engine, job_id: str) -> bool:
    return await status_of(engine, job_id) is not None


async def test_events_of_a_finished_job_yield_it_once(make: Make) -> None:
    harness = await make()
    job = await run(harness.engine, "echo")
    assert [j.status async for j in harness.engine.events(job.id)] == [JobStatus.SUCCEEDED]
    with pytest.raises(JobNotFound):
        async for _ in harness.engine.events("missing"):
            pass


async def test_a_job_past_its_deadline_times_out(make: Make) -> None:
    harness = await make(job_timeout=0.3)
    job = await run(harness.engine, "nap", {"seconds": 5})
    assert job.status is JobStatus.TIMED_OUT
    assert job.error is not None
    assert job.error.code == "timeout"
    assert 0.25 <= seconds(job) <= 0.3 * 1.1 + 0.2


async def test_wait_returns_the_unfinished_job_when_its_timeout_passes(make: Make) -> None:
    harness = await make()
    engine = harness.engine
    async with anyio.create_task_group() as group:
        in_background(group, engine, "nap", {"seconds": 0.6}, "w1")
        await until(lambda: _exists(engine, "w1"))
        started = time.monotonic()
        job = await engine.wait("w1", timeout=0.1)
        assert 0.08 <= time.monotonic() - started < 0.5
        assert not job.status.is_final
        job = await engine.wait("w1", timeout=5)
        assert job.status is JobStatus.SUCCEEDED
    with pytest.raises(JobNotFound):
        await engine.wait("missing", timeout=0.1)


async def test_cancel_a_running_job(make: Make) -> None:
    harness = await make()
    engine = harness.engine
    async with anyio.create_task_group() as group:
        in_background(group, engine, "nap", {"seconds": 5}, "c1")
        await wait_running(engine, "c1")
        cancelled = await engine.cancel("c1")
        assert cancelled.status is JobStatus.CANCELLED
        assert cancelled.error is not None
        assert cancelled.error.code == "cancelled"
        # The slot comes back soon (the thread sees its token; the process is killed).
        started = time.monotonic()
        follow_up = await run(engine, "echo")
        assert follow_up.status is JobStatus.SUCCEEDED
        assert time.monotonic() - started < 1.0
    assert (await engine.get("c1")).status is JobStatus.CANCELLED
    with pytest.raises(IllegalTransition):
        await engine.cancel("c1")


async def test_cancel_a_queued_job_before_it_starts(make: Make) -> None:
    harness = await make(concurrency=1)
    engine = harness.engine
    async with anyio.create_task_group() as group:
        for i in range(harness.capacity):
            in_background(group, engine, "nap", {"seconds": 0.4}, f"busy{i}")
            await wait_running(engine, f"busy{i}")
        in_background(group, engine, "echo", {}, "q1")
        await until(lambda: _exists(engine, "q1"))
        # Celery: the workers' `running` reaches this process a moment after the store.
        await until(lambda: _queued_here(engine, 1))
        cancelled = await engine.cancel("q1")
        assert cancelled.status is JobStatus.CANCELLED
    job = await engine.get("q1")
    assert job.status is JobStatus.CANCELLED
    assert job.started_at is None
    assert engine.stats().queued == 0


async def test_cancel_and_get_of_unknown_jobs(make: Make) -> None:
    harness = await make()
    with pytest.raises(JobNotFound):
        await harness.engine.cancel("missing")
    with pytest.raises(JobNotFound):
        await harness.engine.get("missing")
    done = await run(harness.engine, "echo")
    with pytest.raises(IllegalTransition):
        await harness.engine.cancel(done.id)


async def test_a_full_queue_raises_queue_full(make: Make) -> None:
    harness = await make(concurrency=1, queue_limit=2)
    engine = harness.engine
    async with anyio.create_task_group() as group:
        for i in range(harness.capacity):  # every slot busy (Celery: the worker's slots)
            in_background(group, engine, "nap", {"seconds": 0.8}, f"run{i}")
            await wait_running(engine, f"run{i}")
        # Celery: this process counts them running once the workers' messages arrive.
        await until(lambda: _running_here(engine, harness.capacity))
        for i in range(2):
            in_background(group, engine, "echo", {}, f"full{i}")
            await until(lambda i=i: _exists(engine, f"full{i}"))  # type: ignore[misc]
        with pytest.raises(QueueFull) as raised:
            await engine.submit("echo", {})
        assert raised.value.retry_after >= 1
        assert engine.stats().queued == 2
    statuses = [(await engine.wait(f"full{i}", timeout=5)).status for i in range(2)]
    assert statuses == [JobStatus.SUCCEEDED] * 2


async def test_n_jobs_at_concurrency_c_take_about_ceil_n_over_c_rounds(make: Make) -> None:
    harness = await make(concurrency=2, queue_limit=20)
    engine = harness.engine
    n, t = 6, 0.2
    running = 0
    most = 0

    def count(job: Job) -> None:
        nonlocal running, most
        if job.status is JobStatus.RUNNING:
            running += 1
            most = max(most, running)
        elif job.status.is_final:
            running -= 1

    engine.add_listener(count)
    started = time.monotonic()
    async with anyio.create_task_group() as group:
        for i in range(n):
            in_background(group, engine, "nap", {"seconds": t}, f"n{i}")
    for i in range(n):
        assert (await engine.wait(f"n{i}", timeout=10)).status is JobStatus.SUCCEEDED
    elapsed = time.monotonic() - started
    ideal = math.ceil(n / harness.capacity) * t
    assert most == harness.capacity
    assert ideal * 0.95 <= elapsed <= ideal * 1.6 + 0.2, (elapsed, ideal)


@pytest.mark.parametrize("kind", ["spin", "nap"])
async def test_jobs_do_not_block_the_event_loop(make: Make, kind: str) -> None:
    harness = await make(concurrency=2)
    ticker = Ticker(0.01)
    job_seconds = 0.6
    async with anyio.create_task_group() as group:
        group.start_soon(ticker.run)
        await anyio.sleep(0.05)
        started = time.monotonic()
        async with anyio.create_task_group() as jobs:
            for i in range(2 * harness.capacity):
                in_background(jobs, harness.engine, kind, {"seconds": job_seconds}, f"{kind}{i}")
        for i in range(2 * harness.capacity):
            await harness.engine.wait(f"{kind}{i}", timeout=10)
        elapsed = time.monotonic() - started
        group.cancel_scope.cancel()
    # A blocked loop would tick once per job, each tick late by the whole job (600 ms). A thread
    # spinning in pure Python shares the GIL (5 ms switch interval), and the 2-core machine is
    # shared with other work: the margins are wide, the difference is still an order of size.
    assert len(ticker.lags) >= 0.3 * elapsed / ticker.interval, (len(ticker.lags), elapsed)
    assert statistics.median(ticker.lags) < 0.03, statistics.median(ticker.lags)
    assert ticker.worst < job_seconds / 2, ticker.worst


async def test_unknown_kind_is_refused(make: Make) -> None:
    harness = await make()
    with pytest.raises(UnknownJobKind):
        await harness.engine.submit("teleport", {})


async def test_listeners_hear_each_stored_change_in_order(make: Make) -> None:
    harness = await make()
    heard: list[tuple[str, JobStatus]] = []
    harness.engine.add_listener(lambda job: heard.append((job.id, job.status)))
    job = await run(harness.engine, "echo")

    async def heard_final() -> bool:
        return (job.id, JobStatus.SUCCEEDED) in heard

    # Celery: the wait may end at a store read a moment before the workers' message arrives.
    await until(heard_final)
    assert [s for i, s in heard if i == job.id] == [
        JobStatus.QUEUED,
        JobStatus.RUNNING,
        JobStatus.SUCCEEDED,
    ]


async def test_a_broken_listener_does_not_break_jobs(make: Make) -> None:
    harness = await make()

    def broken(job: Job) -> None:
        raise RuntimeError("metrics are down")

    harness.engine.add_listener(broken)
    assert (await run(harness.engine, "echo")).status is JobStatus.SUCCEEDED


async def test_warm_up_runs_before_ready(make: Make, tmp_path: Path) -> None:
    not_on_celery(make, "warm-up runs in the worker processes (test_celery_backend.py)")
    marker = tmp_path / "prepared.txt"
    harness = await make(
        concurrency=2,
        initializer=Initializer("tests.engine.jobfuncs:prepare", (str(marker),)),
        start=False,
    )
    assert not ready(harness.engine)
    await harness.engine.start()
    assert ready(harness.engine)
    # Once per runner (threads share the process), once per worker process (one per slot,
    # plus the spare that stands in for a killed worker).
    expected = harness.capacity + 1 if harness.backend == "local-process" else 1
    assert len(marker.read_text().split()) == expected
    job = await run(harness.engine, "was_prepared")
    assert job.result is not None
    assert job.result["prepared"] >= 1
    await harness.engine.shutdown()
    assert not ready(harness.engine)


async def test_a_failed_warm_up_fails_start(make: Make) -> None:
    not_on_celery(make, "warm-up runs in the worker processes (test_celery_backend.py)")
    harness = await make(
        initializer=Initializer("tests.engine.jobfuncs:prepare_fails"), start=False
    )
    with pytest.raises(Exception, match="no model data"):
        await harness.engine.start()
    assert not harness.engine.ready


async def test_shutdown_lets_running_jobs_finish_within_grace(make: Make) -> None:
    harness = await make(shutdown_grace=2.0)
    engine = harness.engine
    async with anyio.create_task_group() as group:
        in_background(group, engine, "nap", {"seconds": 0.3}, "s1")
        await wait_running(engine, "s1")
        await engine.shutdown()
    assert (await engine.get("s1")).status is JobStatus.SUCCEEDED
    with pytest.raises(ShuttingDown):
        await engine.submit("echo", {})


async def test_shutdown_cancels_what_outlives_the_grace(make: Make) -> None:
    not_on_celery(make, "Celery jobs outlive an API process (test_celery_backend.py)")
    harness = await make(concurrency=1, shutdown_grace=0.2)
    engine = harness.engine
    ticker = Ticker(0.01)
    async with anyio.create_task_group() as group:
        group.start_soon(ticker.run)
        in_background(group, engine, "block", {"seconds": 1.0}, "long")
        await wait_running(engine, "long")
        if not harness.inline:
            await engine.submit("echo", {}, job_id="waiting")
        started = time.monotonic()
        await engine.shutdown()
        took = time.monotonic() - started
        group.cancel_scope.cancel()
    assert 0.15 <= took < 0.2 + 0.5, took
    long = await engine.get("long")
    assert long.status is JobStatus.CANCELLED
    assert long.error is not None
    assert long.error.code == "shutdown"
    if not harness.inline:
        waiting = await engine.get("waiting")
        assert (waiting.status, waiting.started_at) == (JobStatus.CANCELLED, None)
    assert ticker.worst < 0.5  # a shutdown that blocked would hold the loop for 1 s


async def test_stats_and_ping(make: Make) -> None:
    harness = await make(concurrency=2)
    await harness.engine.ping()
    stats = harness.engine.stats()
    assert (stats.queued, stats.running, stats.capacity) == (0, 0, harness.capacity)
