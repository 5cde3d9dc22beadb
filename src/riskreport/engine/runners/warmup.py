"""A gate that jobs pass once their runner has warmed up.

Admission opens before warm-up ends (``/readyz`` says 503 meanwhile, but a job submitted then
simply waits in the queue), so each runner keeps one gate. Use::

    gate = WarmUp()
    ...                       # in start(): gate.open() or gate.open(warm_up_failed(exc))
    await gate.passed()       # in run(): returns at once after a good warm-up
"""

from __future__ import annotations

import gc

import anyio

from riskreport.engine.errors import WarmUpFailed


def freeze_warm_heap() -> None:
    """Take what a warm-up built out of the garbage collector's sight.

    The warm-up's objects (modules, tables, indexes, clients) live as long as the process. Left
    in the collector's oldest generation, every full collection walks all of them: in a warmed
    report worker about 180,000 objects, 35-80 ms of CPU holding the GIL, paid by whichever job
    or request allocated past the threshold (in the API process, a stall of the event loop).
    Frozen, a full collection walks only objects made since. A collection of the young
    generations first keeps the warm-up's recent garbage out of the frozen set; a full one
    would walk the whole warmed heap once more (about 0.1 s, on the API process's event loop,
    as the runners finish warming up) and, measured in a warmed API process, found nothing to
    free. Called once a process has warmed up: a runner's worker process, a Celery pool
    process, the API process.
    """
    gc.collect(1)
    gc.freeze()


def warm_up_failed(exc: BaseException) -> WarmUpFailed:
    """A :class:`WarmUpFailed` naming the first real error inside ``exc`` (task groups wrap
    errors in exception groups; the caller wants the initializer's own message)."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    if isinstance(exc, WarmUpFailed):
        return exc
    failed = WarmUpFailed(f"the runner failed to warm up: {type(exc).__name__}: {exc}")
    failed.__cause__ = exc
    return failed


class WarmUp:
    def __init__(self) -> None:
        self._event: anyio.Event | None = None
        self._opened = False
        self._error: WarmUpFailed | None = None

    @property
    def opened(self) -> bool:
        return self._opened and self._error is None

    def open(self, error: WarmUpFailed | None = None) -> None:
        self._opened = True
        self._error = error
        if self._event is not None:
            self._event.set()

    async def passed(self) -> None:
        """Wait for warm-up; raise :class:`WarmUpFailed` if it failed."""
        if not self._opened:
            if self._event is None:
                self._event = anyio.Event()
            await self._event.wait()
        if self._error is not None:
            raise self._error
