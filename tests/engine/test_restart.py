"""Jobs survive a restart: the SQL store reopened on the same file, a new engine over it; what a
killed process had accepted runs again."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import anyio
import pytest

from riskreport.engine.backends.local import LocalBackend
from riskreport.engine.engine import Engine
from riskreport.engine.jobs import JobStatus
from riskreport.engine.spec import JobSpec, RunnerKind
from riskreport.storage.sql import SqlJobStore
from tests.engine.conftest import until

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]

ROOT = Path(__file__).resolve().parents[2]


def engine_on(store: SqlJobStore) -> Engine:
    return Engine(
        store,
        LocalBackend(concurrency=1),
        [JobSpec("files", "tests.engine.jobfuncs:with_files", RunnerKind.THREAD)],
        queue_limit=5,
        job_timeout=5,
        shutdown_grace=1,
    )


async def test_finished_jobs_are_readable_after_a_restart(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    store = SqlJobStore(url)
    await store.open()
    engine = engine_on(store)
    await engine.start()
    job = await engine.wait((await engine.submit("files", {"n": 1})).id, timeout=5)
    assert job.status is JobStatus.SUCCEEDED
    await engine.shutdown()
    await store.close()

    store = SqlJobStore(url)
    await store.open()
    engine = engine_on(store)
    await engine.start()
    try:
        assert await engine.get(job.id) == job
        assert (await engine.artifact(job.id, "report.md")).data == b"# Report\n"
        page = await engine.list(status=JobStatus.SUCCEEDED)
        assert [j.id for j in page.items] == [job.id]
    finally:
        await engine.shutdown()
        await store.close()


async def killed_service(path: Path, marker: Path | None = None) -> tuple[str, str]:
    """Run ``dying_service`` until it has one job running and one queued, then SIGKILL it.
    With ``marker``, its jobs run in worker processes, the running one's pid written there."""
    command = [sys.executable, "-m", "tests.engine.dying_service", str(path)]
    if marker is not None:
        command.append(str(marker))
    async with await anyio.open_process(command, cwd=ROOT) as service:
        assert service.stdout is not None
        with anyio.fail_after(15):
            line = b""
            async for chunk in service.stdout:
                line += chunk
                if b"\n" in line:
                    break
        running_id, queued_id = line.decode().split()
        service.send_signal(signal.SIGKILL)
        assert await service.wait() == -signal.SIGKILL
    return running_id, queued_id


def restarted(store: SqlJobStore, *, max_attempts: int = 3, kind: str = "block") -> Engine:
    """A new engine on the dead service's store; its ``block`` jobs now echo at once."""
    return Engine(
        store,
        LocalBackend(concurrency=1),
        [JobSpec(kind, "tests.engine.jobfuncs:echo", RunnerKind.THREAD)],
        queue_limit=5,
        job_timeout=5,
        shutdown_grace=1,
        max_attempts=max_attempts,
    )


async def test_jobs_of_a_killed_process_run_again_after_restart(tmp_path: Path) -> None:
    path = tmp_path / "jobs.db"
    running_id, queued_id = await killed_service(path)
    store = SqlJobStore(f"sqlite:///{path}")
    await store.open()
    try:
        before = await store.get(running_id)
        assert (before.status, before.attempts) == (JobStatus.RUNNING, 1)  # as the dead left it
        engine = restarted(store)
        await engine.start()
        done = [await engine.wait(job_id, timeout=5) for job_id in (running_id, queued_id)]
        await engine.shutdown()
    finally:
        await store.close()
    assert [job.status for job in done] == [JobStatus.SUCCEEDED] * 2
    assert [job.attempts for job in done] == [2, 1]
    assert [job.result["job_id"] for job in done if job.result] == [running_id, queued_id]


async def test_a_job_at_the_attempt_limit_fails_as_interrupted(tmp_path: Path) -> None:
    path = tmp_path / "jobs.db"
    running_id, queued_id = await killed_service(path)
    store = SqlJobStore(f"sqlite:///{path}")
    await store.open()
    try:
        engine = restarted(store, max_attempts=1)
        await engine.start()
        stopped, queued = [
            await engine.wait(job_id, timeout=5) for job_id in (running_id, queued_id)
        ]
        await engine.shutdown()
    finally:
        await store.close()
    assert stopped.status is JobStatus.FAILED
    assert stopped.error is not None
    assert stopped.error.code == "interrupted"
    assert stopped.finished_at is not None
    assert queued.status is JobStatus.SUCCEEDED  # never started: the limit does not apply


async def test_a_kind_the_restarted_service_lacks_fails_its_jobs(tmp_path: Path) -> None:
    path = tmp_path / "jobs.db"
    ids = await killed_service(path)
    store = SqlJobStore(f"sqlite:///{path}")
    await store.open()
    try:
        engine = restarted(store, kind="other")
        await engine.start()
        jobs = [await engine.get(job_id) for job_id in ids]
        await engine.shutdown()
    finally:
        await store.close()
    assert [job.status for job in jobs] == [JobStatus.FAILED] * 2
    assert all(job.error is not None and job.error.code == "interrupted" for job in jobs)


def running(pid: int) -> bool:
    """True while ``pid`` runs (a zombie, killed and not yet reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parent-death signal: Linux")
async def test_a_killed_services_worker_process_does_not_run_its_job_on(tmp_path: Path) -> None:
    # The job blocks for 60 s without a progress report, so nothing would tell its worker
    # process that the service is gone; meanwhile a restarted service runs the job again.
    marker = tmp_path / "worker.pid"
    await killed_service(tmp_path / "jobs.db", marker)  # killed once the job has begun
    worker = int(marker.read_text())

    async def gone() -> bool:
        return not running(worker)

    await until(gone, within=10)
