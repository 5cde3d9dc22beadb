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
    await notifier.start(ended=on_final)  # hears the others: wakes waiters here, and calls
                                          # on_final(job_id) for a job made final elsewhere
    notifier.publish(job.id, final_job)   # wakes waiters here, and sends a notice
    await notifier.aclose()               # stops hearing, sends what is left
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

from riskreport.engine.events.notifier import LocalNotifier
from riskreport.engine.jobs import Job

log = logging.getLogger("riskreport.engine")

# Called with the job id and whether the change made the job final.
OnNotice = Callable[[str, bool], None]
# Called with a job id made final by another process, or None when notices may have been lost.
OnEnded = Callable[[str | None], None]
# Seconds start-up waits for the subscription before it goes on polling the store meanwhile.
SUBSCRIBE_WITHIN = 5.0


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
    """A :class:`LocalNotifier` whose every publish is also sent to the other processes, and
    whose waiters also wake at the other processes' notices (from :meth:`start`)."""

    def __init__(self, bus: ChangeBus) -> None:
        super().__init__()
        self.bus = bus
        self._ended: OnEnded = lambda job_id: None
        self._listening: asyncio.Task[None] | None = None

    def publish(self, job_id: str, final: Job | None = None) -> None:
        super().publish(job_id, final)
        self.bus.publish(job_id, final is not None)

    async def start(self, *, ended: OnEnded) -> None:
        """Listen until :meth:`aclose`; return once the subscription stands, the listener
        gave up, or ``SUBSCRIBE_WITHIN`` seconds passed (waiters poll the store meanwhile)."""
        self._ended = ended
        subscribed = asyncio.Event()
        self._listening = asyncio.create_task(self._hear(subscribed), name="riskreport-changes")
        standing = asyncio.create_task(subscribed.wait())
        await asyncio.wait(
            {standing, self._listening},
            timeout=SUBSCRIBE_WITHIN,
            return_when=asyncio.FIRST_COMPLETED,
        )
        standing.cancel()
        if not subscribed.is_set():
            log.warning("not yet hearing other processes' job changes; polling the store")

    async def _hear(self, subscribed: asyncio.Event) -> None:
        try:
            await self.bus.listen(self._heard, subscribed=subscribed, on_resubscribe=self._missed)
        except Exception:
            # The bus retries what it can mend; this is what it cannot. Said at once rather
            # than at shutdown; waiters go on polling the store.
            log.exception("stopped hearing other processes' job changes; polling the store")

    def _heard(self, job_id: str, final: bool) -> None:
        self.nudge(job_id, final=final)
        if final:
            self._ended(job_id)

    def _missed(self) -> None:
        """Listening again after a break: changes may have been missed; all look again."""
        self.nudge_all()
        self._ended(None)

    async def aclose(self) -> None:
        """Stop hearing, then send what was published and close the bus."""
        if self._listening is not None:
            self._listening.cancel()
            await asyncio.gather(self._listening, return_exceptions=True)
            self._listening = None
        await self.bus.aclose()
