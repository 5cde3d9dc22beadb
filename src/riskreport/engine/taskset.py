"""Background tasks the engine owns, kept referenced and cancelled together at shutdown.

The engine's lifetime spans ``start()`` and ``shutdown()``, which callers may await from
different tasks (a lifespan, a test fixture), so a task group entered in one and exited in the
other is not an option. This small set is the alternative: tasks run on the current asyncio
loop, stay referenced until done (asyncio keeps only weak references), and log what escapes.

Use::

    tasks = TaskSet()
    tasks.spawn(write_progress(job_id), name="progress")
    await tasks.wait(within=5)   # then tasks.cancel() and await tasks.wait() for the rest
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

log = logging.getLogger("riskreport.engine")


class TaskSet:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, T], *, name: str | None = None) -> asyncio.Task[T]:
        """Start ``coro`` as a task in the current context (contextvars are copied)."""
        task = asyncio.get_running_loop().create_task(coro, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("background task %s failed", task.get_name(), exc_info=exc)

    def __len__(self) -> int:
        return len(self._tasks)

    def cancel(self) -> None:
        for task in self._tasks:
            task.cancel()

    async def wait(self, within: float | None = None) -> bool:
        """Wait until every task is done or ``within`` seconds pass; True when all are done."""
        if not self._tasks:
            return True
        _, pending = await asyncio.wait(set(self._tasks), timeout=within)
        return not pending
