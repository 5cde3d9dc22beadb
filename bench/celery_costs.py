"""What one trivial job costs on the Celery backend: store calls, SQL round trips, Redis commands
and CPU time per job, in the API process and in the worker, against raw Celery.

Run with ``python -m bench.celery_costs`` (Redis at ``--broker``; use a database number nobody
else uses, since Redis commands are counted per database with ``MONITOR``; the store is a SQLite
file in a temporary folder, or ``--database-url``). Counts, unlike wall-clock rates, do not
depend on how loaded the machine is; CPU seconds per job depend on it less than rates do.
Nothing is written to the docs.

``--cpu-only`` measures CPU alone, under the throughput benchmark's load: no ``MONITOR`` and no
counting hooks (each costs CPU of its own), every job sent at once (``--in-flight 0``, as
``bench.celery_scale``), and Redis's CPU (a local ``redis-server``) and the whole machine's busy
cores (``/proc/stat``) besides. The per-process table in docs/benchmarks.md comes from
``python -m bench.celery_costs --cpu-only --jobs 5000 --in-flight 0``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import threading
import time
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import redis

from bench import counting
from bench.celery_parts import COUNTS_FOLDER, RAW_TASK, raw_app
from bench.celery_scale import Cluster
from riskreport.engine.jobs import JobStatus
from riskreport.storage.sql import SqlJobStore

TICKS = os.sysconf("SC_CLK_TCK")


class Monitor:
    """Redis commands sent on database ``db`` while it runs, by command name."""

    def __init__(self, url: str) -> None:
        self._client = redis.Redis.from_url(url)
        self.db = int(self._client.connection_pool.connection_kwargs.get("db", 0))
        self.commands: Counter[str] = Counter()
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Monitor:
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._client.ping()  # wakes the monitor's read
        self._thread.join(10)

    def _run(self) -> None:
        with self._client.monitor() as monitor:  # type: ignore[no-untyped-call]
            self._ready.set()
            for command in monitor.listen():
                if self._stop.is_set():
                    return
                if int(command.get("db", -1)) == self.db:
                    self.commands[str(command["command"]).split(" ", 1)[0].upper()] += 1


def group_cpu(pgid: int) -> tuple[float, float]:
    """CPU seconds (user + system) of the live processes of process group ``pgid``: of its
    leader (a worker's consumer), and of the others (its pool processes)."""
    leader = others = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, ...
            ticks = int(fields[11]) + int(fields[12])
            if int(entry.name) == pgid:
                leader += ticks
            else:
                others += ticks
    return leader / TICKS, others / TICKS


def workers_cpu(pgids: list[int]) -> tuple[float, float]:
    found = [group_cpu(pgid) for pgid in pgids]
    return sum(leader for leader, _ in found), sum(pool for _, pool in found)


def redis_server_cpu() -> float | None:
    """CPU seconds of the local ``redis-server`` (None when none runs here)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "redis-server":
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        return (int(fields[11]) + int(fields[12])) / TICKS
    return None


def machine_cpu() -> float:
    """CPU seconds the whole machine spent busy (user, nice, system) since boot."""
    user, nice, system = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:4]
    return (int(user) + int(nice) + int(system)) / TICKS


@dataclass(frozen=True)
class Usage:
    """CPU seconds so far of each part, and the wall clock."""

    api: float
    consumer: float
    pool: float
    redis: float | None
    machine: float
    wall: float

    @classmethod
    def now(cls, pgids: list[int]) -> Usage:
        consumer, pool = workers_cpu(pgids)
        return cls(
            time.process_time(),
            consumer,
            pool,
            redis_server_cpu(),
            machine_cpu(),
            time.perf_counter(),
        )

    def cpu_ms(self, later: Usage, jobs: int) -> dict[str, float]:
        """Milliseconds of CPU per job of the API process and the worker from here to
        ``later``."""
        return {
            "api cpu ms": (later.api - self.api) / jobs * 1000,
            "worker consumer cpu ms": (later.consumer - self.consumer) / jobs * 1000,
            "worker pool cpu ms": (later.pool - self.pool) / jobs * 1000,
        }

    def per_job(self, later: Usage, jobs: int) -> dict[str, float]:
        """:meth:`cpu_ms`, Redis's CPU per job, the machine's busy cores and the rate."""
        found = self.cpu_ms(later, jobs)
        found["machine busy cores"] = (later.machine - self.machine) / (later.wall - self.wall)
        found["jobs/s"] = jobs / (later.wall - self.wall)
        if self.redis is not None and later.redis is not None:
            found["redis cpu ms"] = (later.redis - self.redis) / jobs * 1000
        return found


async def ours(cluster: Cluster, store: SqlJobStore, args: argparse.Namespace) -> dict[str, float]:
    folder = cluster.folder / "counts"
    folder.mkdir()
    if not args.cpu_only:
        os.environ[COUNTS_FOLDER] = str(folder)
    try:
        with cluster.workers("riskreport", 1, args.concurrency) as pgids:
            engine = await cluster.engine(store, args.concurrency)
            gate = asyncio.Semaphore(args.in_flight or sys.maxsize)

            async def one() -> None:
                async with gate:
                    job = await engine.submit("trivial", {})
                    done = await engine.wait(job.id, timeout=120)
                    if done.status is not JobStatus.SUCCEEDED:
                        raise RuntimeError(f"a trivial job ended {done.status}: {done.error}")

            await asyncio.gather(*(one() for _ in range(args.warm_up)))
            if args.cpu_only:
                before = Usage.now(pgids)
                await asyncio.gather(*(one() for _ in range(args.jobs)))
                after = Usage.now(pgids)
                await engine.shutdown()
                return before.per_job(after, args.jobs)
            before = Usage.now(pgids)
            counting.reset()
            batches: int = getattr(cluster.backend, "batches_sent", 0)
            with Monitor(args.broker) as monitor:
                started = time.perf_counter()
                await asyncio.gather(*(one() for _ in range(args.jobs)))
                elapsed = time.perf_counter() - started
                after = Usage.now(pgids)
            api = counting.counts()
            # Celery messages per publish batch (a backend without batches sent one at a time).
            sends = getattr(cluster.backend, "batches_sent", batches + args.jobs) - batches
            await engine.shutdown()
    finally:
        os.environ.pop(COUNTS_FOLDER, None)
    workers = counting.read(folder)  # the warm-up's jobs included: see --warm-up
    n, all_jobs = args.jobs, args.jobs + args.warm_up
    found = {f"api {name}": count / n for name, count in sorted(api.items())}
    found["api celery messages per send"] = n / max(1, sends)
    found |= {f"worker {name}": count / all_jobs for name, count in sorted(workers.items())}
    found |= {f"redis {name}": count / n for name, count in sorted(monitor.commands.items())}
    found["redis commands"] = sum(monitor.commands.values()) / n
    found |= before.cpu_ms(after, n)
    found["jobs/s (with MONITOR on)"] = n / elapsed
    return found


def raw(cluster: Cluster, args: argparse.Namespace) -> dict[str, float]:
    os.environ["RISKREPORT_BROKER_URL"] = cluster.broker
    os.environ["RISKREPORT_CELERY_QUEUE"] = cluster.queue
    with cluster.workers("raw", 1, args.concurrency) as pgids:
        app = raw_app()
        counter = redis.Redis.from_url(cluster.broker)
        queue = cluster.queue + "-raw"
        key = f"{queue}:count"
        for _ in range(args.warm_up):
            app.send_task(RAW_TASK, args=[key], queue=queue)
        while int(counter.get(key) or 0) < args.warm_up:
            time.sleep(0.002)
        counter.delete(key)
        before = Usage.now(pgids)
        with nullcontext() if args.cpu_only else Monitor(args.broker) as monitor:
            for _ in range(args.jobs):
                app.send_task(RAW_TASK, args=[key], queue=queue)
            while int(counter.get(key) or 0) < args.jobs:
                time.sleep(0.002)
            after = Usage.now(pgids)
        counter.delete(key)
        app.close()
    if monitor is None:
        return before.per_job(after, args.jobs)
    n = args.jobs
    found = {f"redis {name}": count / n for name, count in sorted(monitor.commands.items())}
    found["redis commands"] = sum(monitor.commands.values()) / n
    return found | before.cpu_ms(after, n)


async def main_async(args: argparse.Namespace) -> None:
    if not args.cpu_only:
        counting.install()
    async with Cluster.opened(args.broker, args.database_url) as (cluster, store):
        baseline = raw(cluster, args)
        found = await ours(cluster, store, args)
    print(f"per job, {args.jobs} trivial jobs, prefork {args.concurrency}:")
    print(f"{'':40} {'raw Celery':>12} {'riskreport':>12}")
    for name in sorted(baseline.keys() | found.keys()):
        left = f"{baseline[name]:.2f}" if name in baseline else ""
        right = f"{found[name]:.2f}" if name in found else ""
        print(f"{name:40} {left:>12} {right:>12}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.celery_costs", description=__doc__)
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--jobs", type=int, default=500)
    parser.add_argument("--warm-up", type=int, default=50)
    parser.add_argument(
        "--in-flight", type=int, default=64, help="riskreport jobs in flight at most (0: all)"
    )
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--cpu-only",
        action="store_true",
        help="CPU per job alone, without MONITOR or counting hooks (see above)",
    )
    asyncio.run(main_async(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
