"""PostgreSQL's LISTEN/NOTIFY as the change bus of server processes sharing a store.

``serve --workers N`` on PostgreSQL: each process sends a notice after every change it writes,
and listens for the others' (:mod:`riskreport.engine.events.shared`). The database is already
there, so this needs no other server. The channel is the jobs table's name: deployments (and
test runs) with tables of their own in one database keep apart, and NOTIFY never crosses
databases.

A notice is ``origin\\njob_id\\nF`` (``F`` when the change made the job final, else empty): the
listeners read the job from the store, since a NOTIFY payload is limited to 8000 bytes and a
report is larger. The sender's own notices come back to it and are dropped by their origin.

Use::

    bus = PostgresChangeBus("postgresql://postgres@127.0.0.1:5432/test", "jobs")
    bus.publish(job.id, final=True)       # on the loop; sent by one task, batched
    await bus.listen(on_notice)           # on_notice(job_id, final), until cancelled
    await bus.aclose()
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from collections.abc import Callable

import psycopg
from psycopg import sql
from sqlalchemy.engine import URL

from riskreport.engine.events.outbox import Outbox
from riskreport.engine.events.shared import OnNotice

log = logging.getLogger("riskreport.engine")

# Seconds between attempts to listen again after the connection broke.
_RECONNECT = 1.0
_CONNECT_TIMEOUT = 5


# One statement for a batch: with a statement per notice (pipelined) the notices took a median
# 22 % of an engine's trivial-job throughput, with one 15 % (python -m bench.shared_changes).
# The order of the notices does not matter: each only makes its listeners read the job again.
_NOTIFY_ALL = "SELECT pg_notify(%s, notice) FROM unnest(%s::text[]) AS notice"


def conninfo(url: URL) -> str:
    """The libpq URI of a store's SQLAlchemy URL (psycopg connects without SQLAlchemy here)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


class PostgresChangeBus:
    def __init__(self, conninfo: str, channel: str) -> None:
        self.channel = channel
        self.origin = secrets.token_hex(8)
        self._conninfo = conninfo
        self._sending: psycopg.AsyncConnection[object] | None = None
        self._outbox = Outbox(self._send, name="riskreport-change-sender")

    async def _connect(self) -> psycopg.AsyncConnection[object]:
        connection: psycopg.AsyncConnection[object] = await psycopg.AsyncConnection.connect(
            self._conninfo,
            autocommit=True,
            connect_timeout=_CONNECT_TIMEOUT,
            application_name=f"riskreport-changes-{self.origin}",
            # A listening connection only reads: without TCP keepalives one dropped silently
            # (a NAT or firewall forgetting it) would wait for notices forever; with them the
            # kernel finds it dead within about a minute and the listener connects again.
            keepalives=1,
            keepalives_idle=30,
            keepalives_interval=10,
            keepalives_count=3,
        )
        return connection

    def publish(self, job_id: str, final: bool) -> None:
        self._outbox.put(f"{self.origin}\n{job_id}\n{'F' if final else ''}")

    async def _send(self, texts: list[str]) -> None:
        """The notices queued together (a short job's running and final ones), in one
        statement."""
        try:
            if self._sending is None or self._sending.closed:
                self._sending = await self._connect()
            await self._sending.execute(_NOTIFY_ALL, (self.channel, texts))
        except (psycopg.Error, OSError) as exc:
            # The other processes find the change at their next store read; the next notice
            # connects again.
            log.warning("could not send %d job change notice(s): %s", len(texts), exc)
            await self._drop_sending()

    async def _drop_sending(self) -> None:
        connection, self._sending = self._sending, None
        if connection is not None:
            await connection.close()

    async def listen(
        self,
        on_notice: OnNotice,
        *,
        subscribed: asyncio.Event | None = None,
        on_resubscribe: Callable[[], None] | None = None,
    ) -> None:
        first = True
        while True:
            try:
                async with await self._connect() as connection:
                    await connection.execute(
                        sql.SQL("LISTEN {}").format(sql.Identifier(self.channel))
                    )
                    if subscribed is not None:
                        subscribed.set()
                    if not first and on_resubscribe is not None:
                        on_resubscribe()
                    first = False
                    async for notice in connection.notifies():
                        self._dispatch(notice.payload, on_notice)
            except (psycopg.Error, OSError) as exc:
                log.warning("lost the job change notices (%s); polling the store meanwhile", exc)
                await asyncio.sleep(_RECONNECT)

    def _dispatch(self, payload: str, on_notice: OnNotice) -> None:
        origin, _, rest = payload.partition("\n")
        if origin == self.origin:
            return
        job_id, _, final = rest.partition("\n")
        try:
            on_notice(job_id, final == "F")
        except Exception:
            log.exception("a listener of the job change notices failed")

    async def aclose(self) -> None:
        await self._outbox.aclose()
        await self._drop_sending()
