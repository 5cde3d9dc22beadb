"""A job as JSON, for messages between processes (the Redis event bus).

Use::

    text = dumps_job(job)
    assert loads_job(text) == job
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from riskreport.engine.jobs import Job, JobError, JobStatus, Progress


def _stamp(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def _when(text: Any) -> datetime | None:
    return None if text is None else datetime.fromisoformat(str(text))


def dumps_job(job: Job) -> str:
    """The whole job (payload and result included) as compact JSON text."""
    return json.dumps(
        {
            "id": job.id,
            "kind": job.kind,
            "payload": dict(job.payload),
            "status": job.status.value,
            "created_at": _stamp(job.created_at),
            "started_at": _stamp(job.started_at),
            "finished_at": _stamp(job.finished_at),
            "progress": [job.progress.fraction, job.progress.stage],
            "error": None if job.error is None else [job.error.code, job.error.message],
            "result": None if job.result is None else dict(job.result),
            "attempts": job.attempts,
        },
        separators=(",", ":"),
        allow_nan=False,
    )


def loads_job(text: str | bytes) -> Job:
    """The job :func:`dumps_job` wrote; ``ValueError``/``KeyError``/``TypeError`` on others."""
    data = json.loads(text)
    created_at = _when(data["created_at"])
    if created_at is None:
        raise ValueError("a job needs created_at")
    fraction, stage = data["progress"]
    error = data["error"]
    return Job(
        id=str(data["id"]),
        kind=str(data["kind"]),
        payload=data["payload"],
        status=JobStatus(data["status"]),
        created_at=created_at,
        started_at=_when(data["started_at"]),
        finished_at=_when(data["finished_at"]),
        progress=Progress(fraction=float(fraction), stage=str(stage)),
        error=None if error is None else JobError(code=str(error[0]), message=str(error[1])),
        result=data["result"],
        attempts=int(data["attempts"]),
    )
