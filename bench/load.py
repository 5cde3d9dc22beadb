"""A light load generator: HTTP/1.1 over asyncio streams with ``h11``.

A full client (httpx) spends a few milliseconds of CPU per request; with 64 requests fired at
once on a small machine, the client, not the server, then sets the pace (measured: 64 trivial
GETs took ~240 ms through one ``httpx.AsyncClient``). ``h11`` (the sans-I/O HTTP/1.1 library
under httpcore and uvicorn) keeps the client's share small, so makespan and latency describe
the server.

Use::

    conn = await LoadConnection.open("127.0.0.1", 8000)
    status, headers, body = await conn.request("POST", "/run", json_body={"a": 1})
    await conn.close()
"""

from __future__ import annotations

import asyncio
import json
import math
import multiprocessing
import os
import re
import time
from collections.abc import Coroutine, Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Any

import h11

READ_SIZE = 65536


@dataclass(frozen=True)
class Reply:
    status: int
    headers: Mapping[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


class LoadConnection:
    """One keep-alive connection; requests on it run one after another."""

    def __init__(
        self, host: str, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self._host = host
        self._reader = reader
        self._writer = writer
        self._h11 = h11.Connection(our_role=h11.CLIENT)

    @classmethod
    async def open(cls, host: str, port: int) -> LoadConnection:
        reader, writer = await asyncio.open_connection(host, port)
        return cls(f"{host}:{port}", reader, writer)

    async def request(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Reply:
        body = b"" if json_body is None else json.dumps(json_body).encode()
        head = [("host", self._host), ("content-length", str(len(body)))]
        if json_body is not None:
            head.append(("content-type", "application/json"))
        head += list((headers or {}).items())
        out = self._h11.send(h11.Request(method=method, target=path, headers=head))
        out += self._h11.send(h11.Data(data=body)) if body else b""
        out += self._h11.send(h11.EndOfMessage())
        self._writer.write(out)
        await self._writer.drain()

        status, reply_headers, chunks = 0, {}, []
        while True:
            event = self._h11.next_event()
            if event is h11.NEED_DATA:
                self._h11.receive_data(await self._reader.read(READ_SIZE))
            elif isinstance(event, h11.Response):
                status = event.status_code
                reply_headers = {k.decode().lower(): v.decode() for k, v in event.headers}
            elif isinstance(event, h11.Data):
                chunks.append(bytes(event.data))
            elif isinstance(event, h11.EndOfMessage):
                self._h11.start_next_cycle()
                return Reply(status, reply_headers, b"".join(chunks))
            elif isinstance(event, h11.ConnectionClosed):
                raise ConnectionError("the server closed the connection")

    async def close(self) -> None:
        self._writer.close()
        await self._writer.wait_closed()


async def _probe(
    host: str, port: int, ready: EventType, stop: EventType
) -> list[tuple[float, float]]:
    conn = await LoadConnection.open(host, port)
    samples = []
    try:
        await conn.request("GET", "/healthz")  # connect first: samples measure requests only
        ready.set()
        # The request in flight when ``stop`` comes is kept: with a blocked server it is the
        # one that shows how long a health check waited.
        while not stop.is_set():
            start = time.monotonic()
            await conn.request("GET", "/healthz")
            samples.append((start, (time.monotonic() - start) * 1000))
            await asyncio.sleep(0.005)
    finally:
        await conn.close()
    return samples


def probe_health(host: str, port: int, ready: EventType, stop: EventType, out: Connection) -> None:
    """Child process: GET /healthz back to back until ``stop``; send the samples.

    A sample is ``(sent_at, latency_ms)``, ``sent_at`` on the ``time.monotonic()`` clock (one
    clock for every process of the machine). A process of its own, so the latency is the
    server's, not the load client's busy loop. ``ready`` is set once it is measuring.
    """
    out.send(asyncio.run(_probe(host, port, ready, stop)))
    out.close()


@dataclass(frozen=True)
class HealthProbe:
    """:func:`probe_health` in a spawned process, measuring while a benchmark's load runs.

    Use::

        probe = await HealthProbe.start("127.0.0.1", port)  # returns once it is measuring
        ...  # the load, timed from ``start`` to ``end``
        health_ms = await probe.finish(start, end)
    """

    process: BaseProcess
    stopped: EventType
    samples: Connection

    @classmethod
    async def start(cls, host: str, port: int) -> HealthProbe:
        context = multiprocessing.get_context("spawn")
        ready, stopped = context.Event(), context.Event()
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(
            target=probe_health, args=(host, port, ready, stopped, sender), daemon=True
        )
        process.start()
        await asyncio.to_thread(ready.wait, 60)
        return cls(process, stopped, receiver)

    def stop(self) -> None:
        self.stopped.set()

    async def finish(self, start: float, end: float) -> list[float]:
        """Stop probing; the latencies (ms) of the health checks sent from ``start`` to ``end``.

        Only those count: before and after, no load was in flight.
        """
        self.stop()
        samples: list[tuple[float, float]] = await asyncio.to_thread(self.samples.recv)
        await asyncio.to_thread(self.process.join)
        return [latency for sent_at, latency in samples if start <= sent_at <= end]


def run_showing_load(main: Coroutine[Any, Any, object]) -> None:
    """``asyncio.run(main)`` between two prints of the load averages (1, 5 and 15 minutes): on a
    shared machine they say how far to trust the figures."""
    print(f"load average before: {os.getloadavg()}", flush=True)
    asyncio.run(main)
    print(f"load average after: {os.getloadavg()}", flush=True)


def percentile(data: Sequence[float], p: float) -> float:
    """The ``p``-th percentile (nearest rank) of ``data``; NaN when there is none."""
    ordered = sorted(data)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, math.ceil(p / 100 * len(ordered)) - 1)]


def replace_section(section: str, begin: str, end: str, doc: Path) -> None:
    """Put ``section`` between the ``begin`` and ``end`` markers of ``doc``, or append it.

    The benchmarks share one document; each replaces only its own section.
    """
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    # The marker's own line ends the section, so what follows it stays on a line of its own.
    section = section if section.endswith("\n") else section + "\n"
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end) + r"\n?", re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section, text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    doc.write_text(text, encoding="utf-8")
