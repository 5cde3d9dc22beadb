"""The main loop of a worker process of the process runner (runs in the child, never imported by
the event loop's hot path).

Protocol over one duplex pipe, parent -> child::

    ("run", job_id, function, payload, job_timeout, request_id)   |   ("stop",)

child -> parent::

    ("ready", pid) | ("failed", message)        once, after the initializer
    ("progress", fraction, stage)               any number, while a job runs
    ("log", LogRecord)                          the child's log records, with request/job ids
    ("done", Outcome)                           once per job

The module imports only the standard library and small engine modules, so the forkserver can
preload it and a new worker starts in milliseconds.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from logging.handlers import QueueHandler
from multiprocessing.connection import Connection
from typing import Any

from riskreport.engine import context
from riskreport.engine.context import RunContext, run_function
from riskreport.engine.jobs import Progress
from riskreport.engine.spec import Initializer

Send = Callable[[tuple[Any, ...]], None]


def serve(
    conn: Connection, initializer: Initializer | None, sys_path: list[str], log_level: int
) -> None:
    """Entry point of the child: warm up once, then run jobs one at a time until told to stop."""
    # The parent owns Ctrl+C: a terminal's SIGINT reaches the whole process group, and a job
    # must not die of it mid-run; the parent cancels and kills workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Job functions may live in modules the parent found through its own sys.path (the test
    # suite's package, a project directory); a forkserver may have started with an older one.
    sys.path[:0] = [entry for entry in sys_path if entry not in sys.path]
    lock = threading.Lock()

    def send(message: tuple[Any, ...]) -> None:
        with lock:  # a job may log or report from several threads
            conn.send(message)

    _forward_logs(send, log_level)
    try:
        if initializer is not None:
            initializer()
    except BaseException as exc:
        logging.getLogger("riskreport.engine").exception("worker warm-up failed")
        send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return  # the parent went away
        if message[0] == "stop":
            return
        _, job_id, function, payload, job_timeout, request_id = message
        send(("done", _run(send, job_id, function, payload, job_timeout, request_id)))


def _run(
    send: Send,
    job_id: str,
    function: str,
    payload: dict[str, Any],
    job_timeout: float,
    request_id: str | None,
) -> Any:
    def sink(progress: Progress) -> None:
        send(("progress", progress.fraction, progress.stage))

    ctx = RunContext(job_id, deadline=time.monotonic() + job_timeout, cancel=None, sink=sink)
    request_marker = context.request_id.set(request_id)
    job_marker = context.job_id.set(job_id)
    try:
        return run_function(function, payload, ctx)
    finally:
        context.job_id.reset(job_marker)
        context.request_id.reset(request_marker)


class _PipeQueue:
    """Just enough of a queue for ``QueueHandler``: each record goes up the pipe."""

    def __init__(self, send: Send) -> None:
        self._send = send

    def put_nowait(self, record: logging.LogRecord) -> None:
        self._send(("log", record))


def _forward_logs(send: Send, level: int) -> None:
    handler = QueueHandler(_PipeQueue(send))  # type: ignore[arg-type]
    handler.addFilter(context.LogContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
