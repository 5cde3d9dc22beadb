"""The Celery application both sides share: one generic task, its delivery semantics, its limits.

Semantics (what makes a job survive any worker's death):

- ``task_acks_late`` with ``task_reject_on_worker_lost``: a message is acknowledged only once the
  job is recorded final; if the process running it dies, the message goes back to the queue and
  another worker gets it (the store's ``attempts`` caps how often, see :mod:`.worker`);
- prefetch 1 (``worker_prefetch_multiplier``): a worker holds no more messages than it has
  processes running them, so nothing waits behind a slow job in one worker's buffer;
- time limits from the job timeout: the soft limit interrupts the job (recorded ``timed_out``),
  the hard limit kills its process; the Redis ``visibility_timeout`` (after which an unacknowledged
  message is delivered again, e.g. when a whole worker machine died) is longer than the hard limit,
  so a job still running is never delivered twice;
- no result backend: progress and results live in the job store, as with every backend.

Use::

    app = celery_app(CeleryConfig(broker_url="redis://127.0.0.1:6379/0", job_timeout=60))
    # the job's id, kind, timeout, request id and payload (the worker runs it from these)
    app.send_task(TASK_NAME, args=[job_id, kind, 60.0, None, payload], task_id=job_id,
                  queue=app_queue)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from celery import Celery

TASK_NAME = "riskreport.run_job"


@dataclass(frozen=True, slots=True)
class Limits:
    """Seconds: ``soft`` interrupts the job, ``hard`` kills its process, and a message not
    acknowledged within ``visibility`` is delivered again."""

    soft: float
    hard: float
    visibility: int

    @classmethod
    def for_timeout(cls, job_timeout: float) -> Limits:
        # The job's own deadline (ctx.remaining) ends cooperative jobs at job_timeout; the soft
        # limit stops Python code that ignores it a moment later; the hard limit kills what a
        # signal cannot interrupt (a blocking C call). Margins scale with the timeout.
        soft = job_timeout + max(0.2, 0.02 * job_timeout)
        hard = soft + max(1.0, 0.1 * job_timeout)
        return cls(soft=soft, hard=hard, visibility=math.ceil(hard * 1.5) + 5)


@dataclass(frozen=True, slots=True)
class CeleryConfig:
    """``queue``: the Celery queue (and prefix of the event channel): deployments, and test runs,
    sharing one Redis keep apart by it. ``job_timeout`` sets the visibility timeout: it must
    be the largest timeout any job gets."""

    broker_url: str
    job_timeout: float
    queue: str = "riskreport"

    @property
    def events_channel(self) -> str:
        return f"{self.queue}:events"

    @property
    def limits(self) -> Limits:
        return Limits.for_timeout(self.job_timeout)


def celery_app(config: CeleryConfig) -> Celery:
    """A configured application; the worker side registers the task on it (:mod:`.worker`)."""
    app = Celery("riskreport", broker=config.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        result_backend=None,
        task_serializer="json",
        accept_content=["json"],
        task_default_queue=config.queue,
        task_routes={TASK_NAME: {"queue": config.queue}},
        task_time_limit=config.limits.hard,
        task_soft_time_limit=config.limits.soft,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "visibility_timeout": config.limits.visibility,
            # Messages of a worker that died unannounced come back within about a second of
            # their visibility timeout (kombu's default sweep is every 100 s).
            "unacked_restore_interval": 1,
            "unacked_restore_throttle": 1,
        },
        worker_send_task_events=False,
        task_send_sent_event=False,
        worker_enable_remote_control=True,  # revoke (cancel) is a remote-control command
        # A new worker process warms up (imports, packaged data) before it takes a message.
        worker_proc_alive_timeout=120,
    )
    return app
