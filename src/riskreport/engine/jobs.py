"""Job values: states, legal transitions, progress and the job record.

The engine knows nothing about climate: a job is a named function (``kind``) applied to a JSON
payload, producing a JSON result. Everything here is a plain frozen value so that every store and
every backend (inline, local, celery) can share it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from riskreport.engine.errors import IllegalTransition

JSON = Mapping[str, Any]


class JobStatus(StrEnum):
    """Where a job is in its life. Final states never change again."""

    QUEUED = "queued"  # admitted and stored, waiting for a runner slot
    RUNNING = "running"  # a runner slot is executing the job function
    SUCCEEDED = "succeeded"  # the function returned; ``result`` holds its output
    FAILED = "failed"  # the function raised, its process crashed, or it was interrupted
    CANCELLED = "cancelled"  # a client cancelled it, or shutdown did after the grace period
    TIMED_OUT = "timed_out"  # it ran past its timeout and was killed (process) or abandoned

    @property
    def is_final(self) -> bool:
        return self in FINAL_STATES


FINAL_STATES: frozenset[JobStatus] = frozenset(
    {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.TIMED_OUT}
)

# The only moves a job may make. A queued job may fail without running (shutdown, interrupted
# recovery, admission of a job whose function is unknown).
TRANSITIONS: Mapping[JobStatus, frozenset[JobStatus]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.CANCELLED, JobStatus.FAILED}),
    JobStatus.RUNNING: frozenset(
        {JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.TIMED_OUT}
    ),
    JobStatus.SUCCEEDED: frozenset(),
    JobStatus.FAILED: frozenset(),
    JobStatus.CANCELLED: frozenset(),
    JobStatus.TIMED_OUT: frozenset(),
}


def check_transition(old: JobStatus, new: JobStatus) -> None:
    """Raise :class:`IllegalTransition` unless ``old -> new`` is a legal move."""
    if new not in TRANSITIONS[old]:
        raise IllegalTransition(old.value, new.value)


def utcnow() -> datetime:
    """The one clock for job timestamps: timezone-aware UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a job is: ``fraction`` in [0, 1] and a short machine-readable ``stage`` name."""

    fraction: float = 0.0
    stage: str = "queued"

    def __post_init__(self) -> None:
        if not 0.0 <= self.fraction <= 1.0:
            raise ValueError(f"progress fraction must be within [0, 1], got {self.fraction}")


@dataclass(frozen=True, slots=True)
class JobError:
    """Why a job did not succeed: a stable ``code`` (e.g. ``interrupted``) and a message."""

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class Job:
    """One job as stored. Replace fields with :meth:`evolve`; never mutate."""

    id: str
    kind: str
    payload: JSON
    status: JobStatus = JobStatus.QUEUED
    created_at: datetime = field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    progress: Progress = field(default_factory=Progress)
    error: JobError | None = None
    result: JSON | None = None
    # How many times the job has entered ``running``: more than one after a restart ran it again.
    attempts: int = 0
    # The API key (by name) that submitted the job; None when the service runs without keys.
    owner: str | None = None

    def evolve(self, **changes: Any) -> Job:
        # Spelled out rather than ``dataclasses.replace``, which inspects the fields on every
        # call: this runs several times per job, on the event loop.
        values: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "payload": self.payload,
            "status": self.status,
            "created_at": self.created_at,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "progress": self.progress,
            "error": self.error,
            "result": self.result,
            "attempts": self.attempts,
            "owner": self.owner,
        }
        unknown = changes.keys() - values.keys()
        if unknown:
            raise TypeError(f"Job has no fields {sorted(unknown)}")
        values.update(changes)
        return Job(**values)


@dataclass(frozen=True, slots=True)
class Recovered:
    """What start-up recovery did with the jobs a stopped process left unfinished.

    ``requeued``: ids of jobs found ``running`` that are ``queued`` again (under the attempt
    limit); ``failed``: ids of jobs found ``running`` at the limit, now ``failed``.
    """

    requeued: tuple[str, ...] = ()
    failed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Adopted:
    """What a process took over from others whose lease lapsed (``serve --workers N``).

    ``jobs``: now this process's to run, all ``queued``, oldest first (those found ``running``
    were returned to ``queued``); ``failed``: ids of jobs found ``running`` at the attempt
    limit, now ``failed``.
    """

    jobs: tuple[Job, ...] = ()
    failed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Artifact:
    """A file a job produced besides its JSON result (e.g. ``report.pdf``)."""

    name: str
    media_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class JobPage:
    """A page of jobs, newest first; pass ``next_cursor`` back to get the next page."""

    items: tuple[Job, ...]
    next_cursor: str | None
