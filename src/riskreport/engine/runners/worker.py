"""The main loop of a worker process of the process runner (runs in the child, never imported by
the event loop's hot path).

It talks to the parent over one duplex pipe with the messages of
:mod:`~riskreport.engine.runners.pipe`: ``Ready`` (or ``StartFailed``) once warmed up, then for
each ``Run`` any number of ``Report`` (thinned out by
:class:`~riskreport.engine.runners.throttle.ProgressThrottle`) and ``Log`` and one ``Done``,
until ``Stop`` or the parent goes away: between jobs the pipe's end says so, and during a job a
watcher thread ends the process when the parent dies (killed, say), so the job does not run on
for nobody while a restarted service runs it again. After the warm-up the worker freezes its
heap out of the garbage collector's sight
(:func:`~riskreport.engine.runners.warmup.freeze_warm_heap`).

The module imports only the standard library and small engine modules, so the forkserver can
preload it and a new worker starts in milliseconds.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from logging.handlers import QueueHandler
from multiprocessing.connection import Connection, wait
from typing import assert_never

from riskreport.engine import context
from riskreport.engine.context import RunContext, run_function
from riskreport.engine.jobs import Progress
from riskreport.engine.outcome import Outcome
from riskreport.engine.runners import pipe
from riskreport.engine.runners.throttle import ProgressThrottle
from riskreport.engine.runners.warmup import freeze_warm_heap
from riskreport.engine.spec import Initializer

Send = Callable[[pipe.FromWorker], None]


def serve(
    conn: Connection, initializer: Initializer | None, sys_path: list[str], log_level: int
) -> None:
    """Entry point of the child: warm up once, then run jobs one at a time until told to stop."""
    # The parent owns Ctrl+C: a terminal's SIGINT reaches the whole process group, and a job
    # must not die of it mid-run; the parent cancels and kills workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    # Job functions may live in modules the parent found through its own sys.path (the test
    # suite's package, a project directory); a forkserver may have started with an older one.
    sys.path[:0] = [entry for entry in sys_path if entry not in sys.path]
    lock = threading.Lock()

    def send(message: pipe.FromWorker) -> None:
        with lock:  # a job may log or report from several threads
            pipe.send(conn, message)

    _forward_logs(send, log_level)
    try:
        if initializer is not None:
            initializer()
    except BaseException as exc:
        logging.getLogger("riskreport.engine").exception("worker warm-up failed")
        send(pipe.StartFailed(f"{type(exc).__name__}: {exc}"))
        return
    freeze_warm_heap()
    throttle = ProgressThrottle(lambda progress: send(pipe.Report(progress)))
    send(pipe.Ready(os.getpid()))
    while True:
        try:
            message = pipe.to_worker(conn)
        except EOFError:
            return  # the parent went away
        match message:
            case pipe.Stop():
                return
            case pipe.Run():
                outcome = _run(throttle.report, message)  # never raises
                throttle.end()  # the outcome supersedes a report still held back
                send(pipe.Done(outcome))
            case _:
                assert_never(message)


# The exit status of a worker whose parent died under it (nobody is left to read it).
ORPHANED = 70


def _exit_with_parent() -> None:
    """End this process as soon as the process that started it dies.

    A job may run for a long time without a word to its parent (an LLM answer, a document), and
    only a word to a dead parent would fail. ``multiprocessing`` gives a child the sentinel of
    its parent (readable once the parent is gone) whatever the start method; a daemon thread
    waits on it, costing nothing until then.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(ORPHANED)  # no cleanup: the job's work is wasted, and its parent is gone

    threading.Thread(target=watch, name="riskreport-parent-watch", daemon=True).start()


def _run(sink: Callable[[Progress], None], call: pipe.Run) -> Outcome:
    deadline = time.monotonic() + call.timeout
    ctx = RunContext(call.job_id, deadline=deadline, cancel=None, sink=sink)
    request_marker = context.request_id.set(call.request_id)
    job_marker = context.job_id.set(call.job_id)
    try:
        # The result goes up the pipe as JSON text, which the store writes as is: the parent
        # (the API process) neither unpickles the tree nor encodes it again.
        return run_function(call.function, call.payload, ctx, encoded=True)
    finally:
        context.job_id.reset(job_marker)
        context.request_id.reset(request_marker)


class _PipeQueue:
    """Just enough of a queue for ``QueueHandler``: each record goes up the pipe."""

    def __init__(self, send: Send) -> None:
        self._send = send

    def put_nowait(self, record: logging.LogRecord) -> None:
        self._send(pipe.Log(record))


def _forward_logs(send: Send, level: int) -> None:
    handler = QueueHandler(_PipeQueue(send))  # type: ignore[arg-type]
    handler.addFilter(context.LogContextFilter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
