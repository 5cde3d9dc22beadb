"""Waiters woken by changes that other server processes make to a shared store.

With ``serve --workers N`` every process runs the jobs it admitted, in its own pools, on one
store. A client's wait, event stream or cancel may reach any process, so each process tells the
others of every change it writes, over a :class:`ChangeBus` (PostgreSQL's LISTEN/NOTIFY:
:mod:`riskreport.storage.postgres_changes`). A notice names the job and whether the change made it
final, nothing more: the listeners read the job from the store, as after a poll. Notices are not
kept for a listener that is away, so waiters still re-read the store every ``poll_interval``
seconds as a fallback, and a listener that subscribes again wakes every waiter
(``LocalNotifier.nudge_all``).

Use (the engine does this when given a bus)::

    notifier = SharedNotifier(bus)        # a LocalNotifier that also tells the bus
    notifier.publish(job.id, final_job)   # wakes waiters here, and sends a notice
    await bus.listen(lambda job_id, final: notifier.nudge(job_id, final=final))
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Protocol

from riskreport.engine.events.notifier import LocalNotifier
from riskreport.engine.jobs import Job

# Called with the job id and whether the change made the job final.
OnNotice = Callable[[str, bool], None]


class ChangeBus(Protocol):
    def publish(self, job_id: str, final: bool) -> None:
        """Tell the other processes that ``job_id`` changed in the store (call after the write,
        on the event loop). Never blocks; a notice that cannot be sent is logged and dropped."""

    async def listen(
        self,
        on_notice: OnNotice,
        *,
        subscribed: asyncio.Event | None = None,
        on_resubscribe: Callable[[], None] | None = None,
    ) -> None:
        """Call ``on_notice(job_id, final)`` for every notice another process sends, until
        cancelled, listening again after a lost connection. ``subscribed`` is set once the first
        subscription stands; ``on_resubscribe`` is called after each later one (notices sent
        meanwhile were lost)."""

    async def aclose(self) -> None:
        """Send what was published, then close the connections."""


class SharedNotifier(LocalNotifier):
    """A :class:`LocalNotifier` whose every publish is also sent to the other processes."""

    def __init__(self, bus: ChangeBus) -> None:
        super().__init__()
        self.bus = bus

    def publish(self, job_id: str, final: Job | None = None) -> None:
        super().publish(job_id, final)
        self.bus.publish(job_id, final is not None)
