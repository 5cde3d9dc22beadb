"""The ``JobStore`` seam: where jobs live, so that any process can read any job by id.

Implementations: ``riskreport.storage.memory.MemoryJobStore`` (the in-memory twin) and
``riskreport.storage.sql.SqlJobStore`` (SQLite by default, PostgreSQL for scale-out). One contract
suite (``tests/storage/test_store_contract.py``) runs every implementation.

Every method is a coroutine and must not block the event loop: the SQL store uses async drivers.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Protocol

from riskreport.engine.jobs import JSON, Artifact, Job, JobError, JobPage, JobStatus, Progress


class JobStore(Protocol):
    async def open(self) -> None:
        """Create tables or connections. Called once at start-up, off the request path."""

    async def close(self) -> None:
        """Release connections. Called once at shutdown."""

    async def ping(self) -> None:
        """Raise if the store cannot be reached (used by ``/readyz``)."""

    async def create(self, job: Job) -> None:
        """Insert a new job (status ``queued``). Raises ``ValueError`` on a duplicate id."""

    async def get(self, job_id: str) -> Job:
        """Return the job or raise ``JobNotFound``."""

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
        """Move a job to ``new`` atomically (compare-and-set on the current status).

        ``artifacts`` (with a move to ``succeeded``) are stored in the same transaction.

        Sets ``started_at`` when entering ``running`` and ``finished_at`` when entering a final
        state. Raises ``JobNotFound`` or ``IllegalTransition`` (checked with
        ``riskreport.engine.jobs.check_transition`` against the stored status, so two processes
        racing to finish the same job cannot both win). Returns the updated job.
        """

    async def get_artifact(self, job_id: str, name: str) -> Artifact:
        """Return one artifact; raise ``JobNotFound`` or ``ArtifactNotFound``."""

    async def set_progress(self, job_id: str, progress: Progress) -> None:
        """Record progress of a running job; ignored (no error) once the job is final."""

    async def restart(
        self, job_id: str, *, attempts: int, at: datetime, progress: Progress
    ) -> Job | None:
        """Start a job found ``running`` again (its worker died): one more attempt.

        A compare-and-set on ``status = running`` and ``attempts``: sets ``started_at`` and
        ``progress`` and adds one to ``attempts``, and returns the job; None when the job is no
        longer running with that count (it finished, or another delivery restarted it first).
        Raises ``JobNotFound``.
        """

    async def list(
        self,
        *,
        status: JobStatus | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> JobPage:
        """Jobs newest first (``created_at`` then ``id`` descending), ``limit`` per page."""

    async def count_by_status(self) -> Mapping[JobStatus, int]:
        """How many jobs are in each state (for metrics)."""

    async def fail_unfinished(
        self, statuses: Iterable[JobStatus], error: JobError, *, at: datetime
    ) -> builtins.list[str]:
        """Mark every job in ``statuses`` as failed with ``error``; return their ids.

        Used at start-up to recover jobs a dead process left ``running``.
        """
