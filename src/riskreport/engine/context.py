"""What a running job function sees: its id, progress reporting, cancellation and deadline.

Job functions are plain synchronous ``def`` functions ``fn(payload, ctx) -> dict``. They are
resolved by dotted path ("package.module:function") so that a thread, a child process or a
Celery worker can import and run them. The engine builds the context; a function must

* call ``ctx.report(fraction, stage)`` at its stages,
* call ``ctx.check()`` between steps (raises ``JobCancelled`` / ``JobDeadlineExceeded``), and
* pass ``ctx.remaining()`` as the timeout of any blocking I/O it does (an LLM call, say),

because a thread cannot be killed: cooperation is the only way a thread job stops early.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol


class JobContext(Protocol):
    @property
    def job_id(self) -> str: ...

    def report(self, fraction: float, stage: str) -> None:
        """Record progress; cheap and safe to call from any thread or process."""

    def cancelled(self) -> bool:
        """True once the job was cancelled (or shutdown gave up waiting for it)."""

    def remaining(self) -> float:
        """Seconds left before the job's deadline (never negative)."""

    def check(self) -> None:
        """Raise ``JobCancelled`` or ``JobDeadlineExceeded`` if the job must stop now."""


class JobOutput(Protocol):
    """What a job function may return instead of a bare mapping: a result plus files.

    ``artifacts`` maps a name (``"pdf"``) to ``(media_type, data)``. Any object with these two
    attributes works (the analysis layer has its own dataclass; it never imports the engine), and
    it must pickle, because a process runner sends it back through a pipe.
    """

    @property
    def result(self) -> Mapping[str, Any]: ...

    @property
    def artifacts(self) -> Mapping[str, tuple[str, bytes]]: ...


class JobFunction(Protocol):
    def __call__(
        self, payload: Mapping[str, Any], ctx: JobContext, /
    ) -> Mapping[str, Any] | JobOutput: ...
