"""A service that dies mid-job: ``python -m tests.engine.dying_service <sqlite file>``.

It starts an engine on the SQLite store, submits a job that blocks, prints the job's id once the
store says ``running``, then waits to be killed (the restart test sends SIGKILL).
"""

from __future__ import annotations

import sys

import anyio

from riskreport.engine.backends.local import LocalBackend
from riskreport.engine.engine import Engine
from riskreport.engine.spec import JobSpec
from riskreport.storage.sql import SqlJobStore


async def main(path: str) -> None:
    store = SqlJobStore(f"sqlite:///{path}")
    await store.open()
    engine = Engine(
        store,
        LocalBackend(concurrency=1),
        [JobSpec("block", "tests.engine.jobfuncs:block")],
        queue_limit=5,
        job_timeout=60,
        shutdown_grace=1,
    )
    await engine.start()
    running = await engine.submit("block", {"seconds": 60})
    queued = await engine.submit("block", {"seconds": 60})
    async for job in engine.events(running.id):
        if job.status.value == "running":
            break
    print(running.id, queued.id, flush=True)
    await anyio.sleep_forever()


if __name__ == "__main__":
    anyio.run(main, sys.argv[1])
