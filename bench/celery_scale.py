"""Scale-out benchmark: the Celery backend on the real Redis, against raw Celery, and across
worker processes.

Run with ``python -m bench.celery_scale`` (Redis at ``RISKREPORT_BROKER_URL``, default
``redis://127.0.0.1:6379/0``; the store is a SQLite file in a temporary folder, or
``--database-url``). Three measurements in one run:

1. throughput of trivial jobs (``return {"ok": 1}``): riskreport's engine with the Celery backend
   (store writes, event bus, waits) against raw Celery ``send_task`` of a task that only counts in
   Redis, with the same broker, delivery settings and worker concurrency; and, for reference,
   against raw Celery whose task returns ``{"ok": 1}`` to a Redis result backend, each result
   waited for (``ResultSet.join``), as riskreport keeps and waits for each job's result. All
   sides send all ``--jobs`` at once and wait for every one (``--in-flight N`` holds riskreport
   to N jobs submitted and not yet finished, which the raw client never is); ``--rounds`` rounds
   alternate them with every worker up, and each ratio is the median of the rounds' ratios, so
   that the load of a shared machine weighs on both sides of it alike (``--throughput-only``
   stops there);
2. 64 jobs that each wait 1 s on blocking I/O, on 1 worker against 2 workers (16 slots each);
3. submit-to-result latency (p50, p99) of trivial jobs at a steady rate.

The table lands in ``docs/benchmarks.md`` between the ``bench:celery`` markers.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis
from celery.result import ResultSet

from bench.celery_parts import KINDS, RAW_RESULT_TASK, RAW_TASK, raw_app, raw_results_app
from bench.load import percentile, replace_section
from bench.servers import ROOT
from riskreport.engine.backends.celery.app import CeleryConfig
from riskreport.engine.backends.celery.backend import CeleryBackend
from riskreport.engine.engine import Engine
from riskreport.engine.jobs import JobStatus
from riskreport.engine.spec import JobSpec, RunnerKind
from riskreport.storage.sql import SqlJobStore

DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:celery -->", "<!-- /bench:celery -->"
SPECS = [JobSpec(kind, path, RunnerKind.THREAD) for kind, path in KINDS.items()]


class Cluster:
    def __init__(self, broker: str, database_url: str, folder: Path) -> None:
        self.broker = broker
        self.database_url = database_url
        self.folder = folder
        self.queue = f"rr-bench-{uuid.uuid4().hex[:8]}"
        self.config = CeleryConfig(broker_url=broker, job_timeout=60, queue=self.queue)

    def env(self, concurrency: int) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "RISKREPORT_DATABASE_URL": self.database_url,
            "RISKREPORT_BROKER_URL": self.broker,
            "RISKREPORT_CELERY_QUEUE": self.queue,
            "RISKREPORT_JOB_TIMEOUT": "60",
            "RISKREPORT_CONCURRENCY": str(concurrency),
            "RISKREPORT_LOG_LEVEL": "info",  # the worker says " ready." at info
        }

    @classmethod
    @asynccontextmanager
    async def opened(
        cls, broker: str, database_url: str | None
    ) -> AsyncIterator[tuple[Cluster, SqlJobStore]]:
        """A cluster in a temporary folder and its open store (a SQLite file there unless
        ``database_url`` names one)."""
        with tempfile.TemporaryDirectory(prefix="riskreport-bench-") as tmp:
            folder = Path(tmp)
            url = database_url or f"sqlite:///{folder / 'jobs.db'}"
            store = SqlJobStore(url)
            await store.open()
            try:
                yield cls(broker, url, folder), store
            finally:
                await store.close()

    @contextmanager
    def workers(self, kind: str, count: int, concurrency: int) -> Iterator[list[int]]:
        """Start ``count`` workers; yield their process ids (each leads a process group)."""
        processes = []
        logs = []
        for i in range(count):
            log = self.folder / f"{kind}-{uuid.uuid4().hex[:6]}-{i}.log"
            with log.open("wb") as out:
                processes.append(
                    subprocess.Popen(
                        [sys.executable, "-m", "bench.celery_parts", kind],
                        env=self.env(concurrency),
                        cwd=ROOT,
                        stdout=out,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
            logs.append(log)
        try:
            for process, log in zip(processes, logs, strict=True):
                wait_ready(process, log)
            yield [process.pid for process in processes]
        finally:
            for process in processes:
                os.killpg(process.pid, signal.SIGTERM)
            for process in processes:
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

    async def engine(self, store: SqlJobStore, capacity: int) -> Engine:
        backend = CeleryBackend(self.config, capacity=capacity, poll_interval=5.0)
        self.backend = backend  # the newest (bench.celery_costs reads its batches)
        engine = Engine(
            store, backend, SPECS, queue_limit=100_000, job_timeout=60, shutdown_grace=5
        )
        await engine.start()
        return engine


def wait_ready(process: subprocess.Popen[bytes], log: Path, within: float = 120) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"worker exited: {log.read_text(errors='replace')[-2000:]}")
        if b" ready." in log.read_bytes():
            return
        time.sleep(0.1)
    raise RuntimeError(f"worker not ready: {log.read_text(errors='replace')[-2000:]}")


class RiskreportRate:
    """Trivial jobs through riskreport's engine, each waited for; at most ``in_flight`` at a time
    (0: all at once)."""

    def __init__(self, engine: Engine, in_flight: int) -> None:
        self.engine = engine
        self.gate = asyncio.Semaphore(in_flight or sys.maxsize)

    async def one(self) -> None:
        async with self.gate:
            job = await self.engine.submit("trivial", {})
            done = await self.engine.wait(job.id, timeout=120)
            if done.status is not JobStatus.SUCCEEDED:
                raise RuntimeError(f"a trivial job ended {done.status}: {done.error}")

    async def rate(self, jobs: int) -> float:
        started = time.perf_counter()
        await asyncio.gather(*(self.one() for _ in range(jobs)))
        return jobs / (time.perf_counter() - started)


class RawResultsRate:
    """Raw Celery ``send_task`` of the task with a result, then wait for every result."""

    def __init__(self, cluster: Cluster) -> None:
        os.environ["RISKREPORT_BROKER_URL"] = cluster.broker
        os.environ["RISKREPORT_CELERY_QUEUE"] = cluster.queue
        self.app = raw_results_app()
        self.queue = cluster.queue + "-raw-results"

    def rate(self, jobs: int) -> float:
        started = time.perf_counter()
        sent = [self.app.send_task(RAW_RESULT_TASK, queue=self.queue) for _ in range(jobs)]
        ResultSet(sent, app=self.app).join(timeout=120)
        return jobs / (time.perf_counter() - started)

    def close(self) -> None:
        self.app.close()


class RawRate:
    """Raw Celery ``send_task`` of the counting task, then wait until all have counted."""

    def __init__(self, cluster: Cluster) -> None:
        os.environ["RISKREPORT_BROKER_URL"] = cluster.broker
        os.environ["RISKREPORT_CELERY_QUEUE"] = cluster.queue
        self.app = raw_app()
        self.counter = redis.Redis.from_url(cluster.broker)
        self.queue = cluster.queue + "-raw"

    def rate(self, jobs: int) -> float:
        key = f"{self.queue}:count"
        started = time.perf_counter()
        for _ in range(jobs):
            self.app.send_task(RAW_TASK, args=[key], queue=self.queue)
        while int(self.counter.get(key) or 0) < jobs:
            time.sleep(0.002)
        elapsed = time.perf_counter() - started
        self.counter.delete(key)
        return jobs / elapsed

    def close(self) -> None:
        self.counter.close()
        self.app.close()


@dataclass(frozen=True)
class Throughput:
    """Median rates (jobs/s) over the rounds, and the median of each round's ratio of
    riskreport to raw Celery without and with a result backend."""

    raw: float
    raw_results: float
    ours: float
    ratio: float
    ratio_results: float


async def throughput(cluster: Cluster, store: SqlJobStore, args: argparse.Namespace) -> Throughput:
    """``args.rounds`` rounds that alternate raw Celery, raw Celery with results and
    riskreport (every worker up, the idle ones waiting on Redis), so that a change in the
    machine's load touches both sides of a ratio alike."""
    with (
        cluster.workers("raw", 1, args.concurrency),
        cluster.workers("raw-results", 1, args.concurrency),
        cluster.workers("riskreport", 1, args.concurrency),
    ):
        raw = RawRate(cluster)
        raw_results = RawResultsRate(cluster)
        engine = await cluster.engine(store, args.concurrency)
        ours = RiskreportRate(engine, args.in_flight)
        try:
            raw.rate(50)  # warm-up
            raw_results.rate(50)
            await ours.rate(50)
            raws, with_results, oursl = [], [], []
            for round_ in range(1, args.rounds + 1):
                raws.append(raw.rate(args.jobs))
                with_results.append(raw_results.rate(args.jobs))
                oursl.append(await ours.rate(args.jobs))
                print(
                    f"round {round_}: raw Celery {raws[-1]:.0f} jobs/s, with results "
                    f"{with_results[-1]:.0f} jobs/s, riskreport {oursl[-1]:.0f} jobs/s, ratio "
                    f"{oursl[-1] / raws[-1]:.2f} (with results {oursl[-1] / with_results[-1]:.2f})",
                    flush=True,
                )
        finally:
            raw.close()
            raw_results.close()
            await engine.shutdown()
    return Throughput(
        raw=statistics.median(raws),
        raw_results=statistics.median(with_results),
        ours=statistics.median(oursl),
        ratio=statistics.median(o / r for o, r in zip(oursl, raws, strict=True)),
        ratio_results=statistics.median(o / r for o, r in zip(oursl, with_results, strict=True)),
    )


async def io_makespan(engine: Engine, jobs: int, seconds: float, slots: int) -> float:
    # Every pool process takes a job first (a loaded machine forks them slowly).
    warm = [await engine.submit("io", {"seconds": 0.5}) for _ in range(2 * slots)]
    for job in warm:
        await engine.wait(job.id, timeout=120)
    started = time.perf_counter()
    submitted = [await engine.submit("io", {"seconds": seconds}) for _ in range(jobs)]
    for job in submitted:
        done = await engine.wait(job.id, timeout=120)
        if done.status is not JobStatus.SUCCEEDED:
            raise RuntimeError(f"an I/O job ended {done.status}: {done.error}")
    return time.perf_counter() - started


async def latencies(engine: Engine, rate: float, seconds: float) -> list[float]:
    found: list[float] = []

    async def one() -> None:
        started = time.perf_counter()
        job = await engine.submit("trivial", {})
        await engine.wait(job.id, timeout=60)
        found.append((time.perf_counter() - started) * 1000)

    tasks = []
    for _ in range(int(rate * seconds)):
        tasks.append(asyncio.create_task(one()))
        await asyncio.sleep(1 / rate)
    await asyncio.gather(*tasks)
    return found


async def main_async(args: argparse.Namespace) -> str:
    load_before = os.getloadavg()
    async with Cluster.opened(args.broker, args.database_url) as (cluster, store):
        rates = await throughput(cluster, store, args)
        print(
            f"riskreport / raw: {rates.ratio:.2f} x, / raw with results: "
            f"{rates.ratio_results:.2f} x (medians of {args.rounds} rounds)",
            flush=True,
        )
        if args.throughput_only:
            return ""
        with cluster.workers("riskreport", 1, args.concurrency):
            engine = await cluster.engine(store, args.concurrency)
            lat = await latencies(engine, args.rate, args.latency_seconds)
            print(f"latency p50 {percentile(lat, 50):.1f} ms", flush=True)
            await engine.shutdown()
        spans = {}
        for count in (1, 2):
            with cluster.workers("riskreport", count, 16):
                engine = await cluster.engine(store, 16 * count)
                spans[count] = await io_makespan(engine, 64, 1.0, 16 * count)
                print(f"64 x 1 s on {count} worker(s): {spans[count]:.2f} s", flush=True)
                await engine.shutdown()
    load_after = os.getloadavg()
    return table(args, rates, spans, lat, load_before, load_after)


def table(
    args: argparse.Namespace,
    rates: Throughput,
    spans: dict[int, float],
    lat: list[float],
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> str:
    store = "PostgreSQL" if args.database_url else "SQLite file"
    return "\n".join(
        [
            BEGIN,
            "## Scale-out: the Celery backend on Redis",
            "",
            f"`python -m bench.celery_scale` on {platform.system()} {platform.machine()}, "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}; Redis on loopback, "
            f"{store} store; one run of each. Load average (1 min) "
            f"{load_before[0]:.1f} before, {load_after[0]:.1f} after: the machine is shared.",
            "",
            "| measurement | result |",
            "|---|---:|",
            f"| raw Celery `send_task` of {args.jobs}, counting task, prefork {args.concurrency} | "
            f"{rates.raw:.0f} jobs/s |",
            f'| raw Celery, task returning `{{"ok": 1}}` to a Redis result backend, each '
            f"result waited for | {rates.raw_results:.0f} jobs/s |",
            f"| riskreport, Celery backend, trivial jobs, prefork {args.concurrency}, "
            f"{args.in_flight or 'all'} in flight | "
            f"{rates.ours:.0f} jobs/s |",
            f"| riskreport / raw (median of {args.rounds} alternating rounds) | "
            f"{rates.ratio:.2f} x |",
            f"| riskreport / raw with results (same rounds) | {rates.ratio_results:.2f} x |",
            f"| 64 jobs of 1 s I/O, 1 worker (16 slots) | {spans[1]:.2f} s (ideal 4) |",
            f"| 64 jobs of 1 s I/O, 2 workers (16 slots each) | {spans[2]:.2f} s (ideal 2) |",
            f"| speed-up 1 -> 2 workers | {spans[1] / spans[2]:.2f} x |",
            f"| submit-to-result latency at {args.rate:g} jobs/s, p50 | "
            f"{percentile(lat, 50):.1f} ms |",
            f"| submit-to-result latency at {args.rate:g} jobs/s, p99 | "
            f"{percentile(lat, 99):.1f} ms |",
            "",
            "A riskreport job costs more than a raw task by design: it is written to the store "
            "when admitted, started and finished, each change is published on the event bus, and "
            "the waiter wakes on it. Target riskreport / raw >= 0.8 x: "
            + ("met." if rates.ratio >= 0.8 else "not met."),
            END,
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.celery_scale", description=__doc__)
    parser.add_argument(
        "--broker", default=os.environ.get("RISKREPORT_BROKER_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument(
        "--in-flight",
        type=int,
        default=0,
        help="riskreport jobs submitted and not yet finished at most (0: all, as raw Celery)",
    )
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--latency-seconds", type=float, default=10.0)
    parser.add_argument("--rounds", type=int, default=3, help="alternating throughput rounds")
    parser.add_argument(
        "--throughput-only",
        action="store_true",
        help="measure the throughput rounds alone (nothing is written)",
    )
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    section = asyncio.run(main_async(args))
    print(section)
    if section and not args.no_write:
        replace_section(section, BEGIN, END, DOC)


if __name__ == "__main__":
    main()
