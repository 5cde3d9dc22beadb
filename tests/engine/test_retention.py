"""Retention purges old finished jobs periodically, never a queued or running one."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from riskreport.engine.jobs import Job, JobStatus, utcnow
from riskreport.engine.retention import Retention
from riskreport.storage.memory import MemoryJobStore

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(10)]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def test_the_periodic_purge_keeps_recent_and_unfinished_jobs() -> None:
    store = MemoryJobStore()
    long_ago = utcnow() - timedelta(days=10)
    for job_id, status in (("done", JobStatus.SUCCEEDED), ("busy", JobStatus.RUNNING)):
        await store.create(Job(id=job_id, kind="k", payload={}, created_at=long_ago))
        await store.transition(job_id, JobStatus.RUNNING, at=long_ago)
        if status is JobStatus.SUCCEEDED:
            await store.transition(job_id, status, at=long_ago)
    await store.create(Job(id="fresh", kind="k", payload={}))
    await store.transition("fresh", JobStatus.RUNNING, at=utcnow())
    await store.transition("fresh", JobStatus.FAILED, at=utcnow())

    retention = Retention(store, days=7, interval=0.05)
    retention.start()
    await asyncio.sleep(0.2)  # several purges
    await retention.stop()
    page = await store.list()
    assert sorted(job.id for job in page.items) == ["busy", "fresh"]


def test_retention_needs_positive_days() -> None:
    with pytest.raises(ValueError, match="days > 0"):
        Retention(MemoryJobStore(), days=0)
