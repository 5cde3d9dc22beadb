"""Concurrency benchmark: four ways to serve a slow synchronous job over real HTTP.

Run with ``make bench`` or ``python -m bench.concurrency [--jobs N] [--seconds T] [--slots C]``.
The table lands in ``docs/benchmarks.md`` between the ``bench:concurrency`` markers.

A stand-in job waits ``T`` seconds on blocking I/O (``time.sleep``). ``N`` clients post at once
to a uvicorn server in a child process, one server per mode:

(a) ``naive``: an ``async def`` handler calls the job directly (the original bug);
(b) ``executor``: the common fix, ``loop.run_in_executor`` on a 4-thread pool;
(c) ``def``: a FastAPI ``def`` endpoint (Starlette's thread pool, 40 threads by default);
(d) ``riskreport``: ``POST /v1/reports`` with ``Prefer: wait`` on the real app (SQLite store,
    local backend, thread runner, ``C`` slots) with the job function swapped for the stand-in;
(d') ``riskreport-memory``: the same with the in-memory store, to show the database's share.

Meanwhile one more client, in a process of its own, calls ``GET /healthz`` back to back; its
latency shows whether the event loop stayed free. The load clients are light (``h11`` over
asyncio, see ``bench.load``) and connect before the clock starts, so the figures describe the
servers. Makespan is compared with ``ceil(N / C) * T`` for the mode's own ``C``.
A last measurement compares the engine's overhead per trivial job with a raw
``run_in_executor`` call, in-process.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from bench.contenders import (
    ENV_DB,
    ENV_MODE,
    ENV_SECONDS,
    ENV_SLOTS,
    EXECUTOR_THREADS,
    REPORT_BODY,
    STARLETTE_THREADS,
    trivial_call,
)
from bench.load import HealthProbe, LoadConnection, percentile, replace_section
from bench.servers import ROOT, free_port, start_uvicorn, stop, wait_until_ready

DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:concurrency -->", "<!-- /bench:concurrency -->"
MODES = ("naive", "executor", "def", "riskreport", "riskreport-memory")
# -- the load -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    mode: str
    slots: int
    jobs: int
    seconds: float
    makespan: float
    health_ms: list[float]
    failures: int
    # makespan / ideal of every run of this mode (riskreport modes run --repeat times; the
    # outcome shown is the median run)
    ratios: tuple[float, ...] = ()

    @property
    def ideal(self) -> float:
        return math.ceil(self.jobs / self.slots) * self.seconds

    def percentile(self, p: float) -> float:
        return percentile(self.health_ms, p)


def start_server(
    mode: str, seconds: float, slots: int, port: int, db: str
) -> subprocess.Popen[bytes]:
    env = {ENV_MODE: mode, ENV_SECONDS: str(seconds), ENV_SLOTS: str(slots), ENV_DB: db}
    return start_uvicorn("bench.contenders:app_from_env", port, env)


def is_riskreport(mode: str) -> bool:
    return mode.startswith("riskreport")


async def one_job(conn: LoadConnection, mode: str) -> bool:
    if not is_riskreport(mode):
        return (await conn.request("POST", "/run")).status == 200
    reply = await conn.request(
        "POST", "/v1/reports", json_body=REPORT_BODY, headers={"prefer": "wait=60"}
    )
    # Prefer: wait gives up after 60 s (very long runs): then follow the job until it ends.
    location = reply.headers.get("location")
    while reply.status in (200, 202) and reply.json()["status"] in ("queued", "running"):
        if location is None:
            return False
        reply = await conn.request("GET", location, headers={"prefer": "wait=60"})
    return reply.status == 200 and reply.json()["status"] == "succeeded"


async def load(mode: str, port: int, jobs: int, seconds: float, slots: int) -> Outcome:
    probe = await HealthProbe.start("127.0.0.1", port)
    # Open the N connections first: the makespan measures jobs, not TCP handshakes.
    conns = await asyncio.gather(*(LoadConnection.open("127.0.0.1", port) for _ in range(jobs)))
    try:
        await asyncio.gather(*(conn.request("GET", "/healthz") for conn in conns))
        start = time.monotonic()
        done = await asyncio.gather(*(one_job(conn, mode) for conn in conns))
        end = time.monotonic()
    finally:
        probe.stop()
        await asyncio.gather(*(conn.close() for conn in conns))
    # Only health checks sent while the jobs were in flight count.
    health = await probe.finish(start, end)
    makespan = end - start
    return Outcome(mode, slots, jobs, seconds, makespan, health, done.count(False))


async def run_mode(mode: str, jobs: int, seconds: float, slots: int, tmp: Path) -> Outcome:
    port = free_port()
    tmp.mkdir(parents=True, exist_ok=True)
    db = "memory://" if mode == "riskreport-memory" else f"sqlite:///{tmp / f'{mode}.db'}"
    server = start_server(mode, seconds, slots, port, db)
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_until_ready(base, "/readyz" if is_riskreport(mode) else "/healthz")
        own_slots = {"naive": 1, "executor": EXECUTOR_THREADS, "def": STARLETTE_THREADS}
        return await load(mode, port, jobs, seconds, own_slots.get(mode, slots))
    finally:
        stop(server)


# -- engine overhead ------------------------------------------------------------------------


async def engine_overhead(rounds: int) -> tuple[float, float]:
    """Microseconds per trivial job: the engine (memory store, local backend) vs raw executor."""
    from riskreport.bootstrap import open_services
    from riskreport.engine.spec import JobSpec, RunnerKind
    from riskreport.settings import Settings

    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(max_workers=4)
    for _ in range(50):  # warm the pool
        await loop.run_in_executor(pool, trivial_call)
    start = time.perf_counter()
    for _ in range(rounds):
        await loop.run_in_executor(pool, trivial_call)
    raw = (time.perf_counter() - start) / rounds * 1e6
    pool.shutdown()

    settings = Settings(_env_file=None, database_url="memory://", concurrency=4, queue_limit=10_000)
    spec = JobSpec(
        kind="trivial", function="bench.contenders:trivial_job", runner=RunnerKind.THREAD
    )
    async with open_services(settings, specs=[spec]) as services:
        engine = services.engine
        while not services.ready:  # warm-up
            await asyncio.sleep(0.01)
        for _ in range(50):
            await engine.wait((await engine.submit("trivial", {})).id, timeout=10)
        start = time.perf_counter()
        for _ in range(rounds):
            await engine.wait((await engine.submit("trivial", {})).id, timeout=10)
        through_engine = (time.perf_counter() - start) / rounds * 1e6
    return raw, through_engine


# -- the table ------------------------------------------------------------------------------


def table(
    outcomes: list[Outcome], overhead: tuple[float, float] | None, command: str, slots: int
) -> str:
    names = {
        "naive": "(a) `async def` calling the sync job",
        "executor": f"(b) `run_in_executor`, {EXECUTOR_THREADS} threads",
        "def": "(c) FastAPI `def` endpoint",
        "riskreport": f"(d) riskreport: SQLite store, local backend, {slots} slots",
        "riskreport-memory": "(d') riskreport with the memory store (no database)",
    }
    first = outcomes[0]
    lines = [
        BEGIN,
        "## Concurrency: slow synchronous jobs over HTTP",
        "",
        f"`{command}` on {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}: N = {first.jobs} concurrent requests, each a job "
        f"waiting T = {first.seconds:g} s on blocking I/O; `/healthz` polled back to back during "
        "the load. Ideal = ceil(N / C) x T with the mode's own concurrency C. The riskreport "
        "rows are each the median of several runs by makespan (every run is listed below).",
        "",
        "| mode | C | makespan (s) | ideal (s) | makespan / ideal "
        "| /healthz p50 (ms) | /healthz p99 (ms) | health samples | failed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        lines.append(
            f"| {names[o.mode]} | {o.slots} | {o.makespan:.2f} | {o.ideal:.2f} | "
            f"{o.makespan / o.ideal:.3f} | {o.percentile(50):.1f} | {o.percentile(99):.1f} | "
            f"{len(o.health_ms)} | {o.failures} |"
        )
    lines.append("")
    for ours in (o for o in outcomes if is_riskreport(o.mode)):
        spread = ", ".join(f"{r:.3f}" for r in ours.ratios)
        lines.append(
            f"- {names[ours.mode]}: makespan {ours.makespan / ours.ideal:.3f} x ideal in the "
            f"median of {len(ours.ratios)} runs ({spread}; target <= 1.05 x), `/healthz` p99 "
            f"{ours.percentile(99):.1f} ms with {ours.jobs} jobs in flight (target <= 10 ms)."
        )
    if overhead is not None:
        raw, through_engine = overhead
        lines.append(
            "- Engine cost per trivial job (submit + wait, memory store, thread runner, "
            f"in-process): {through_engine:.0f} µs, against {raw:.0f} µs for a raw "
            f"`run_in_executor` call: overhead {(through_engine - raw) / raw:.2f} x the raw call "
            "(target <= 2 x)."
        )
    lines += [
        "",
        "Reading the table: in (a) every health check waits behind the jobs (its samples are the "
        "few that got through); (b) keeps the loop free but runs 4 jobs at a time whatever the "
        "load; (c) runs up to 40 at once with no queue limit, timeout, cancel or progress; (d) "
        "and (d') run the real app and engine with the job function swapped for the stand-in. "
        "The difference between (d) and (d') is the job store's share (each job is written to "
        "SQLite when admitted, started and finished). Health checks count only while jobs are "
        "in flight; the load clients and the prober run in other processes on the same machine.",
        END,
    ]
    return "\n".join(lines) + "\n"


def write_section(section: str, doc: Path = DOC) -> None:
    """Replace this benchmark's section of the shared document, leaving the others alone."""
    doc.parent.mkdir(parents=True, exist_ok=True)
    replace_section(section, BEGIN, END, doc)


async def measure(mode: str, args: argparse.Namespace, tmp: Path) -> Outcome:
    """One run of a reference mode; ``--repeat`` runs of ours, as the median run by makespan.

    These machines are shared and small: one run of ours can land on a busy moment, so the
    table shows the median of several and the range of all.
    """
    runs = []
    for run in range(args.repeat if is_riskreport(mode) else 1):
        print(f"{mode}: {args.jobs} jobs of {args.seconds} s (run {run + 1}) ...", flush=True)
        outcome = await run_mode(mode, args.jobs, args.seconds, args.slots, tmp / str(run))
        print(
            f"  makespan {outcome.makespan:.2f} s (ideal {outcome.ideal:.2f}), /healthz p99 "
            f"{outcome.percentile(99):.1f} ms",
            flush=True,
        )
        runs.append(outcome)
    runs.sort(key=lambda o: o.makespan)
    median = runs[(len(runs) - 1) // 2]
    return replace(median, ratios=tuple(o.makespan / o.ideal for o in runs))


async def main_async(args: argparse.Namespace, command: str) -> str:
    outcomes = []
    with tempfile.TemporaryDirectory(prefix="riskreport-bench-") as tmp:
        for mode in args.modes:
            outcomes.append(await measure(mode, args, Path(tmp)))
    overhead = await engine_overhead(args.rounds) if args.rounds > 0 else None
    return table(outcomes, overhead, command, args.slots)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.concurrency", description=__doc__)
    parser.add_argument("--jobs", type=int, default=64, help="concurrent requests N")
    parser.add_argument("--seconds", type=float, default=1.0, help="job duration T")
    parser.add_argument("--slots", type=int, default=16, help="riskreport's concurrency C")
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs of each riskreport mode (median shown)"
    )
    parser.add_argument("--rounds", type=int, default=2000, help="trivial jobs for the overhead")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--no-write", action="store_true", help="print the table only")
    args = parser.parse_args(argv)
    command = " ".join(
        ["python -m bench.concurrency", *(argv if argv is not None else sys.argv[1:])]
    )
    section = asyncio.run(main_async(args, command.strip()))
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"written to {DOC.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
