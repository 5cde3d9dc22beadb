"""The engine's small parts: specs, outcomes, the run context, the notifier, the engine's
own admission rules."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import anyio
import pytest

from riskreport.engine.backends.inline import InlineBackend
from riskreport.engine.backends.local import LocalBackend
from riskreport.engine.context import RunContext
from riskreport.engine.engine import Engine
from riskreport.engine.errors import JobCancelled, JobDeadlineExceeded, ShuttingDown
from riskreport.engine.events.notifier import LocalNotifier, woken
from riskreport.engine.events.shared import SharedNotifier
from riskreport.engine.jobs import Artifact, Job, JobError, JobStatus, Progress
from riskreport.engine.outcome import FAILED_MESSAGE, Outcome
from riskreport.engine.spec import Initializer, JobSpec, RunnerKind, resolve
from riskreport.storage.memory import MemoryJobStore

pytestmark = pytest.mark.timeout(10)


def test_specs_name_functions_by_dotted_path() -> None:
    spec = JobSpec("echo", "tests.engine.jobfuncs:echo", RunnerKind.PROCESS)
    assert resolve(spec.function).__name__ == "echo"
    assert RunnerKind("thread") is RunnerKind.THREAD
    with pytest.raises(ValueError, match=r"package\.module:function"):
        JobSpec("bad", "tests.engine.jobfuncs.echo")
    with pytest.raises(ValueError, match=r"package\.module:function"):
        Initializer("nocolon")
    with pytest.raises(AttributeError):
        resolve("tests.engine.jobfuncs:missing")


@dataclass
class _Output:
    result: dict[str, Any]
    artifacts: dict[str, tuple[str, bytes]]


def test_outcomes_of_return_values() -> None:
    assert Outcome.of({"a": (1, 2)}) == Outcome(JobStatus.SUCCEEDED, result={"a": [1, 2]})
    out = Outcome.of(_Output({"x": 1}, {"r.md": ("text/markdown", b"#")}))
    assert out.artifacts == (Artifact("r.md", "text/markdown", b"#"),)
    with pytest.raises(TypeError):
        Outcome.of([1, 2])
    with pytest.raises(TypeError):
        Outcome.of(_Output({"x": 1}, {"r.md": ("text/markdown", "not bytes")}))  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="JSON"):
        Outcome.of({"x": float("nan")})
    with pytest.raises(ValueError, match="final"):
        Outcome(JobStatus.RUNNING)


def test_outcomes_of_exceptions() -> None:
    assert Outcome.from_exception(JobCancelled("stop")).status is JobStatus.CANCELLED
    timed_out = Outcome.from_exception(JobDeadlineExceeded("late"))
    assert (timed_out.status, timed_out.error and timed_out.error.code) == (
        JobStatus.TIMED_OUT,
        "timeout",
    )
    failed = Outcome.from_exception(KeyError("/srv/secret/path lat"))
    assert failed.error is not None
    assert (failed.status, failed.error.code, failed.error.message) == (
        JobStatus.FAILED,
        "error",
        FAILED_MESSAGE,
    )
    assert "secret" not in failed.error.message


class _Unpriced(Exception):
    public_code = "no_price_data"
    public_message = "no building prices are known for this region"


def test_an_exception_meant_for_clients_keeps_its_code_and_words() -> None:
    failed = Outcome.from_exception(_Unpriced("internal detail"))
    assert failed.error == JobError("no_price_data", "no building prices are known for this region")


def test_run_context_checks_cancel_and_deadline() -> None:
    token = threading.Event()
    reports: list[Progress] = []
    ctx = RunContext("j1", deadline=time.monotonic() + 0.05, cancel=token, sink=reports.append)
    ctx.report(0.5, "half")
    assert reports == [Progress(0.5, "half")]
    with pytest.raises(ValueError, match="fraction"):
        ctx.report(1.5, "too far")
    assert 0 < ctx.remaining() <= 0.05
    ctx.check()
    token.set()
    assert ctx.cancelled()
    with pytest.raises(JobCancelled):
        ctx.check()
    late = RunContext("j2", deadline=time.monotonic() - 1, cancel=None, sink=reports.append)
    assert late.remaining() == 0.0
    assert not late.cancelled()
    with pytest.raises(JobDeadlineExceeded):
        late.check()


@pytest.mark.anyio
async def test_the_notifier_wakes_waiters_of_that_job_only() -> None:
    notifier = LocalNotifier()
    heard: list[str] = []

    async def wait_for(job_id: str) -> None:
        assert await woken(notifier.waiter(job_id), within=5)
        heard.append(job_id)

    async with anyio.create_task_group() as group:
        group.start_soon(wait_for, "a")
        group.start_soon(wait_for, "a")
        group.start_soon(wait_for, "b")
        await anyio.sleep(0.01)
        notifier.publish("a")
        notifier.publish("c")  # nobody waits: nothing kept
        await anyio.sleep(0.01)
        assert heard == ["a", "a"]
        assert len(notifier) == 1
        notifier.forget("b")
        group.cancel_scope.cancel()
    assert len(notifier) == 0


@pytest.mark.anyio
async def test_the_notifier_hands_a_final_job_to_its_waiters() -> None:
    notifier = LocalNotifier()
    running = Job(id="a", kind="k", payload={}, status=JobStatus.RUNNING)
    done = Job(id="a", kind="k", payload={}, status=JobStatus.SUCCEEDED, result={"x": 1})
    any_change, final_only = notifier.waiter("a"), notifier.waiter("a", final_only=True)
    notifier.publish("a")  # a change that is not final: read the store
    assert any_change.result() is None
    assert not final_only.done()
    with pytest.raises(ValueError, match="final"):
        notifier.publish("a", running)
    notifier.publish("a", done)
    assert final_only.result() is done


class Notices:
    """A change bus that only records what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bool]] = []

    def publish(self, job_id: str, final: bool) -> None:
        self.sent.append((job_id, final))

    async def listen(self, *args: object, **kwargs: object) -> None:
        raise NotImplementedError

    async def aclose(self) -> None:
        return None


@pytest.mark.anyio
async def test_a_change_elsewhere_wakes_waiters_to_read_and_final_only_ones_when_final() -> None:
    notices = Notices()
    notifier = SharedNotifier(notices)
    any_change, final_only = notifier.waiter("a"), notifier.waiter("a", final_only=True)
    notifier.nudge("a", final=False)  # another process reported progress
    assert any_change.result() is None
    assert not final_only.done()
    notifier.nudge("a", final=True)  # another process finished it: read it from the store
    assert final_only.done()
    assert final_only.result() is None
    # What this process announces goes to the others too, saying whether it is final.
    done = Job(id="b", kind="k", payload={}, status=JobStatus.SUCCEEDED)
    notifier.publish("b")
    notifier.publish("b", done)
    assert notices.sent == [("b", False), ("b", True)]
    # After a break in listening, every waiter reads again.
    waiters = [notifier.waiter("c"), notifier.waiter("d", final_only=True)]
    notifier.nudge_all()
    assert [w.result() for w in waiters] == [None, None]
    assert len(notifier) == 0


class BrokenBus(Notices):
    """A bus whose listening fails at once, as one would on a database it cannot use."""

    async def listen(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError("no LISTEN here")


@pytest.mark.anyio
async def test_a_bus_that_stops_listening_is_logged_and_waits_poll_the_store(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bus = BrokenBus()
    engine = Engine(
        MemoryJobStore(),
        LocalBackend(concurrency=1, shared_store=True, store_poll_interval=0.05),
        [JobSpec("echo", "tests.engine.jobfuncs:echo", RunnerKind.THREAD)],
        queue_limit=5,
        job_timeout=5,
        shutdown_grace=1,
        changes=bus,
    )
    with caplog.at_level(logging.ERROR, logger="riskreport.engine"):
        await engine.start()
        job = await engine.submit("echo", {"value": 1})
        assert (await engine.wait(job.id, timeout=5)).status is JobStatus.SUCCEEDED
        await engine.shutdown()
    assert "stopped hearing other processes' job changes" in caplog.text
    assert (job.id, True) in bus.sent  # what it writes is still told


class CountingStore(MemoryJobStore):
    """The memory store, counting reads of single jobs."""

    def __init__(self) -> None:
        super().__init__()
        self.gets = 0

    async def get(self, job_id: str) -> Job:
        self.gets += 1
        return await super().get(job_id)


@pytest.mark.anyio
async def test_waiting_reads_the_store_only_for_jobs_not_known_to_be_queued() -> None:
    # Engine.wait needs no read for a job admitted here and still queued (its changes are
    # announced here), and none for the final state, which arrives with the wake-up; a job
    # that has left the queue is read once.
    store = CountingStore()
    specs = [JobSpec("nap", "tests.engine.jobfuncs:nap", RunnerKind.THREAD)]
    engine = Engine(
        store, LocalBackend(concurrency=1), specs, queue_limit=5, job_timeout=5, shutdown_grace=1
    )
    await engine.start()
    try:
        first = await engine.submit("nap", {"seconds": 0.2})
        second = await engine.submit("nap", {"seconds": 0.01})  # queued behind the first
        finished = await engine.wait(second.id, timeout=5)
        assert finished.status is JobStatus.SUCCEEDED
        assert store.gets == 0
        earlier = await engine.wait(first.id, timeout=5)  # final already: read once
        assert earlier.status is JobStatus.SUCCEEDED
        assert store.gets == 1
        third = await engine.submit("nap", {"seconds": 0.2})
        fourth = await engine.submit("nap", {"seconds": 0.01})
        # No time to wait: the job as it is, read (once) at the end of the wait.
        assert (await engine.wait(fourth.id, timeout=0)).status is JobStatus.QUEUED
        assert store.gets == 2
        assert (await engine.wait(third.id, timeout=5)).status is JobStatus.SUCCEEDED
        assert finished == await store.get(second.id)
    finally:
        await engine.shutdown()


def _engine(**kwargs: Any) -> Engine:
    options: dict[str, Any] = {"queue_limit": 1, "job_timeout": 5.0, "shutdown_grace": 1.0}
    options.update(kwargs)
    specs = [JobSpec("echo", "tests.engine.jobfuncs:echo")]
    return Engine(MemoryJobStore(), InlineBackend(), specs, **options)


def test_engine_refuses_bad_settings_and_duplicate_kinds() -> None:
    with pytest.raises(ValueError, match="two job specs"):
        Engine(
            MemoryJobStore(),
            InlineBackend(),
            [JobSpec("a", "m:f"), JobSpec("a", "m:g")],
            queue_limit=1,
            job_timeout=1,
            shutdown_grace=1,
        )
    with pytest.raises(ValueError, match="job_timeout"):
        _engine(job_timeout=0)


@pytest.mark.anyio
async def test_submit_before_start_and_after_shutdown_is_refused() -> None:
    engine = _engine()
    with pytest.raises(ShuttingDown, match="not started"):
        await engine.submit("echo", {})
    await engine.start()
    assert (await engine.wait((await engine.submit("echo", {})).id)).status is JobStatus.SUCCEEDED
    await engine.shutdown()
    await engine.shutdown()  # twice is harmless
    with pytest.raises(ShuttingDown, match="shutting down") as raised:
        await engine.submit("echo", {})
    assert raised.value.retry_after > 0


@pytest.mark.anyio
async def test_queue_limit_zero_still_admits_into_a_free_slot() -> None:
    engine = _engine(queue_limit=0)
    await engine.start()
    job = await engine.submit("echo", {}, job_id="given-id")
    assert job.id == "given-id"
    assert (await engine.get("given-id")).status is JobStatus.SUCCEEDED
    await engine.shutdown()


@pytest.mark.anyio
async def test_an_inline_job_whose_caller_leaves_is_not_left_running() -> None:
    specs = [JobSpec("nap", "tests.engine.jobfuncs:nap")]
    engine = Engine(
        MemoryJobStore(), InlineBackend(), specs, queue_limit=1, job_timeout=5, shutdown_grace=1
    )
    await engine.start()
    with anyio.move_on_after(0.2):
        await engine.submit("nap", {"seconds": 5}, job_id="left")
    job = await engine.get("left")
    assert job.status is JobStatus.CANCELLED
    assert job.error is not None
    assert job.error.code == "cancelled"
    await engine.shutdown()


@pytest.mark.anyio
async def test_a_duplicate_job_id_is_refused() -> None:
    engine = _engine(queue_limit=5)
    await engine.start()
    await engine.submit("echo", {}, job_id="same")
    with pytest.raises(ValueError, match="exists"):
        await engine.submit("echo", {}, job_id="same")
    assert engine.stats().queued == 0
    await engine.shutdown()
