"""Metrics: per-instance registries, scrape-time gauges, the job-duration listener."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from prometheus_client.parser import text_string_to_metric_families

from riskreport.engine.jobs import Job, JobStatus, utcnow
from riskreport.monitoring.metrics import ServiceMetrics


@dataclass(frozen=True)
class Load:
    queued: int
    running: int
    capacity: int


def samples(body: bytes) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    out: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(body.decode()):
        for s in family.samples:
            out[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return out


def test_scrape_reports_store_counts_and_engine_load() -> None:
    metrics = ServiceMetrics()
    body = metrics.render(
        counts={JobStatus.QUEUED: 3, JobStatus.SUCCEEDED: 7},
        stats=Load(queued=3, running=2, capacity=4),
    )
    got = samples(body)
    assert got[("riskreport_jobs", (("state", "queued"),))] == 3
    assert got[("riskreport_jobs", (("state", "succeeded"),))] == 7
    assert got[("riskreport_jobs", (("state", "failed"),))] == 0  # zeros, not gaps
    assert got[("riskreport_queue_depth", ())] == 3
    assert got[("riskreport_jobs_running", ())] == 2
    assert got[("riskreport_job_capacity", ())] == 4


def test_finished_jobs_feed_the_duration_histogram() -> None:
    metrics = ServiceMetrics()
    start = utcnow()
    job = Job(id="j1", kind="report", payload={})
    metrics.observe_job(job)  # queued: ignored
    metrics.observe_job(job.evolve(status=JobStatus.RUNNING, started_at=start))  # ignored
    metrics.observe_job(
        job.evolve(
            status=JobStatus.SUCCEEDED, started_at=start, finished_at=start + timedelta(seconds=2)
        )
    )
    # Cancelled before it ran: counted, but it has no run time.
    metrics.observe_job(job.evolve(id="j2", status=JobStatus.CANCELLED, finished_at=start))
    got = samples(metrics.render(counts={}, stats=Load(0, 0, 1)))
    labels = (("kind", "report"), ("status", "succeeded"))
    assert got[("riskreport_job_duration_seconds_count", labels)] == 1
    assert got[("riskreport_job_duration_seconds_sum", labels)] == 2.0
    assert (
        got[("riskreport_job_duration_seconds_bucket", tuple(sorted((*labels, ("le", "2.5")))))]
        == 1
    )
    assert (
        got[("riskreport_job_duration_seconds_bucket", tuple(sorted((*labels, ("le", "1.0")))))]
        == 0
    )
    assert got[("riskreport_jobs_finished_total", labels)] == 1
    cancelled = (("kind", "report"), ("status", "cancelled"))
    assert got[("riskreport_jobs_finished_total", cancelled)] == 1
    assert ("riskreport_job_duration_seconds_count", cancelled) not in got


def test_loop_lag_histogram_and_separate_registries() -> None:
    first, second = ServiceMetrics(), ServiceMetrics()
    first.observe_loop_lag(0.2)
    first.observe_loop_lag(0.0001)
    got_first = samples(first.render(counts={}, stats=Load(0, 0, 1)))
    got_second = samples(second.render(counts={}, stats=Load(0, 0, 1)))
    assert got_first[("riskreport_event_loop_lag_seconds_count", ())] == 2
    assert got_first[("riskreport_event_loop_lag_seconds_bucket", (("le", "0.1"),))] == 1
    assert got_second[("riskreport_event_loop_lag_seconds_count", ())] == 0
