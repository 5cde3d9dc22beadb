"""A service that dies mid-job: ``python -m tests.engine.dying_service <sqlite file> [marker]``.

It starts an engine on the SQLite store, submits a job that blocks, prints the job's id once the
store says ``running``, then waits to be killed (the restart test sends SIGKILL). Given a
``marker`` path, the jobs run in the process runner and the running one writes its worker
process's pid there.
"""

from __future__ import annotations

import sys

import anyio

from riskreport.engine.backends.local import LocalBackend
from riskreport.engine.engine import Engine
from riskreport.engine.spec import JobSpec, RunnerKind
from riskreport.storage.sql import SqlJobStore
from tests.engine.conftest import until


async def _noted(marker: str) -> bool:
    """The job wrote its worker's pid (a whole line) to ``marker``."""
    path = anyio.Path(marker)
    return await path.exists() and (await path.read_text()).endswith("\n")


async def main(path: str, marker: str | None = None) -> None:
    runner = RunnerKind.THREAD if marker is None else RunnerKind.PROCESS
    store = SqlJobStore(f"sqlite:///{path}")
    await store.open()
    engine = Engine(
        store,
        LocalBackend(concurrency=1),
        [JobSpec("block", "tests.engine.jobfuncs:block", runner)],
        queue_limit=5,
        job_timeout=60,
        shutdown_grace=1,
    )
    await engine.start()
    payload: dict[str, object] = {"seconds": 60}
    if marker is not None:
        payload["marker"] = marker
    running = await engine.submit("block", payload)
    queued = await engine.submit("block", {"seconds": 60})
    async for job in engine.events(running.id):
        if job.status.value == "running":
            break
    # The job's own first step, in its worker process: only then is there work to outlive us.
    if marker is not None:
        await until(lambda: _noted(marker), within=10)
    print(running.id, queued.id, flush=True)
    await anyio.sleep_forever()


if __name__ == "__main__":
    anyio.run(main, sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)
