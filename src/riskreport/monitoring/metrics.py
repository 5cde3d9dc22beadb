"""Prometheus metrics of one service instance, in its own registry.

Each app gets a fresh :class:`ServiceMetrics` with a private ``CollectorRegistry`` (never the
global default), so several apps in one process (tests, benchmarks) do not clash.

* ``riskreport_jobs{state}``: jobs in the store by state, read from the store at scrape time;
* ``riskreport_queue_depth``, ``riskreport_jobs_running``, ``riskreport_job_capacity``: this
  process's engine, at scrape time;
* ``riskreport_job_duration_seconds{kind,status}``: run time of finished jobs, fed by the engine
  listener (:meth:`ServiceMetrics.observe_job`);
* ``riskreport_event_loop_lag_seconds``: the loop-lag monitor's samples
  (:meth:`ServiceMetrics.observe_loop_lag`).

Use::

    metrics = ServiceMetrics()
    engine.add_listener(metrics.observe_job)
    monitor = LoopLagMonitor(on_sample=metrics.observe_loop_lag)
    body = metrics.render(counts=await store.count_by_status(), stats=engine.stats())
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import generate_latest

from riskreport.engine.jobs import Job, JobStatus

__all__ = ["CONTENT_TYPE_LATEST", "EngineLoad", "ServiceMetrics"]

# Lag: a healthy loop sits well under a millisecond; 50 ms is the default alarm threshold.
LAG_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
# Report jobs take from well under a second (template narrative) to a minute (LLM).
DURATION_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0)


class EngineLoad(Protocol):
    """What the metrics read from the engine's ``stats()``."""

    @property
    def queued(self) -> int: ...

    @property
    def running(self) -> int: ...

    @property
    def capacity(self) -> int: ...


class ServiceMetrics:
    """The metrics of one app instance; see the module docstring for use."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.jobs = Gauge(
            "riskreport_jobs", "Jobs in the store by state.", ["state"], registry=self.registry
        )
        self.queue_depth = Gauge(
            "riskreport_queue_depth",
            "Jobs admitted by this process and waiting for a runner slot.",
            registry=self.registry,
        )
        self.running = Gauge(
            "riskreport_jobs_running", "Jobs this process is running now.", registry=self.registry
        )
        self.capacity = Gauge(
            "riskreport_job_capacity",
            "Jobs this process can run at once.",
            registry=self.registry,
        )
        self.job_duration = Histogram(
            "riskreport_job_duration_seconds",
            "Run time (start to finish) of jobs that ran, by kind and final state.",
            ["kind", "status"],
            buckets=DURATION_BUCKETS,
            registry=self.registry,
        )
        self.jobs_finished = Counter(
            "riskreport_jobs_finished",
            "Jobs that reached a final state in this process, by kind and final state.",
            ["kind", "status"],
            registry=self.registry,
        )
        self.loop_lag = Histogram(
            "riskreport_event_loop_lag_seconds",
            "How late the event loop woke from a timed sleep (see riskreport.monitoring.loop_lag).",
            buckets=LAG_BUCKETS,
            registry=self.registry,
        )
        # Every state appears from the first scrape on, so dashboards see zeros, not gaps.
        for state in JobStatus:
            self.jobs.labels(state=state.value).set(0)

    def observe_loop_lag(self, seconds: float) -> None:
        self.loop_lag.observe(seconds)

    def observe_job(self, job: Job) -> None:
        """Engine listener: count each job once when it reaches a final state."""
        if not job.status.is_final:
            return
        self.jobs_finished.labels(kind=job.kind, status=job.status.value).inc()
        if job.started_at is not None and job.finished_at is not None:
            seconds = (job.finished_at - job.started_at).total_seconds()
            self.job_duration.labels(kind=job.kind, status=job.status.value).observe(
                max(0.0, seconds)
            )

    def render(self, *, counts: Mapping[JobStatus, int], stats: EngineLoad) -> bytes:
        """Update the scrape-time gauges and return the text exposition format."""
        for state in JobStatus:
            self.jobs.labels(state=state.value).set(counts.get(state, 0))
        self.queue_depth.set(stats.queued)
        self.running.set(stats.running)
        self.capacity.set(stats.capacity)
        return generate_latest(self.registry)
