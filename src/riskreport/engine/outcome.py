"""How a job's run ended, as a value a runner hands to the recorder (and a child process pickles).

Use (inside a runner, off the loop)::

    try:
        outcome = Outcome.of(fn(payload, ctx))
    except Exception as exc:
        outcome = Outcome.from_exception(exc)
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from riskreport.engine.encoded import EncodedJSON, json_copy
from riskreport.engine.errors import JobCancelled, JobDeadlineExceeded
from riskreport.engine.jobs import JSON, Artifact, JobError, JobStatus

log = logging.getLogger("riskreport.engine")

# Stable error codes a job's ``error.code`` may carry.
ERROR = "error"  # the function raised
TIMEOUT = "timeout"  # it ran past its deadline
CANCELLED = "cancelled"  # a client cancelled it
SHUTDOWN = "shutdown"  # the service stopped before the job could finish
CRASHED = "crashed"  # its worker process died
INTERRUPTED = "interrupted"  # the process running it died; found at the next start-up
UNAVAILABLE = "unavailable"  # the service could not run it (its runner failed to warm up)

# What a client reads when a job fails unexpectedly: no exception text, which can hold internals
# (paths, library messages, data); the log has the traceback under the job's id.
FAILED_MESSAGE = "the job failed unexpectedly; the service log has the details under its id"


@dataclass(frozen=True, slots=True)
class Outcome:
    """A final state plus what goes with it: a result and artifacts, or an error."""

    status: JobStatus
    result: JSON | None = None
    artifacts: tuple[Artifact, ...] = ()
    error: JobError | None = None

    def __post_init__(self) -> None:
        if not self.status.is_final:
            raise ValueError(f"an outcome must be a final state, not {self.status.value!r}")

    @classmethod
    def of(cls, returned: object, *, encoded: bool = False) -> Outcome:
        """The success outcome of a job function's return value.

        A mapping is the result; any other object must have ``.result`` (a mapping) and
        ``.artifacts`` (``{name: (media_type, bytes)}``). The result is copied as a JSON round
        trip gives it back (:func:`~riskreport.engine.encoded.json_copy`) here, in the runner's
        thread or process, so a value no store could save fails the job at once instead of
        failing the store write later. With ``encoded`` (a worker process) it stays JSON text,
        an :class:`~riskreport.engine.encoded.EncodedJSON`.
        """
        result: object = returned
        files: object = {}
        if not isinstance(returned, Mapping):
            result = getattr(returned, "result", None)
            files = getattr(returned, "artifacts", None)
        if not isinstance(result, Mapping) or not isinstance(files, Mapping):
            raise TypeError(
                "a job function must return a mapping or an object with .result (mapping) "
                f"and .artifacts (mapping); got {type(returned).__name__}"
            )
        artifacts = tuple(_artifact(name, value) for name, value in files.items())
        copied = EncodedJSON.encode(result) if encoded else json_copy(result)
        return cls(JobStatus.SUCCEEDED, result=copied, artifacts=artifacts)

    @classmethod
    def from_exception(cls, exc: BaseException) -> Outcome:
        """Map an exception raised by a job function to its final state.

        Clients read the stored error, so only an exception that carries ``public_code`` and
        ``public_message`` (strings) has its words stored; any other gets code ``error`` and
        :data:`FAILED_MESSAGE` (the runner logs the traceback with the job id).
        """
        if isinstance(exc, JobCancelled):
            return cls.failure(JobStatus.CANCELLED, CANCELLED, str(exc) or "cancelled")
        if isinstance(exc, JobDeadlineExceeded):
            return cls.failure(JobStatus.TIMED_OUT, TIMEOUT, str(exc) or "deadline exceeded")
        code = getattr(exc, "public_code", None)
        message = getattr(exc, "public_message", None)
        if isinstance(code, str) and isinstance(message, str):
            # An error the job function meant clients to read (see docs/engine.md).
            return cls.failure(JobStatus.FAILED, code, message)
        return cls.failure(JobStatus.FAILED, ERROR, FAILED_MESSAGE)

    @classmethod
    def failure(cls, status: JobStatus, code: str, message: str) -> Outcome:
        return cls(status, error=JobError(code=code, message=message))

    @classmethod
    def timed_out(cls, timeout: float) -> Outcome:
        return cls.failure(JobStatus.TIMED_OUT, TIMEOUT, f"the job ran longer than {timeout:g} s")


def _artifact(name: object, value: object) -> Artifact:
    if not isinstance(name, str) or not isinstance(value, tuple) or len(value) != 2:
        raise TypeError(f"artifact {name!r} must be a (media_type, bytes) pair")
    media_type, data = value
    if not isinstance(media_type, str) or not isinstance(data, bytes | bytearray):
        raise TypeError(f"artifact {name!r} must be a (media_type, bytes) pair")
    return Artifact(name=name, media_type=media_type, data=bytes(data))
