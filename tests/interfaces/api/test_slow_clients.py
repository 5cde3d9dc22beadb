"""Slow and oversized clients: request heads and bodies have a deadline, heads a size cap."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import uvicorn

from riskreport.interfaces.api import protocol
from tests.interfaces.api.harness import app_for, free_port

pytestmark = pytest.mark.timeout(30)

TIMEOUT = 0.5


@contextmanager
def guarded_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """The app under uvicorn with the guarded protocol, as ``riskreport serve`` runs it."""
    monkeypatch.setattr(protocol, "head_timeout", lambda: TIMEOUT)
    app = app_for("quick", client_timeout=TIMEOUT)
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=free_port(),
        log_level="warning",
        http=protocol.GuardedHttpToolsProtocol,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    end = time.monotonic() + 20
    while not server.started:
        assert thread.is_alive()
        assert time.monotonic() < end
        time.sleep(0.01)
    try:
        yield config.port
    finally:
        server.should_exit = True
        thread.join(10)


def trickle(port: int, head: bytes, then: bytes, *, every: float = 0.1) -> tuple[bytes, float]:
    """Send ``head``, then ``then`` a byte every ``every`` s; return the answer and its time."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        conn.sendall(head)
        answer = b""
        conn.settimeout(every)
        for byte in then:
            try:
                conn.sendall(bytes([byte]))
                chunk = conn.recv(4096)
            except TimeoutError:
                continue
            except OSError:
                break
            if not chunk:
                break
            answer += chunk
        return answer, time.monotonic() - started


def test_a_request_head_sent_a_byte_at_a_time_is_cut_off(monkeypatch: pytest.MonkeyPatch) -> None:
    with guarded_server(monkeypatch) as port:
        answer, took = trickle(port, b"GET /healthz HTTP/1.1\r\n", b"X-Slow: " + b"a" * 100)
        assert answer.startswith(b"HTTP/1.1 408"), answer
        assert TIMEOUT <= took < TIMEOUT + 1.5
        # Well-behaved clients are unaffected.
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            conn.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            ok = conn.recv(4096)
        assert ok.startswith(b"HTTP/1.1 200"), ok


def test_a_request_head_above_64_kib_is_431(monkeypatch: pytest.MonkeyPatch) -> None:
    with guarded_server(monkeypatch) as port:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            conn.sendall(b"GET /healthz HTTP/1.1\r\n")
            try:
                for _ in range(100):
                    conn.sendall(b"X-Big: " + b"b" * 1000 + b"\r\n")
            except OSError:
                pass  # closed by the server: the answer is waiting
            answer = conn.recv(4096)
        assert answer.startswith(b"HTTP/1.1 431"), answer


def test_a_body_that_stalls_is_408(monkeypatch: pytest.MonkeyPatch) -> None:
    head = (
        b"POST /v1/reports HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000\r\n\r\n{"
    )
    with guarded_server(monkeypatch) as port:
        answer, took = trickle(port, head, b" " * 30, every=0.1)
    assert answer.startswith(b"HTTP/1.1 408"), answer
    assert b'"body_timeout"' in answer
    assert took < TIMEOUT + 2
