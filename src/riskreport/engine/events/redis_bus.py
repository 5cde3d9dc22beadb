"""Job changes between processes over Redis pub/sub: push, with store polling as the fallback.

A worker (Celery, or another API process) publishes each change of a job right after writing it
to the store: a change of status carries the job as stored, a progress report only its id. Every
API process listens and wakes its own waiters and event streams at once, instead of finding the
change at its next store read. Pub/sub keeps no message for a listener that is away (reconnecting,
say); waiters therefore still re-read the store every ``poll_interval`` seconds, as a fallback.

Use::

    bus = RedisEventBus("redis://127.0.0.1:6379/0", "riskreport:events")
    bus.publish(job.id, job)              # on the loop; sent in order by one sender task,
                                          # what queued up meanwhile in one round trip
    await bus.listen(on_change)           # on_change(job_id, job_or_None), until cancelled
    await bus.aclose()

    publisher = RedisPublisher(url, channel)  # a process without a loop (a Celery pool process)
    publisher.publish(job.id, job)        # sent before it returns
    publisher.publish_all(job.id, [running, done])  # in order, one round trip
    publisher.close()
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable, Sequence

import redis
import redis.asyncio as aioredis
from redis.exceptions import RedisError

from riskreport.engine.events.job_json import dumps_job, loads_job
from riskreport.engine.events.outbox import Outbox
from riskreport.engine.jobs import Job

log = logging.getLogger("riskreport.engine")

OnChange = Callable[[str, Job | None], None]

# Seconds between attempts to listen again after the connection to Redis broke.
_RECONNECT = 1.0


def change_text(origin: str, job_id: str, job: Job | None) -> str:
    """A change as published: the sender's origin, the job id, and the job as stored (for a
    change of status) or nothing (progress), a line each."""
    return f"{origin}\n{job_id}\n{'' if job is None else dumps_job(job)}"


class RedisEventBus:
    def __init__(self, url: str, channel: str) -> None:
        self.url = url
        self.channel = channel
        # Messages a process sent itself are dropped when heard back: it announced them already.
        self.origin = secrets.token_hex(8)
        self.client_name = f"riskreport-bus-{self.origin}"
        self._client: aioredis.Redis | None = None
        self._outbox = Outbox(self._send, name="riskreport-event-bus-sender")

    def _connection(self) -> aioredis.Redis:
        if self._client is None:
            # Named, so an operator (or a test) can tell the bus's connections apart.
            self._client = aioredis.from_url(self.url, client_name=self.client_name)
        return self._client

    def publish(self, job_id: str, job: Job | None = None) -> None:
        """Send a change of ``job_id`` (``job``: as stored, for a change of status). Never
        blocks; messages leave in the order given, from one task."""
        self._outbox.put(change_text(self.origin, job_id, job))

    async def _send(self, texts: list[str]) -> None:
        """The changes queued together (a short job's ``running`` and final state), in one
        round trip, in order."""
        client = self._connection()
        try:
            if len(texts) == 1:
                await client.publish(self.channel, texts[0])
            else:
                async with client.pipeline(transaction=False) as pipe:
                    for text in texts:
                        pipe.publish(self.channel, text)
                    await pipe.execute()
        except RedisError as exc:
            # Listeners fall back to reading the store; the job itself is safe there.
            log.warning("could not publish %d job change(s) to Redis: %s", len(texts), exc)

    async def flush(self, within: float = 5.0) -> None:
        """Wait (at most ``within`` s) until every message given so far has been sent."""
        await self._outbox.flush(within)

    async def ping(self) -> None:
        await self._connection().ping()

    async def listen(
        self,
        on_change: OnChange,
        *,
        subscribed: asyncio.Event | None = None,
        on_resubscribe: Callable[[], None] | None = None,
    ) -> None:
        """Call ``on_change(job_id, job_or_None)`` for every change another process publishes,
        until cancelled; reconnect when the connection breaks. ``subscribed`` is set once the
        subscription stands (changes published before it are not heard); ``on_resubscribe`` is
        called after every later subscription (changes may have been missed meanwhile)."""
        first = True
        while True:
            try:
                async with self._connection().pubsub(ignore_subscribe_messages=True) as pubsub:
                    await pubsub.subscribe(self.channel)
                    if subscribed is not None:
                        subscribed.set()
                    if not first and on_resubscribe is not None:
                        on_resubscribe()
                    first = False
                    async for message in pubsub.listen():
                        self._dispatch(message.get("data"), on_change)
            except (RedisError, OSError) as exc:
                log.warning("lost the Redis event bus (%s); polling the store meanwhile", exc)
                await asyncio.sleep(_RECONNECT)

    def _dispatch(self, data: object, on_change: OnChange) -> None:
        if not isinstance(data, bytes):
            return
        origin, _, rest = data.partition(b"\n")
        if origin.decode() == self.origin:
            return
        job_id, _, body = rest.partition(b"\n")
        try:
            job = loads_job(body) if body else None
        except (ValueError, KeyError, TypeError) as exc:
            log.error("unreadable job change on %s: %s", self.channel, exc)
            return
        try:
            on_change(job_id.decode(), job)
        except Exception:
            log.exception("a listener of the event bus failed")

    async def aclose(self) -> None:
        await self._outbox.aclose()
        if self._client is not None:
            client, self._client = self._client, None
            await client.aclose()


class RedisPublisher:
    """The sending half of the bus for a process without an event loop (a Celery pool
    process): each change is published at once, from the calling thread. A failure is logged;
    listeners then find the change in the store at their next poll."""

    def __init__(self, url: str, channel: str) -> None:
        self.channel = channel
        self.origin = secrets.token_hex(8)
        self._client = redis.Redis.from_url(url, client_name=f"riskreport-bus-{self.origin}")

    def publish(self, job_id: str, job: Job | None = None) -> None:
        try:
            self._client.publish(self.channel, change_text(self.origin, job_id, job))
        except RedisError as exc:
            log.warning("could not publish a change of job %s to Redis: %s", job_id, exc)

    def publish_all(self, job_id: str, jobs: Sequence[Job]) -> None:
        """Publish several changes of ``job_id`` in order, in one round trip."""
        try:
            with self._client.pipeline(transaction=False) as pipe:
                for job in jobs:
                    pipe.publish(self.channel, change_text(self.origin, job_id, job))
                pipe.execute()
        except RedisError as exc:
            log.warning(
                "could not publish %d changes of job %s to Redis: %s", len(jobs), job_id, exc
            )

    def close(self) -> None:
        self._client.close()
