"""Rows of the job store's tables to and from the engine's values (:mod:`riskreport.engine.jobs`).

JSON columns hold plain dicts; timestamps must be timezone-aware before they reach a column.

Use::

    conn.execute(insert(jobs), row_values(job))
    job = job_from_row(conn.execute(select(jobs)).one())
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.engine import Row

from riskreport.engine.encoded import EncodedJSON
from riskreport.engine.jobs import JSON, Artifact, Job, JobError, JobStatus, Progress

# The progress column of a job back in the queue (requeued at shutdown, recovered, adopted).
QUEUED_PROGRESS = {"fraction": 0.0, "stage": "queued"}


def require_aware(at: datetime | None) -> None:
    # The column type checks too, but wrapped in a StatementError; the contract says ValueError.
    if at is not None and at.tzinfo is None:
        raise ValueError("job timestamps must be timezone-aware")


def row_values(job: Job) -> dict[str, Any]:
    for at in (job.created_at, job.started_at, job.finished_at):
        require_aware(at)
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status.value,
        "payload": dict(job.payload),
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "progress": progress_json(job.progress),
        "error": None if job.error is None else error_json(job.error),
        "result": None if job.result is None else dict(job.result),
        "attempts": job.attempts,
        "owner": job.owner,
    }


def artifact_row(job_id: str, artifact: Artifact) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "name": artifact.name,
        "media_type": artifact.media_type,
        "data": artifact.data,
    }


def progress_json(progress: Progress) -> dict[str, Any]:
    return {"fraction": progress.fraction, "stage": progress.stage}


def error_json(error: JobError) -> dict[str, str]:
    return {"code": error.code, "message": error.message}


def job_from_row(row: Row[Any], *, result: JSON | None = None) -> Job:
    """The job of a row; ``result`` is the result just written, for a row that leaves it out.

    A result written as JSON text (a process runner's) is read as the plain tree any stored
    result is: decoding it costs what reading the column back did, and only that runner pays.
    """
    if isinstance(result, EncodedJSON):
        result = result.decoded()
    progress = row.progress
    error = row.error
    return Job(
        id=row.id,
        kind=row.kind,
        payload=row.payload,
        status=JobStatus(row.status),
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        progress=Progress(fraction=float(progress["fraction"]), stage=str(progress["stage"])),
        error=None if error is None else JobError(code=error["code"], message=error["message"]),
        result=row.result if result is None else result,
        attempts=int(row.attempts),
        owner=row.owner,
    )
