"""The writes of one job that group commit may merge: creating it, moving it, its progress.

Each is a :class:`~riskreport.storage.group_commit.RowWrites` kind keyed by job id: the writes of
a batch that arrive together (16 jobs finishing, 16 others starting) become one multi-row
``INSERT`` or one ``UPDATE ... FROM new ... RETURNING`` per kind
(:mod:`riskreport.storage.statements`), one round trip to PostgreSQL instead of one per job.
Each write still gets what it would have got alone: a transition is a compare-and-set, and the
jobs it did not return were in a state that cannot move there (``IllegalTransition``) or are
absent (``JobNotFound``), having written nothing.

Use (with the store's writer)::

    writes = JobWrites(statements)
    await writer.run(writes.create(job))
    job = await writer.run(writes.transition(job_id, JobStatus.RUNNING, at=now))
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.engine import Connection

from riskreport.engine.encoded import EncodedJSON
from riskreport.engine.errors import IllegalTransition, JobNotFound
from riskreport.engine.jobs import JSON, Artifact, Job, JobError, JobStatus, Progress
from riskreport.storage.group_commit import RowWrite, RowWrites
from riskreport.storage.rows import (
    artifact_row,
    error_json,
    job_from_row,
    progress_json,
    require_aware,
    row_values,
)
from riskreport.storage.statements import NEW, Statements, parameters


@dataclass(frozen=True, slots=True)
class Moved:
    """A transition's parameters: the columns it sets, and the artifacts it adds."""

    values: Mapping[str, Any]  # column -> value, the columns of its kind
    artifacts: Sequence[Mapping[str, Any]]  # rows of the artifacts table


class Create(RowWrites[Mapping[str, Any], None]):
    """Insert jobs (one row each); a duplicate id fails the whole statement, so the batch is
    written again one job at a time and only its caller gets the ``IntegrityError``."""

    def __init__(self, statements: Statements) -> None:
        self._statements = statements

    def write_all(
        self, conn: Connection, writes: Sequence[RowWrite[Mapping[str, Any], None]]
    ) -> list[Exception | None]:
        rows = [write.params for write in writes]
        conn.execute(self._statements.insert_job, rows[0] if len(rows) == 1 else rows)
        return [None] * len(writes)


class Transition(RowWrites[Moved, Job]):
    """Move jobs to ``new`` setting ``columns``; each write's result is its job as stored."""

    def __init__(self, statements: Statements, new: JobStatus, columns: tuple[str, ...]) -> None:
        self._statements = statements
        self.new = new
        self.columns = columns

    def write_all(
        self, conn: Connection, writes: Sequence[RowWrite[Moved, Job]]
    ) -> list[Job | Exception]:
        update = self._statements.transition(self.new, self.columns, count=len(writes))
        rows = [
            {"job_id": write.row}
            | {f"{NEW}{column}": write.params.values[column] for column in self.columns}
            for write in writes
        ]
        # A row that sets the result comes back without it (statements.transition): the job
        # carries the result its write was given.
        given = {write.row: write.params.values.get("result") for write in writes}
        moved = {
            row.id: job_from_row(row, result=given[row.id])
            for row in conn.execute(update, parameters(rows))
        }
        artifacts = [
            artifact
            for write in writes
            if write.row in moved
            for artifact in write.params.artifacts
        ]
        if artifacts:
            conn.execute(self._statements.insert_artifacts, artifacts)
        refused = _statuses(conn, self._statements, [w.row for w in writes if w.row not in moved])
        return [
            moved[write.row]
            if write.row in moved
            else _refusal(write.row, refused.get(write.row), self.new)
            for write in writes
        ]


class SetProgress(RowWrites[Mapping[str, Any], None]):
    """Set the progress of running jobs; ignored for jobs no longer running, ``JobNotFound``
    for absent ones."""

    def __init__(self, statements: Statements) -> None:
        self._statements = statements

    def write_all(
        self, conn: Connection, writes: Sequence[RowWrite[Mapping[str, Any], None]]
    ) -> list[Exception | None]:
        update = self._statements.set_progress(count=len(writes))
        rows = [{"job_id": write.row, f"{NEW}progress": write.params} for write in writes]
        changed = set(conn.execute(update, parameters(rows)).scalars())
        present = _statuses(conn, self._statements, [w.row for w in writes if w.row not in changed])
        return [
            None if write.row in changed or write.row in present else JobNotFound(write.row)
            for write in writes
        ]


class JobWrites:
    """The job writes of one store, each of a kind that may share a statement."""

    def __init__(self, statements: Statements, *, runner: str | None = None) -> None:
        """``runner``: the process whose lease covers the jobs this store creates and starts
        (:mod:`riskreport.storage.leases`), stamped on each; None stamps nothing."""
        self._statements = statements
        self._runner = None if runner is None else {"runner": runner}
        self._create = Create(statements)
        self._progress = SetProgress(statements)
        self._transitions: dict[tuple[JobStatus, tuple[str, ...]], Transition] = {}

    def create(self, job: Job) -> RowWrite[Mapping[str, Any], None]:
        row = row_values(job)
        if self._runner is not None:
            row |= self._runner
        return self._create.write(job.id, row)

    def progress(self, job_id: str, progress: Progress) -> RowWrite[Mapping[str, Any], None]:
        return self._progress.write(job_id, progress_json(progress))

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
    ) -> RowWrite[Moved, Job]:
        """Move ``job_id`` to ``new`` at ``at``: of the kind of the transitions to ``new`` that
        set the same columns."""
        require_aware(at)
        values: dict[str, Any] = {}
        if new is JobStatus.RUNNING:
            values["started_at"] = at
            if self._runner is not None:
                values |= self._runner  # the one that starts it holds it now
        if new.is_final:
            values["finished_at"] = at
        values |= _changes(error, result, progress)
        key = (new, tuple(values))
        kind = self._transitions.get(key)
        if kind is None:
            kind = self._transitions[key] = Transition(self._statements, *key)
        moved = Moved(values, [artifact_row(job_id, artifact) for artifact in artifacts])
        return kind.write(job_id, moved)


def read_job(conn: Connection, statements: Statements, job_id: str) -> Job:
    """The job ``job_id`` as stored; ``JobNotFound`` if absent."""
    row = conn.execute(statements.get_job, {"job_id": job_id}).first()
    if row is None:
        raise JobNotFound(job_id)
    return job_from_row(row)


def restart_job(
    conn: Connection,
    statements: Statements,
    job_id: str,
    *,
    attempts: int,
    at: datetime,
    progress: Progress,
) -> Job | None:
    """Start a ``running`` job with ``attempts`` starts again (compare-and-set); None if it
    moved on meanwhile, ``JobNotFound`` if absent (see ``JobStore.restart``)."""
    require_aware(at)
    params = {
        "job_id": job_id,
        "attempts": attempts,
        f"{NEW}started_at": at,
        f"{NEW}progress": progress_json(progress),
    }
    row = conn.execute(statements.restart, params).first()
    if row is None:
        read_job(conn, statements, job_id)  # JobNotFound; else it moved on
        return None
    return job_from_row(row)


def start_and_finish(
    conn: Connection,
    statements: Statements,
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
    """Move the ``queued`` job ``job.id`` through ``running`` (at ``started_at``) to the final
    state ``new`` (at ``at``) in one statement: the job as it was running and as it ended.
    ``IllegalTransition`` or ``JobNotFound``, having written nothing, when it was not queued.

    ``job`` is the job as its worker knows it: its kind and payload are taken as they are (the
    worker got them with the job's message); its creation time, attempts and owner come back
    from the row. The row goes from ``queued`` to ``new`` at once, as a transaction holding
    both transitions would leave it, and nobody can see the state between them: the job "as
    running" is what the first of them would have returned.
    """
    require_aware(started_at)
    require_aware(at)
    if not new.is_final:
        raise ValueError(f"{new.value} is not a final state")
    values: dict[str, Any] = {"started_at": started_at, "finished_at": at}
    # A job that failed keeps the progress it was started with, as after two transitions.
    values |= _changes(error, result, progress or start_progress)
    update = statements.start_and_finish(new, tuple(values))
    params = {"job_id": job.id} | {f"{NEW}{column}": value for column, value in values.items()}
    row = conn.execute(update, params).first()
    if row is None:
        raise _refusal(job.id, _statuses(conn, statements, [job.id]).get(job.id), JobStatus.RUNNING)
    rows = [artifact_row(job.id, artifact) for artifact in artifacts]
    if rows:
        conn.execute(statements.insert_artifacts, rows)
    running = Job(
        id=job.id,
        kind=job.kind,
        payload=job.payload,
        status=JobStatus.RUNNING,
        created_at=row.created_at,
        started_at=started_at.astimezone(UTC),
        progress=start_progress,
        attempts=int(row.attempts),
        owner=row.owner,
    )
    done = running.evolve(
        status=new,
        finished_at=at.astimezone(UTC),
        progress=progress or start_progress,
        error=error,
        result=result.decoded() if isinstance(result, EncodedJSON) else result,
    )
    return running, done


def _changes(
    error: JobError | None, result: JSON | None, progress: Progress | None
) -> dict[str, Any]:
    """The columns a transition sets besides its times."""
    values: dict[str, Any] = {}
    if error is not None:
        values["error"] = error_json(error)
    if result is not None:
        # Text encoded where the job ran goes to the column as it is (sql.dump_json).
        values["result"] = result if isinstance(result, EncodedJSON) else dict(result)
    if progress is not None:
        values["progress"] = progress_json(progress)
    return values


def _statuses(conn: Connection, statements: Statements, job_ids: list[str]) -> dict[str, str]:
    """The states of the jobs ``job_ids`` that exist."""
    if not job_ids:
        return {}
    rows = conn.execute(statements.statuses, {"job_ids": job_ids})
    return {str(job_id): str(status) for job_id, status in rows}


def _refusal(job_id: str, status: str | None, new: JobStatus) -> Exception:
    if status is None:
        return JobNotFound(job_id)
    return IllegalTransition(status, new.value)
