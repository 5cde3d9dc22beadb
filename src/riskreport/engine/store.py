"""The ``JobStore`` seam: where jobs live, so that any process can read any job by id.

Implementations: ``riskreport.storage.memory.MemoryJobStore`` (the in-memory twin) and
``riskreport.storage.sql.SqlJobStore`` (SQLite by default, PostgreSQL for scale-out). One contract
suite (``tests/storage/test_store_contract.py``) runs every implementation.

Every method of ``JobStore`` is a coroutine and must not block the event loop: the SQL store runs
its drivers in worker threads. ``BlockingJobStore`` is the synchronous few a Celery pool process
needs.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Protocol

from riskreport.engine.jobs import (
    JSON,
    Artifact,
    Job,
    JobError,
    JobPage,
    JobStatus,
    Progress,
    Recovered,
)


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

        Sets ``started_at`` and adds one to ``attempts`` when entering ``running``, and sets
        ``finished_at`` when entering a final state. Raises ``JobNotFound`` or
        ``IllegalTransition`` (checked with ``riskreport.engine.jobs.check_transition`` against
        the stored status, so two processes racing to finish the same job cannot both win).
        Returns the updated job.
        """

    async def get_artifact(self, job_id: str, name: str) -> Artifact:
        """Return one artifact; raise ``JobNotFound`` or ``ArtifactNotFound``."""

    async def put_artifact(self, job_id: str, artifact: Artifact) -> Artifact:
        """Store an artifact made after the job finished (a document rendered on request).

        The first one stored under a name wins: when two processes render the same document,
        the second gets the first's back, so every reader sees the same bytes. Raises
        ``JobNotFound``.
        """

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
        owner: str | None = None,
    ) -> JobPage:
        """Jobs newest first (``created_at`` then ``id`` descending), ``limit`` per page;
        only ``owner``'s jobs when given."""

    async def count_by_status(self) -> Mapping[JobStatus, int]:
        """How many jobs are in each state (for metrics)."""

    async def recover_running(
        self, *, max_attempts: int, error: JobError, at: datetime
    ) -> Recovered:
        """Return the jobs left ``running`` by a stopped process to ``queued``, for the next run.

        A job that has entered ``running`` ``max_attempts`` times already is failed with
        ``error`` instead (a job that keeps killing its process must not loop forever). Used at
        start-up, only while no other process runs jobs of this store.
        """

    async def requeue(self, job_id: str) -> bool:
        """Move a ``running`` job back to ``queued`` (progress and ``started_at`` cleared);
        False if it is no longer running. Used at shutdown for jobs that outlived the grace."""

    async def queued_jobs(self, *, created_before: datetime | None = None) -> builtins.list[Job]:
        """Every ``queued`` job (created before ``created_before`` if given), oldest first.

        Used at start-up to run again what a stopped process had accepted.
        """

    async def claim_idempotency(
        self, scope: str, key: str, digest: str, job_id: str, *, at: datetime, ttl: float
    ) -> tuple[str, str] | None:
        """Record that ``(scope, key)`` names ``job_id`` for a request with ``digest``.

        Returns None when the claim is new (a claim older than ``ttl`` seconds counts as
        absent and is replaced), else the ``(job_id, digest)`` claimed before.
        """

    async def release_idempotency(self, scope: str, key: str, job_id: str) -> None:
        """Drop the claim of ``job_id`` (its job was not admitted after all)."""

    async def purge_finished(self, *, before: datetime) -> int:
        """Delete jobs that reached a final state before ``before``, with their artifacts, and
        idempotency claims made before it; never a queued or running job. Returns the number of
        jobs deleted."""


class BlockingJobStore(Protocol):
    """The calls a Celery pool process makes on the store, synchronously, from the thread that
    runs the job: the same meaning as :class:`JobStore`'s methods of the same names.

    A pool process runs one job at a time and has no event loop to keep free, so each call
    runs on a connection of its own in the calling thread: no hop to a loop and then to a
    writer thread, which cost more CPU than the writes themselves (about 2.8 against 1 ms per
    trivial job on SQLite). Implementation: ``riskreport.storage.blocking.BlockingSqlJobStore``.
    """

    def ping(self) -> None:
        """Raise if the store cannot be reached (a pool process checks at warm-up)."""

    def get(self, job_id: str) -> Job:
        """Return the job or raise ``JobNotFound``."""

    def transition(
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
        """As :meth:`JobStore.transition`."""

    def restart(
        self, job_id: str, *, attempts: int, at: datetime, progress: Progress
    ) -> Job | None:
        """As :meth:`JobStore.restart`."""

    def start_and_finish(
        self,
        job: Job,
        *,
        started_at: datetime,
        start_progress: Progress,
        new: JobStatus,
        at: datetime,
        error: JobError | None = None,
        result: JSON | None = None,
        progress: Progress | None = None,
        artifacts: Iterable[Artifact] = (),
    ) -> tuple[Job, Job]:
        """Move the ``queued`` job ``job.id`` to ``running`` (at ``started_at``, with
        ``start_progress``) and on to the final state ``new`` (the other arguments as for
        :meth:`transition`) in one transaction: the job as each write left it. ``job`` is the
        job as the caller knows it: its kind and payload are not read back. Raises as
        :meth:`transition` does, having written nothing, when the start is refused."""

    def set_progress(self, job_id: str, progress: Progress) -> None:
        """As :meth:`JobStore.set_progress`."""

    def close(self) -> None:
        """Release the connection."""
