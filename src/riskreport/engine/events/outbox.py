"""Messages to another process, sent in order by one task, without blocking whoever sends.

Both event buses (Redis pub/sub, PostgreSQL NOTIFY) publish from the event loop on the path of
every job change. The change is queued and the caller moves on; one sender task sends what is
queued, everything queued while it sent going in its next batch (a short job's ``running`` and
its final state leave in one round trip).

Use::

    outbox = Outbox(send_batch, name="riskreport-event-bus-sender")  # send_batch(texts) logs
    outbox.put(text)                      # on the loop; never blocks    its own failures
    await outbox.aclose()                 # sends what was put (5 s at most), then stops
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger("riskreport.engine")

SendBatch = Callable[[list[str]], Awaitable[None]]


class Outbox:
    def __init__(self, send_batch: SendBatch, *, name: str) -> None:
        """``send_batch(texts)`` sends texts in order and handles (logs) its own failures:
        a message that could not be sent is dropped, as the store keeps the truth."""
        self._send_batch = send_batch
        self._name = name
        self._queue: asyncio.Queue[str] | None = None
        self._sender: asyncio.Task[None] | None = None
        self._closed = False

    def put(self, text: str) -> None:
        if self._closed:
            # A straggler after shutdown (buses close last): no sender is left for it.
            log.debug("%s: a message after close dropped", self._name)
            return
        if self._queue is None:
            self._queue = asyncio.Queue()
            self._sender = asyncio.get_running_loop().create_task(
                self._send(self._queue), name=self._name
            )
        self._queue.put_nowait(text)

    async def _send(self, queue: asyncio.Queue[str]) -> None:
        while True:
            texts = [await queue.get()]
            while not queue.empty():
                texts.append(queue.get_nowait())
            try:
                await self._send_batch(texts)
            except Exception:
                log.exception("%s: %d message(s) not sent", self._name, len(texts))
            finally:
                for _ in texts:
                    queue.task_done()

    async def flush(self, within: float = 5.0) -> None:
        """Wait (at most ``within`` s) until every message put so far has been sent."""
        if self._queue is None:
            return
        try:
            async with asyncio.timeout(within):
                await self._queue.join()
        except TimeoutError:
            log.warning("%s: %d message(s) not sent", self._name, self._queue.qsize())

    async def aclose(self, within: float = 5.0) -> None:
        """Send what was put (``within`` s at most), then stop; later puts are dropped."""
        self._closed = True
        await self.flush(within)
        if self._sender is not None:
            self._sender.cancel()
            await asyncio.gather(self._sender, return_exceptions=True)
            self._sender = None
        self._queue = None
