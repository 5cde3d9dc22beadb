"""A stand-in LLM server on loopback that misbehaves on purpose, one way per test.

A real socket and a real HTTP server (the standard library's), so the writer's own client, its
deadline and its size cap meet what a broken or hostile server really sends::

    with LoopbackLlm() as server:
        server.behave(Trickle(every=0.1))
        client = build_client(server.base_url, None)
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from bench.llm_concurrency import prose_from_facts

from tests.analysis.narrative.llm_stub import completion_body

Behaviour = Callable[[BaseHTTPRequestHandler], None]


def send(handler: BaseHTTPRequestHandler, status: int, body: bytes) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@dataclass
class Answer:
    """Answers ``body`` at once with ``status``."""

    body: bytes
    status: int = 200

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        send(handler, self.status, self.body)


@dataclass
class Hang:
    """Reads the request and never answers (until the server stops)."""

    stop: threading.Event = field(default_factory=threading.Event)

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        self.stop.wait(30)


@dataclass
class Trickle:
    """Sends headers at once, then one byte of the body every ``every`` seconds."""

    body: bytes
    every: float
    stop: threading.Event = field(default_factory=threading.Event)

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(self.body)))
        handler.end_headers()
        for index in range(len(self.body)):
            if self.stop.wait(self.every):
                return
            try:
                handler.wfile.write(self.body[index : index + 1])
                handler.wfile.flush()
            except OSError:
                return  # the client gave up: what the test wants


@dataclass
class FromFacts:
    """Answers at once with prose made of the fact sheet's own lines, as a careful model
    would: every figure in it is a figure of the result, so the answer passes the checks."""

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        request = json.loads(getattr(handler, "body"))  # noqa: B009  # set by do_POST
        facts = next(m["content"] for m in request["messages"] if m["role"] == "user")
        prose = json.dumps(prose_from_facts(facts), ensure_ascii=False)
        send(handler, 200, json.dumps(completion_body(prose)).encode())


class LoopbackLlm:
    """``POST /v1/chat/completions`` on 127.0.0.1 and a free port; ``requests`` counts calls,
    ``connections`` the connections they came on, ``open_connections`` those still open
    (``keep_alive``: HTTP/1.1, which keeps a connection open between answers, rather than
    HTTP/1.0, which closes it)."""

    def __init__(self, *, keep_alive: bool = False) -> None:
        self.behaviour: Behaviour = Answer(b"{}")
        self.requests = 0
        self.connections = 0
        self.open_connections = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

            # Answers go out without waiting for the client's ACK of the headers (Nagle against
            # delayed ACK: 40 ms per answer on a kept-alive connection), as from llama.cpp's
            # server, uvicorn (vLLM) or Ollama, which all set TCP_NODELAY.
            disable_nagle_algorithm = keep_alive

            def handle(self) -> None:
                outer.connections += 1  # once per connection, however many requests follow
                outer.open_connections += 1
                try:
                    super().handle()
                finally:
                    outer.open_connections -= 1  # the client closed it (or the server did)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                self.body = self.rfile.read(length)
                outer.requests += 1
                outer.behaviour(self)

            def log_message(self, format: str, *args: Any) -> None:
                del format, args  # quiet: the test output is the writer's

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def behave(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour

    def __enter__(self) -> LoopbackLlm:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        stop = getattr(self.behaviour, "stop", None)
        if isinstance(stop, threading.Event):
            stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


def elapsed(since: float) -> float:
    return time.monotonic() - since
