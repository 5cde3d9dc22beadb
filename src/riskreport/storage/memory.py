"""The in-memory ``JobStore`` twin: same contract as the SQL store, nothing survives a restart.

For tests and the one-shot CLI. Payloads and results are copied through JSON on the way in, as a
database would, so a test that passes here does not rely on shared mutable objects.

Use::

    store = MemoryJobStore()
    await store.open()
"""

from __future__ import annotations

import builtins
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from riskreport.engine.encoded import EncodedJSON, json_copy
from riskreport.engine.errors import ArtifactNotFound, JobNotFound
from riskreport.engine.jobs import (
    JSON,
    Artifact,
    Job,
    JobError,
    JobPage,
    JobStatus,
    Progress,
    Recovered,
    check_transition,
)
from riskreport.storage.cursor import decode_cursor, encode_cursor


class MemoryJobStore:
    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._artifacts: dict[tuple[str, str], Artifact] = {}
        self._claims: dict[tuple[str, str], tuple[str, str, datetime]] = {}

    async def open(self) -> None:
        """Nothing to open."""

    async def close(self) -> None:
        """Nothing to release; the jobs stay readable (tests look at them after shutdown)."""

    async def ping(self) -> None:
        """Always reachable."""

    async def create(self, job: Job) -> None:
        if job.id in self._jobs:
            raise ValueError(f"a job with id {job.id!r} exists already")
        self._jobs[job.id] = job.evolve(
            payload=_json_copy(job.payload),
            created_at=_utc(job.created_at),
            started_at=None if job.started_at is None else _utc(job.started_at),
            finished_at=None if job.finished_at is None else _utc(job.finished_at),
        )

    async def get(self, job_id: str) -> Job:
        return self._find(job_id)

    def _find(self, job_id: str) -> Job:
        try:
            return self._jobs[job_id]
        except KeyError:
            raise JobNotFound(job_id) from None

    async def transition(
        self,
        job_id: str,
        new: JobStatus,
        *,
        at: datetime,
        error: JobError | None = None,
        result: JSON | None = None,
        progress: Progress | None = None,
        artifacts: Iterable[Artifact] = (),
    ) -> Job:
        # No await between the check and the write: the compare-and-set is atomic on the loop.
        job = self._find(job_id)
        check_transition(job.status, new)
        changes: dict[str, Any] = {"status": new}
        if new is JobStatus.RUNNING:
            changes["started_at"] = _utc(at)
            changes["attempts"] = job.attempts + 1
        if new.is_final:
            changes["finished_at"] = _utc(at)
        if error is not None:
            changes["error"] = error
        if result is not None:
            changes["result"] = _json_copy(result)
        if progress is not None:
            changes["progress"] = progress
        job = self._jobs[job_id] = job.evolve(**changes)
        for artifact in artifacts:
            self._artifacts[(job_id, artifact.name)] = artifact
        return job

    async def get_artifact(self, job_id: str, name: str) -> Artifact:
        self._find(job_id)
        try:
            return self._artifacts[(job_id, name)]
        except KeyError:
            raise ArtifactNotFound(job_id, name) from None

    async def put_artifact(self, job_id: str, artifact: Artifact) -> Artifact:
        self._find(job_id)
        return self._artifacts.setdefault((job_id, artifact.name), artifact)

    async def set_progress(self, job_id: str, progress: Progress) -> None:
        job = self._find(job_id)
        if job.status is JobStatus.RUNNING:
            self._jobs[job_id] = job.evolve(progress=progress)

    async def restart(
        self, job_id: str, *, attempts: int, at: datetime, progress: Progress
    ) -> Job | None:
        job = self._find(job_id)
        if job.status is not JobStatus.RUNNING or job.attempts != attempts:
            return None
        job = self._jobs[job_id] = job.evolve(
            started_at=_utc(at), progress=progress, attempts=attempts + 1
        )
        return job

    async def list(
        self,
        *,
        status: JobStatus | None = None,
        limit: int = 50,
        cursor: str | None = None,
        owner: str | None = None,
    ) -> JobPage:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        jobs = sorted(
            (
                j
                for j in self._jobs.values()
                if (status is None or j.status is status) and (owner is None or j.owner == owner)
            ),
            key=lambda j: (j.created_at, j.id),
            reverse=True,
        )
        if cursor is not None:
            after = decode_cursor(cursor)
            jobs = [j for j in jobs if (j.created_at, j.id) < after]
        items = tuple(jobs[:limit])
        more = len(jobs) > limit
        next_cursor = encode_cursor(items[-1].created_at, items[-1].id) if more else None
        return JobPage(items=items, next_cursor=next_cursor)

    async def count_by_status(self) -> Mapping[JobStatus, int]:
        counts = dict.fromkeys(JobStatus, 0)
        for job in self._jobs.values():
            counts[job.status] += 1
        return counts

    async def recover_running(
        self, *, max_attempts: int, error: JobError, at: datetime
    ) -> Recovered:
        requeued, failed = [], []
        for job in list(self._jobs.values()):
            if job.status is not JobStatus.RUNNING:
                continue
            if job.attempts >= max_attempts:
                self._jobs[job.id] = job.evolve(
                    status=JobStatus.FAILED, error=error, finished_at=_utc(at)
                )
                failed.append(job.id)
            else:
                self._jobs[job.id] = _back_in_queue(job)
                requeued.append(job.id)
        return Recovered(requeued=tuple(requeued), failed=tuple(failed))

    async def requeue(self, job_id: str) -> bool:
        job = self._find(job_id)
        if job.status is not JobStatus.RUNNING:
            return False
        self._jobs[job_id] = _back_in_queue(job)
        return True

    async def queued_jobs(self, *, created_before: datetime | None = None) -> builtins.list[Job]:
        jobs = [
            j
            for j in self._jobs.values()
            if j.status is JobStatus.QUEUED
            and (created_before is None or j.created_at < created_before)
        ]
        return sorted(jobs, key=lambda j: (j.created_at, j.id))

    async def claim_idempotency(
        self, scope: str, key: str, digest: str, job_id: str, *, at: datetime, ttl: float
    ) -> tuple[str, str] | None:
        found = self._claims.get((scope, key))
        if found is not None and (at - found[2]).total_seconds() < ttl:
            return found[0], found[1]
        self._claims[(scope, key)] = (job_id, digest, _utc(at))
        return None

    async def release_idempotency(self, scope: str, key: str, job_id: str) -> None:
        if self._claims.get((scope, key), ("",))[0] == job_id:
            del self._claims[(scope, key)]

    async def purge_finished(self, *, before: datetime) -> int:
        old = [
            job.id
            for job in self._jobs.values()
            if job.status.is_final and job.finished_at is not None and job.finished_at < before
        ]
        for job_id in old:
            del self._jobs[job_id]
        self._artifacts = {k: a for k, a in self._artifacts.items() if k[0] in self._jobs}
        self._claims = {k: c for k, c in self._claims.items() if c[2] >= before}
        return len(old)


def _back_in_queue(job: Job) -> Job:
    return job.evolve(status=JobStatus.QUEUED, started_at=None, progress=Progress())


def _json_copy(value: Mapping[str, Any]) -> JSON:
    """A deep copy that holds only what a JSON column would give back (and refuses the rest),
    so the result matches the SQL store exactly (:func:`~riskreport.engine.encoded.json_copy`)."""
    if isinstance(value, EncodedJSON):
        decoded: JSON = json.loads(value.text)  # what the SQL store would read back
        return decoded
    return json_copy(value)


def _utc(at: datetime) -> datetime:
    """As the SQL store does: refuse naive datetimes, keep the instant, in UTC."""
    if at.tzinfo is None:
        raise ValueError("job timestamps must be timezone-aware")
    return at.astimezone(UTC)
