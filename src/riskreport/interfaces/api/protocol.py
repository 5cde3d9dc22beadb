"""uvicorn's HTTP protocol with a deadline and a size cap on each request head.

uvicorn arms no timer on a new connection and cancels its keep-alive timer at every byte, so a
client that sends its request head a byte at a time holds a connection (and a file descriptor)
as long as it likes, and httptools accepts a head of any size. This protocol, passed to uvicorn
as ``http=GuardedHttpToolsProtocol`` by ``riskreport serve``, closes a connection whose request
head is not complete within ``RISKREPORT_CLIENT_TIMEOUT`` seconds (408), and refuses a head
larger than :data:`MAX_HEAD` bytes (431). The body has the same deadline, enforced by
:class:`~riskreport.interfaces.api.limits.RequestLimits`.

The deadline is read from the environment once per process (``serve`` exports it from the
settings), because uvicorn builds protocols itself, in every worker process.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import os

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger("riskreport.api")

ENV = "RISKREPORT_CLIENT_TIMEOUT"
DEFAULT_TIMEOUT = 10.0
MAX_HEAD = 64 * 1024  # bytes of request line and headers together


@functools.cache
def head_timeout() -> float:
    return float(os.environ.get(ENV, DEFAULT_TIMEOUT))


def _answer(status: str, message: str) -> bytes:
    body = message.encode()
    return (
        f"HTTP/1.1 {status}\r\ncontent-type: text/plain; charset=utf-8\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    ).encode() + body


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    _head_timer: asyncio.TimerHandle | None = None
    _head_bytes = 0
    _in_head = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD:
                self._close_with("431 Request Header Fields Too Large", "request head too large")
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._stop_head_timer()
        super().on_headers_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._await_head()  # the next request on this connection gets its own deadline

    def _await_head(self) -> None:
        self._stop_head_timer()
        self._in_head = True
        self._head_bytes = 0
        self._head_timer = self.loop.call_later(head_timeout(), self._head_timed_out)

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._in_head and not self.transport.is_closing():
            # Only a connection that has started a request gets an answer; an idle one is
            # simply closed, as the keep-alive timeout would.
            if self._head_bytes:
                self._close_with("408 Request Timeout", "request head not received in time")
            else:
                self.transport.close()

    def _close_with(self, status: str, message: str) -> None:
        log.info("closing a connection from %s: %s", self.client, message)
        self._in_head = False
        self._stop_head_timer()
        self.transport.write(_answer(status, message))
        self.transport.close()
