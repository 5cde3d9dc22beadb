"""Context variables that follow a request into its jobs, and a logging filter that shows them.

The API sets :data:`request_id` for the duration of a request. ``Engine.submit`` runs in that
context, so the job's task, its thread (the runner copies the context into it) and its child
process (the runner passes the value along and sets it there) all see the same id. The engine
sets :data:`job_id` while a job runs.

Use::

    handler.addFilter(LogContextFilter())   # records gain .request_id and .job_id
    logging.Formatter("%(levelname)s %(request_id)s %(job_id)s %(message)s")
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

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
