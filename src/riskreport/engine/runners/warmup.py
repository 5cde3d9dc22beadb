"""A gate that jobs pass once their runner has warmed up.

Admission opens before warm-up ends (``/readyz`` says 503 meanwhile, but a job submitted then
simply waits in the queue), so each runner keeps one gate. Use::

    gate = WarmUp()
    ...                       # in start(): gate.open() or gate.open(warm_up_failed(exc))
    await gate.passed()       # in run(): returns at once after a good warm-up
"""

from __future__ import annotations

import anyio

from riskreport.engine.errors import WarmUpFailed


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
