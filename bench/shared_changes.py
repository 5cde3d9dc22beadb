"""``serve --workers N`` on PostgreSQL: what the change notices buy and what they cost.

Run with ``python -m bench.shared_changes [--jobs N] [--rate R] [--throughput-jobs N]``.

1. **Heard through another process.** Two engines as two server processes open them (each its
   own store connections and lease, one set of tables): one runs a trivial job at a steady
   rate, the other waits for it (``Engine.wait``, as a ``Prefer: wait`` served there would).
   The time from submit to the watcher's answer, with notices (LISTEN/NOTIFY) and without (the
   watcher finds the change at its store read, every ``--poll`` seconds).
2. **Their cost.** Trivial jobs per second through one such engine, with and without notices,
   in alternating rounds (each job sends three: admitted, running, final).

PostgreSQL: ``RISKREPORT_TEST_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``),
in tables with a prefix of their own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bench.load import run_showing_load
from bench.store_throughput import POSTGRES_URL, SPEC, drop, trivial_rate
from riskreport.engine.backends.local import LocalBackend
from riskreport.engine.engine import Engine
from riskreport.engine.jobs import JobStatus
from riskreport.engine.recovery import Lease
from riskreport.storage.postgres_changes import PostgresChangeBus, conninfo
from riskreport.storage.sql import SqlJobStore


def server_engine(store: SqlJobStore, *, notices: bool, poll: float, queue: int) -> Engine:
    """An engine as a worker of ``serve --workers N`` builds it (shared store, lease)."""
    changes = (
        PostgresChangeBus(conninfo(store.url), channel=store.tables.jobs.name) if notices else None
    )
    return Engine(
        store,
        LocalBackend(concurrency=16, shared_store=True, store_poll_interval=poll),
        [SPEC],
        queue_limit=queue,
        job_timeout=30,
        shutdown_grace=5,
        lease=Lease(store, seconds=30),
        changes=changes,
    )


@asynccontextmanager
async def engines(
    count: int, *, notices: bool, poll: float, queue: int
) -> AsyncIterator[list[Engine]]:
    prefix = f"bench{uuid.uuid4().hex[:8]}_"
    stores = [
        SqlJobStore(POSTGRES_URL, table_prefix=prefix, runner=f"bench-{i}") for i in range(count)
    ]
    started: list[Engine] = []
    try:
        for store in stores:
            await store.open()
            engine = server_engine(store, notices=notices, poll=poll, queue=queue)
            await engine.start()
            started.append(engine)
        yield started
    finally:
        for engine in started:
            await engine.shutdown()
        for store in stores:
            await store.close()
        await drop(stores[0])


async def heard_elsewhere(jobs: int, rate: float, *, notices: bool, poll: float) -> list[float]:
    """Seconds from submit (in one engine) to the answer of a wait in the other, per job."""
    async with engines(2, notices=notices, poll=poll, queue=jobs + 10) as (runs, watches):
        latencies: list[float] = []

        async def one() -> None:
            started = time.perf_counter()
            job = await runs.submit(SPEC.kind, {})
            done = await watches.wait(job.id, timeout=30)
            if done.status is not JobStatus.SUCCEEDED:
                raise RuntimeError(f"job {job.id} is {done.status}")
            latencies.append(time.perf_counter() - started)

        tasks = []
        for _ in range(jobs):
            tasks.append(asyncio.create_task(one()))
            await asyncio.sleep(1.0 / rate)
        await asyncio.gather(*tasks)
        return latencies


async def throughput(jobs: int, in_flight: int, *, notices: bool) -> float:
    async with engines(1, notices=notices, poll=0.5, queue=jobs + in_flight) as (engine,):
        return await trivial_rate(engine, jobs, in_flight)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


async def main_async(args: argparse.Namespace) -> None:
    for notices in (True, False):
        seconds = await heard_elsewhere(args.jobs, args.rate, notices=notices, poll=args.poll)
        label = "with notices" if notices else f"polling every {args.poll:g} s"
        print(
            f"heard through the other process, {label}: p50 "
            f"{statistics.median(seconds) * 1000:.1f} ms, p99 {percentile(seconds, 99) * 1000:.1f}"
            f" ms ({len(seconds)} jobs at {args.rate:g}/s)",
            flush=True,
        )
    for round_ in range(args.rounds):
        rates = {n: await throughput(args.throughput_jobs, 64, notices=n) for n in (False, True)}
        print(
            f"round {round_ + 1}: {rates[False]:.0f} trivial jobs/s without notices, "
            f"{rates[True]:.0f} with ({rates[True] / rates[False]:.2f} x)",
            flush=True,
        )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.shared_changes", description=__doc__)
    parser.add_argument("--jobs", type=int, default=200)
    parser.add_argument("--rate", type=float, default=20.0, help="jobs per second")
    parser.add_argument("--poll", type=float, default=0.5, help="the store read's interval, s")
    parser.add_argument("--throughput-jobs", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    run_showing_load(main_async(args))


if __name__ == "__main__":
    main()
