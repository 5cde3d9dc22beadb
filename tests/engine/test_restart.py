"""Jobs survive a restart: the SQL store reopened on the same file, a new engine over it."""

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


async def test_jobs_of_a_killed_process_read_as_interrupted_after_restart(tmp_path: Path) -> None:
    path = tmp_path / "jobs.db"
    command = [sys.executable, "-m", "tests.engine.dying_service", str(path)]
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

    store = SqlJobStore(f"sqlite:///{path}")
    await store.open()
    try:
        before = await store.get(running_id)
        assert before.status is JobStatus.RUNNING  # as the dead process left it
        engine = engine_on(store)
        await engine.start()
        for job_id in (running_id, queued_id):
            job = await engine.get(job_id)
            assert job.status is JobStatus.FAILED
            assert job.error is not None
            assert job.error.code == "interrupted"
            assert job.finished_at is not None
        await engine.shutdown()
    finally:
        await store.close()
