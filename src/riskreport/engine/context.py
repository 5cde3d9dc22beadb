"""Job functions and what they see while they run: their context, their ids, how they are called.

A job function is a plain synchronous ``def fn(payload, ctx) -> dict``, named by dotted path
("package.module:function") so that a thread, a child process or a Celery worker can import and
run it. The runner that runs it builds its ``ctx`` (a :class:`RunContext`, seen by the function as
the :class:`JobContext` protocol) and calls it through :func:`run_function`. A function must

* call ``ctx.report(fraction, stage)`` at its stages,
* call ``ctx.check()`` between steps (raises ``JobCancelled`` / ``JobDeadlineExceeded``), and
* pass ``ctx.remaining()`` as the timeout of any blocking I/O it does (an LLM call, say),

because a thread cannot be killed: cooperation is the only way a thread job stops early. A job
that mixes CPU-bound Python with long waits should also run its computing in
``with ctx.computing():`` blocks (never a wait): in the thread runner, whose jobs share the
server's interpreter, one such block runs at a time, so the event loop competes for the GIL with
one thread instead of every job's (see :meth:`RunContext.computing`).

Two context variables follow a request into its jobs: the API sets :data:`request_id` for the
duration of a request, ``Engine.submit`` runs in that context, so the job's task, its thread (the
runner copies the context into it) and its worker process (the value travels with the call and is
set there) all see the same id. The runners set :data:`job_id` while a job runs.
:class:`LogContextFilter` puts both on log records.

Use (in a runner)::

    ctx = RunContext(job.id, deadline=time.monotonic() + timeout, cancel=token, sink=send)
    outcome = run_function("pkg.mod:run", payload, ctx)   # never raises

    handler.addFilter(LogContextFilter())   # records gain .request_id and .job_id
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from typing import Any, Protocol

from riskreport.engine.errors import JobCancelled, JobDeadlineExceeded, JobInterrupted
from riskreport.engine.jobs import Progress
from riskreport.engine.outcome import Outcome
from riskreport.engine.spec import resolve

log = logging.getLogger("riskreport.engine")


class JobContext(Protocol):
    """What a job function is handed as ``ctx``."""

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

    def computing(self) -> AbstractContextManager[None]:
        """A block of CPU-bound Python (no waiting inside): see :meth:`RunContext.computing`."""


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


class RunContext:
    """The engine's :class:`JobContext`, one per run, built in the thread or process that runs it.

    ``deadline`` is on the ``time.monotonic()`` clock. ``cancel`` is the cancel token (a
    ``threading.Event`` set by the engine; None where a cancelled job is killed instead);
    ``sink`` receives progress and must be cheap and thread-safe (it hops to the event loop or
    into a pipe). ``compute``: the lock that :meth:`computing` blocks share, for jobs that share
    an interpreter with the server (None where a job has a process of its own).
    """

    __slots__ = ("_cancel", "_compute", "_deadline", "_job_id", "_sink")

    def __init__(
        self,
        job_id: str,
        *,
        deadline: float,
        cancel: threading.Event | None,
        sink: Callable[[Progress], None],
        compute: threading.Lock | None = None,
    ) -> None:
        self._job_id = job_id
        self._deadline = deadline
        self._cancel = cancel
        self._sink = sink
        self._compute = compute

    @property
    def job_id(self) -> str:
        return self._job_id

    def report(self, fraction: float, stage: str) -> None:
        # Progress validates the fraction; a bad value is a bug in the job, so it raises.
        self._sink(Progress(fraction=float(fraction), stage=stage))

    def cancelled(self) -> bool:
        return self._cancel is not None and self._cancel.is_set()

    def remaining(self) -> float:
        return max(0.0, self._deadline - time.monotonic())

    def check(self) -> None:
        if self.cancelled():
            raise JobCancelled(f"job {self._job_id} was cancelled")
        if self.remaining() <= 0.0:
            raise JobDeadlineExceeded(f"job {self._job_id} ran out of time")

    def computing(self) -> AbstractContextManager[None]:
        """Hold the compute lock for a block of CPU-bound Python; free without one.

        Why: threads of one process run Python one at a time (the GIL). When every job thread
        computes at once, the event loop waits for the GIL behind all of them, a switch interval
        (5 ms) each time it is handed to another job, and a health check took 10-20 ms to
        answer. Computing one at a time costs the jobs nothing (they could not run Python
        together anyway), and the loop waits for one thread at most. Waits (an LLM call) must
        stay outside the block, or they would hold up every other job's computing. Raises
        ``JobDeadlineExceeded`` if the lock does not come free before the deadline.
        """
        if self._compute is None:
            return _FREE
        return self._holding(self._compute)

    @contextmanager
    def _holding(self, lock: threading.Lock) -> Iterator[None]:
        if not lock.acquire(timeout=min(self.remaining(), threading.TIMEOUT_MAX)):
            raise JobDeadlineExceeded(f"job {self._job_id} ran out of time waiting to compute")
        try:
            yield
        finally:
            lock.release()


_FREE: AbstractContextManager[None] = nullcontext()


def run_function(
    fn: Callable[..., Any] | str,
    payload: Mapping[str, Any],
    ctx: JobContext,
    *,
    encoded: bool = False,
) -> Outcome:
    """Call a job function (or import it first, given its dotted path) and turn whatever happens
    into an :class:`Outcome`; never raises. Every runner calls job functions through it, so all
    map errors the same way. ``encoded``: keep the result as JSON text (see ``Outcome.of``).
    """
    try:
        function = resolve(fn) if isinstance(fn, str) else fn
        return Outcome.of(function(payload, ctx), encoded=encoded)
    except JobInterrupted as exc:
        log.info("job %s stopped: %s", ctx.job_id, exc)
        return Outcome.from_exception(exc)
    except BaseException as exc:
        # BaseException too: a job calling sys.exit() must fail, not take the runner down.
        log.error("job %s failed", ctx.job_id, exc_info=exc)
        return Outcome.from_exception(exc)


request_id: ContextVar[str | None] = ContextVar("riskreport_request_id", default=None)
job_id: ContextVar[str | None] = ContextVar("riskreport_job_id", default=None)

# What a log line shows for an id that does not apply (a line outside any request or job).
UNSET = "-"


class LogContextFilter(logging.Filter):
    """Copy :data:`request_id` and :data:`job_id` onto each record (``-`` when unset).

    Records that already carry the attributes (e.g. forwarded from a worker process) keep them.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id.get() or UNSET
        if not hasattr(record, "job_id"):
            record.job_id = job_id.get() or UNSET
        return True
