"""The engine's exception tree. Interfaces map these to HTTP in one place.

EngineError
├── JobNotFound          no job with that id            -> 404
├── ArtifactNotFound     the job has no such document   -> 404 (409 while not finished)
├── IllegalTransition    e.g. cancel a finished job     -> 409
├── AdmissionRejected    queue full or shutting down    -> 429 / 503 with Retry-After
│   ├── QueueFull
│   └── ShuttingDown
├── UnknownJobKind       no function registered         -> 400
├── InvalidCursor        a page cursor no store issued  -> 400 (also a ValueError)
├── IdempotencyConflict  an Idempotency-Key reused for another request -> 422
├── IdempotencyPending   its first request is still being admitted     -> 409
├── WarmUpFailed         a runner's initializer failed  -> start-up fails; /readyz 503
└── JobInterrupted       raised inside a job function when it is cancelled or out of time
    ├── JobCancelled
    └── JobDeadlineExceeded
"""

from __future__ import annotations


class EngineError(Exception):
    """Base class of every error the engine raises on purpose."""


class JobNotFound(EngineError):
    def __init__(self, job_id: str) -> None:
        super().__init__(f"no job with id {job_id!r}")
        self.job_id = job_id


class ArtifactNotFound(EngineError):
    def __init__(self, job_id: str, name: str) -> None:
        super().__init__(f"job {job_id!r} has no artifact {name!r}")
        self.job_id = job_id
        self.name = name


class RenderFailed(EngineError):
    """An artifact rendered on request could not be made; ``code`` says how it ended."""

    def __init__(self, job_id: str, name: str, code: str, message: str) -> None:
        super().__init__(f"rendering {name!r} of job {job_id!r} failed ({code}): {message}")
        self.job_id = job_id
        self.name = name
        self.code = code


class IllegalTransition(EngineError):
    def __init__(self, old: str, new: str) -> None:
        super().__init__(f"a job cannot move from {old!r} to {new!r}")
        self.old = old
        self.new = new


class AdmissionRejected(EngineError):
    """The engine will not take the job now; retry after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class QueueFull(AdmissionRejected):
    pass


class ShuttingDown(AdmissionRejected):
    pass


class UnknownJobKind(EngineError):
    def __init__(self, kind: str) -> None:
        super().__init__(f"no job function is registered under {kind!r}")
        self.kind = kind


class JobInterrupted(EngineError):
    """Raised by a job's own checks when it must stop; the engine records the final state."""


class JobCancelled(JobInterrupted):
    pass


class JobDeadlineExceeded(JobInterrupted):
    pass


class InvalidCursor(EngineError, ValueError):
    """A page cursor that no store issued (-> 400)."""

    def __init__(self, cursor: str) -> None:
        super().__init__(f"not a valid page cursor: {cursor[:40]!r}")
        self.cursor = cursor


class IdempotencyConflict(EngineError):
    """An idempotency key already names a job of a different request (-> 422)."""

    def __init__(self, key: str) -> None:
        super().__init__(
            f"the Idempotency-Key {key[:80]!r} was used for a different request in the last 24 h"
        )
        self.key = key


class IdempotencyPending(EngineError):
    """The first request with this idempotency key is still being admitted (-> 409)."""

    def __init__(self, key: str) -> None:
        super().__init__(f"a request with the Idempotency-Key {key[:80]!r} is being processed")
        self.key = key


class WarmUpFailed(EngineError):
    """A runner could not warm up (its initializer raised, or a worker process died).

    ``Engine.start`` raises it; jobs that were waiting for that runner fail with its message.
    """
