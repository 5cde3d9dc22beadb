"""The messages between the process runner and its worker processes, and the one place they cross
the pipe.

Over one duplex pipe per worker, parent -> worker::

    Run(job_id, function, payload, timeout, request_id)   run one job
    Stop()                                                 exit (the worker is idle)

worker -> parent::

    Ready(pid) | StartFailed(reason)    once, after the initializer
    Report(progress)                    while a job runs, a few a second at most per stage
    Log(record)                         the worker's log records, with request and job ids
    Done(outcome)                       once per job

Each message is a small frozen dataclass; :func:`send` writes one (``multiprocessing`` pickles
it), :func:`from_worker` and :func:`to_worker` read one and check that it is of the kind that may
travel that way. Readers ``match`` on the result and end with ``assert_never``, so mypy finds
the reader that forgot a new message. Only the standard library and small engine modules are
imported, so the forkserver can preload this with the worker loop.

Use::

    send(conn, Run(job.id, "pkg.mod:run", payload, timeout=60, request_id=None))
    match from_worker(conn):
        case Done(outcome): ...
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from riskreport.engine.jobs import Progress
from riskreport.engine.outcome import Outcome


@dataclass(frozen=True, slots=True)
class Run:
    """Run ``function`` (a dotted path) on ``payload`` within ``timeout`` seconds.

    ``request_id`` is the submitting request's id, set in the worker's context for the job.
    """

    job_id: str
    function: str
    payload: dict[str, Any]
    timeout: float
    request_id: str | None


@dataclass(frozen=True, slots=True)
class Stop:
    """Exit; sent to an idle worker only (a busy one is killed instead)."""


@dataclass(frozen=True, slots=True)
class Ready:
    """The initializer ran; the worker waits for its first ``Run``."""

    pid: int


@dataclass(frozen=True, slots=True)
class StartFailed:
    """The initializer raised (``reason`` names the exception); the worker exits."""

    reason: str


@dataclass(frozen=True, slots=True)
class Report:
    """The running job reported progress."""

    progress: Progress


@dataclass(frozen=True, slots=True)
class Log:
    """A log record made in the worker, to be handled by the parent's logger of that name."""

    record: logging.LogRecord


@dataclass(frozen=True, slots=True)
class Done:
    """The job ended (its function returned or raised); the worker is free for the next one."""

    outcome: Outcome


ToWorker = Run | Stop
FromWorker = Ready | StartFailed | Report | Log | Done


class ProtocolError(RuntimeError):
    """Something other than a message of the expected direction came through the pipe (a bug)."""


def send(conn: Connection, message: ToWorker | FromWorker) -> None:
    """Write one message; raises ``OSError`` when the other end has gone."""
    conn.send(message)


def to_worker(conn: Connection) -> ToWorker:
    """Read the parent's next message (blocking); ``EOFError`` when the parent has gone."""
    message = conn.recv()
    if isinstance(message, Run | Stop):
        return message
    raise ProtocolError(f"a worker received {message!r}")


def from_worker(conn: Connection) -> FromWorker:
    """Read a worker's next message (blocking); ``EOFError`` when the worker has died."""
    message = conn.recv()
    if isinstance(message, Ready | StartFailed | Report | Log | Done):
        return message
    raise ProtocolError(f"a worker sent {message!r}")
