"""Trivial jobs per second through the engine (local backend, thread runner) on each store.

Run with ``python -m bench.store_throughput [--jobs N] [--stores sqlite postgresql memory]``.
Each job is ``return {"ok": 1}``: what is measured is the engine and the store (three writes
and the waiter's wake-up per job). ``--in-flight`` jobs are submitted and waited for at once.
For the SQL stores it prints the writes, transactions and statements of group commit (warm-up
included): merged writes make fewer statements than writes.
PostgreSQL: ``RISKREPORT_TEST_POSTGRES_URL`` (default ``postgresql://postgres@127.0.0.1:5432/test``),
in tables with a prefix of their own, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
import uuid
from pathlib import Path

from bench.load import run_showing_load
from riskreport.engine.backends.local import LocalBackend
from riskreport.engine.engine import Engine
from riskreport.engine.jobs import JobStatus
from riskreport.engine.spec import JobSpec, RunnerKind
from riskreport.engine.store import JobStore
from riskreport.storage.memory import MemoryJobStore
from riskreport.storage.sql import SqlJobStore

POSTGRES_URL = os.environ.get(
    "RISKREPORT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
SPEC = JobSpec("trivial", "bench.contenders:trivial_job", RunnerKind.THREAD)


async def throughput(store: JobStore, jobs: int, in_flight: int, slots: int) -> float:
    """Jobs per second, submit to final, with ``in_flight`` jobs at a time."""
    engine = Engine(
        store,
        LocalBackend(concurrency=slots),
        [SPEC],
        queue_limit=jobs + in_flight,
        job_timeout=30,
        shutdown_grace=5,
    )
    await engine.start()
    try:
        return await trivial_rate(engine, jobs, in_flight)
    finally:
        await engine.shutdown()


async def trivial_rate(engine: Engine, jobs: int, in_flight: int) -> float:
    """Trivial jobs per second through a started ``engine`` (``SPEC``'s kind), submit to final,
    ``in_flight`` at a time, after a warm-up of 200."""
    gate = asyncio.Semaphore(in_flight)
    failures = 0

    async def one() -> None:
        nonlocal failures
        async with gate:
            job = await engine.submit(SPEC.kind, {})
            if (await engine.wait(job.id, timeout=30)).status is not JobStatus.SUCCEEDED:
                failures += 1

    await asyncio.gather(*(one() for _ in range(min(200, jobs))))  # warm-up
    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(jobs)))
    elapsed = time.perf_counter() - started
    if failures:
        raise RuntimeError(f"{failures} trivial jobs did not succeed")
    return jobs / elapsed


async def on_store(kind: str, args: argparse.Namespace, tmp: Path) -> float:
    store: JobStore
    if kind == "memory":
        store = MemoryJobStore()
    elif kind == "sqlite":
        store = SqlJobStore(f"sqlite:///{tmp / 'jobs.db'}")
    else:
        store = SqlJobStore(POSTGRES_URL, table_prefix=f"bench{uuid.uuid4().hex[:8]}_")
    await store.open()
    try:
        before = store.write_batches() if isinstance(store, SqlJobStore) else (0, 0, 0)
        rate = await throughput(store, args.jobs, args.in_flight, args.slots)
        if isinstance(store, SqlJobStore):
            after = store.write_batches()
            batches, writes, statements = (b - a for a, b in zip(before, after, strict=True))
            print(
                f"{kind}: {writes} writes in {batches} transactions of {statements} statements"
                f" ({writes / batches:.1f} writes, {statements / batches:.1f} statements each)",
                flush=True,
            )
        return rate
    finally:
        await store.close()
        if isinstance(store, SqlJobStore) and kind == "postgresql":
            await drop(store)


async def drop(store: SqlJobStore) -> None:
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(store.url)
    try:
        async with engine.begin() as conn:
            await conn.run_sync(store.tables.metadata.drop_all)
    finally:
        await engine.dispose()


async def main_async(args: argparse.Namespace) -> dict[str, float]:
    rates = {}
    with tempfile.TemporaryDirectory(prefix="riskreport-bench-") as tmp:
        for kind in args.stores:
            rates[kind] = await on_store(kind, args, Path(tmp))
            print(f"{kind}: {rates[kind]:.0f} trivial jobs/s", flush=True)
    if "postgresql" in rates and "sqlite" in rates:
        # The machine may be shared: a ratio from one run says more than either figure alone.
        ratio = rates["postgresql"] / rates["sqlite"]
        print(f"postgresql / sqlite in this run: {ratio:.2f}", flush=True)
    return rates


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.store_throughput", description=__doc__)
    parser.add_argument("--jobs", type=int, default=3000)
    parser.add_argument("--in-flight", type=int, default=64)
    parser.add_argument("--slots", type=int, default=16)
    parser.add_argument(
        "--stores", nargs="+", choices=("memory", "sqlite", "postgresql"), default=["postgresql"]
    )
    args = parser.parse_args(argv)
    run_showing_load(main_async(args))


if __name__ == "__main__":
    main()
