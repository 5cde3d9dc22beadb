"""A chat-completions call with one deadline for everything: connect, every try, every byte.

An HTTP client's timeout bounds each read, so a server that trickles one byte a second keeps a
call alive forever, and retries multiply any timeout. Here the whole call (every try, the waits
between them and the streaming of the body) runs under one ``asyncio`` deadline and is cut
when it passes; the body is read up to a size cap; a body that is not a chat completion is a
:class:`ChatFailure` like any other. It speaks the OpenAI chat completions API (OpenAI, vLLM,
llama.cpp's server, Ollama)::

    client = ChatClient("http://127.0.0.1:8080/v1", api_key=None, max_retries=2)
    answer = client.complete({"model": "m", "messages": [...]}, timeout=30.0)
    answer.content, answer.finish_reason     # '{"summary": ...}', 'stop'

    pending = client.send(body, timeout=30.0)  # the same call, started: do other work meanwhile
    answer = pending.answer()                  # then wait for it (pending.cancel() to drop it)

The call is blocking for its caller (a job in a runner thread or worker process), but its I/O
runs on one event loop per process, in a daemon thread of its own, with one connection pool per
client: a report pays neither a new event loop nor a new connection per call, and its thread may
work while the model writes. A cancelled job's ``cancelled()`` is polled on that loop while the
call waits.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import json
import os
import ssl
import threading
import time
import urllib.request
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import anyio
import anyio.lowlevel
import certifi
import httpx

# The largest body read from the server. Two prose sections of a few hundred tokens are a few
# kilobytes; a megabyte is a broken or hostile server, cut before it is parsed.
MAX_BODY_BYTES: Final = 256 * 1024
# How often a waiting call asks whether its job was cancelled.
_CANCEL_POLL: Final = 0.05
# First wait before a retry of a 429/5xx answer or a refused connection; doubles per try.
_BACKOFF: Final = 0.25
_RETRY_STATUSES: Final = frozenset({408, 409, 429, 500, 502, 503, 504})
# An idle connection is closed after this many seconds, before the server closes it: uvicorn
# (vLLM) and llama.cpp's server close idle connections after 5 s, and a request sent on a
# connection the server is closing at that moment fails and waits for a retry.
_KEEPALIVE: Final = 4.0
# How long past its deadline a caller waits for a call that should have been cut: only a wedged
# event loop thread gets there, and the caller is not left waiting forever on it.
_STUCK_GRACE: Final = 5.0


class ChatFailure(Exception):
    """No usable answer; ``reason`` (``"timeout: ..."``, ``"error: ..."``, ``"format: ..."``)
    becomes the narrative's ``fallback_reason``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class ChatAnswer:
    """The first choice of a completion: its text, why it ended, and a refusal if the server
    flagged one (OpenAI's ``message.refusal``)."""

    content: str
    finish_reason: str | None
    refusal: str | None = None


def _never() -> bool:
    return False


class _LoopThread:
    """The process's event loop for chat calls, running in a daemon thread from the first call.

    A forked child (a Celery or multiprocessing worker made by ``fork``) has no copy of the
    thread, so it starts its own loop on its first call rather than queueing onto a dead one.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        os.register_at_fork(after_in_child=self._forget)

    def _forget(self) -> None:
        self._lock = threading.Lock()  # a parent thread may have held it at the fork
        self._loop = None

    def get(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(
                    target=loop.run_forever, name="riskreport-llm-loop", daemon=True
                ).start()
                self._loop = loop
            return self._loop


_LOOP: Final = _LoopThread()


class PendingAnswer:
    """A call in flight (:meth:`ChatClient.send`): wait for it with :meth:`answer`, or drop it
    with :meth:`cancel`."""

    def __init__(
        self,
        future: concurrent.futures.Future[ChatAnswer],
        seconds: float,
        sent: threading.Event | None = None,
    ) -> None:
        self._future = future
        self._seconds = seconds
        self._sent = sent or threading.Event()
        future.add_done_callback(lambda _: self._sent.set())

    def wait_sent(self, timeout: float) -> bool:
        """Block until the request is on its way (or the call ended), at most ``timeout`` s.

        The call loop needs the GIL to write the request. A caller that goes on computing right
        after :meth:`ChatClient.send` holds it, and the loop waits up to the interpreter's switch
        interval (5 ms) at each step before the request leaves, and the answer with it. Waiting
        here for a millisecond or so lets the request go first."""
        return self._sent.wait(timeout)

    def wait_done(self, timeout: float) -> bool:
        """Block until the call ended (answered or failed), at most ``timeout`` s; whether it
        did. The answer itself is read with :meth:`answer`."""
        done, _ = concurrent.futures.wait([self._future], timeout)
        return bool(done)

    def answer(self) -> ChatAnswer:
        """The answer (blocking until it comes, at most the call's timeout); raise
        :class:`ChatFailure` as :meth:`ChatClient.complete` does."""
        try:
            return self._future.result(self._seconds + _STUCK_GRACE)
        except concurrent.futures.TimeoutError:
            self._future.cancel()
            raise ChatFailure("timeout: the LLM call was not cut at its deadline") from None
        except concurrent.futures.CancelledError:
            raise ChatFailure("cancelled") from None
        except BaseException:
            self._future.cancel()  # the caller is interrupted (Ctrl-C in the CLI): drop the call
            raise

    def cancel(self) -> None:
        """Drop the call (its connection is closed, not reused); safe after it ended."""
        self._future.cancel()


class _Pool:
    """A client's connections, made on the call loop and only ever used there."""

    def __init__(self, transport: httpx.AsyncBaseTransport | None, tls: ssl.SSLContext) -> None:
        self._transport = transport
        self._tls = tls
        self._http: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._pid = 0

    def http(self) -> httpx.AsyncClient:
        """The client of the running loop (a new one after a fork: the old one's loop and
        sockets are the parent's)."""
        loop = asyncio.get_running_loop()
        if self._http is None or self._loop is not loop:
            self._http = httpx.AsyncClient(
                transport=self._transport,
                verify=self._tls,
                limits=httpx.Limits(keepalive_expiry=_KEEPALIVE),
            )
            self._loop = loop
            self._pid = os.getpid()
        return self._http

    def close(self) -> None:
        """Close the connections on their loop, without waiting (the client was dropped).

        Not in a forked child: the loop is the parent's, and no thread runs it here."""
        loop, http = self._loop, self._http
        if http is None or loop is None or loop.is_closed() or self._pid != os.getpid():
            return
        asyncio.run_coroutine_threadsafe(http.aclose(), loop)


class ChatClient:
    """Posts chat completions to ``base_url``; thread-safe, keeps its connections alive
    between calls (closed when the client is dropped).

    ``transport`` replaces the network (tests pass ``httpx.MockTransport``).
    """

    def __init__(
        self,
        base_url: str,
        api_key: str | None,
        *,
        max_retries: int = 2,
        max_body_bytes: int = MAX_BODY_BYTES,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if max_retries < 0 or max_body_bytes < 1:
            raise ValueError("need max_retries >= 0 and max_body_bytes >= 1")
        self.url = base_url.rstrip("/") + "/chat/completions"
        # Local servers need no key; an Authorization header is sent only with one.
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self.max_retries = max_retries
        self.max_body_bytes = max_body_bytes
        # Made once: loading the CA bundle costs about 30-100 ms of CPU under the GIL.
        self._pool = _Pool(transport, ssl.create_default_context(cafile=certifi.where()))
        # Not at exit: the loop's daemon thread stops with the interpreter, sockets and all.
        weakref.finalize(self, self._pool.close).atexit = False

    def warm(self) -> None:
        """Load now what a first call would: the call loop's thread, this client's connection
        pool on it, and the modules httpx and httpcore import on first use (HTTP/1.1, their
        async I/O backend). About 30 ms of CPU, which every worker's first report paid, four
        at once under the GIL with four slots. No connection is made."""
        import h11  # noqa: F401  # httpcore's HTTP/1.1 protocol, imported at first connection
        import httpcore._backends.anyio  # noqa: F401  # its network backend for asyncio

        # httpx reads each answer's cookies through a urllib Request, whose URL parsing
        # compiles two patterns on first use.
        urllib.request.Request(self.url)

        async def ready() -> None:
            self._pool.http()
            # Loads anyio's asyncio backend, as httpcore's first connection would.
            await anyio.lowlevel.checkpoint()

        asyncio.run_coroutine_threadsafe(ready(), _LOOP.get()).result(timeout=30)

    def complete(
        self,
        body: Mapping[str, Any],
        *,
        timeout: float,
        cancelled: Callable[[], bool] = _never,
    ) -> ChatAnswer:
        """The answer to ``body`` within ``timeout`` seconds in all; raise :class:`ChatFailure`.

        Raises ``ChatFailure("cancelled")`` soon after ``cancelled()`` turns true.
        """
        return self.send(body, timeout=timeout, cancelled=cancelled).answer()

    def send(
        self,
        body: Mapping[str, Any],
        *,
        timeout: float,
        cancelled: Callable[[], bool] = _never,
    ) -> PendingAnswer:
        """Start the call of :meth:`complete` and return at once; its deadline runs from now."""
        if timeout <= 0:
            raise ChatFailure("timeout: no time left for the LLM call")
        sent = threading.Event()
        call = self._deadlined(body, timeout, cancelled, sent)
        return PendingAnswer(asyncio.run_coroutine_threadsafe(call, _LOOP.get()), timeout, sent)

    async def _deadlined(
        self,
        body: Mapping[str, Any],
        seconds: float,
        cancelled: Callable[[], bool],
        sent: threading.Event,
    ) -> ChatAnswer:
        if cancelled():
            raise ChatFailure("cancelled")
        loop = asyncio.get_running_loop()
        call = asyncio.ensure_future(self._tries(body, time.monotonic() + seconds, sent))
        # The job's cancellation is polled by a timer, not by waking this coroutine: a timer
        # callback costs a few microseconds, a wake-up and an ``asyncio.wait`` some tens, and a
        # call polls twenty times a second, for each of the calls in flight, for as long as the
        # model writes (all of it under the GIL the jobs' threads are computing with).
        timer: list[asyncio.TimerHandle] = []
        dropped = False

        def watch() -> None:
            nonlocal dropped
            if call.done():
                return
            if cancelled():
                dropped = True
                call.cancel()
            else:
                timer[:] = [loop.call_later(_CANCEL_POLL, watch)]

        timer.append(loop.call_later(_CANCEL_POLL, watch))
        try:
            async with asyncio.timeout(seconds):
                await asyncio.wait({call})
            if dropped:
                raise ChatFailure("cancelled")
            return call.result()
        except TimeoutError:
            raise ChatFailure(f"timeout: no complete answer within {seconds:g} s") from None
        finally:
            timer[0].cancel()
            call.cancel()
            await asyncio.gather(call, return_exceptions=True)

    async def _tries(
        self, body: Mapping[str, Any], deadline: float, sent: threading.Event
    ) -> ChatAnswer:
        http = self._pool.http()
        for attempt in range(self.max_retries + 1):
            last = attempt == self.max_retries
            try:
                status, data = await self._post(http, body, deadline, sent)
            except httpx.TimeoutException as error:
                raise ChatFailure("timeout: the LLM server did not answer in time") from error
            except httpx.TransportError as error:
                if last or not isinstance(error, httpx.ConnectError | httpx.RemoteProtocolError):
                    raise ChatFailure(f"error: {type(error).__name__}") from error
            else:
                if status < 300:
                    return _answer(data)
                if last or status not in _RETRY_STATUSES:
                    raise ChatFailure(f"error: HTTP {status}")
            # The deadline bounds the waits too: asyncio.timeout cuts a sleep like a read.
            await asyncio.sleep(_BACKOFF * 2**attempt)
        raise AssertionError("unreachable: the last try returns or raises")

    async def _post(
        self,
        http: httpx.AsyncClient,
        body: Mapping[str, Any],
        deadline: float,
        sent: threading.Event,
    ) -> tuple[int, bytes]:
        limit = httpx.Timeout(max(deadline - time.monotonic(), 0.001))
        # Set as the request is about to be written: this thread keeps the GIL until the request
        # is out and it awaits the answer, and only then can the waiting caller take it.
        sent.set()
        async with http.stream(
            "POST", self.url, json=dict(body), headers=self._headers, timeout=limit
        ) as reply:
            if reply.status_code >= 300:
                return reply.status_code, b""
            chunks: list[bytes] = []
            size = 0
            async for chunk in reply.aiter_bytes():
                size += len(chunk)
                if size > self.max_body_bytes:
                    raise ChatFailure(
                        f"format: the answer is larger than {self.max_body_bytes} bytes"
                    )
                chunks.append(chunk)
            return reply.status_code, b"".join(chunks)


def _answer(data: bytes) -> ChatAnswer:
    """The first choice of a chat completion body; :class:`ChatFailure` for any other shape."""
    try:
        completion = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ChatFailure("format: the server's answer is not JSON") from None
    choices = completion.get("choices") if isinstance(completion, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise ChatFailure("format: the answer has no choices")
    choice = choices[0]
    message = choice.get("message")
    if not isinstance(message, dict):
        raise ChatFailure("format: the answer has no message")
    content, refusal, reason = (
        message.get("content"),
        message.get("refusal"),
        choice.get("finish_reason"),
    )
    return ChatAnswer(
        content=content if isinstance(content, str) else "",
        finish_reason=reason if isinstance(reason, str) else None,
        refusal=refusal if isinstance(refusal, str) and refusal.strip() else None,
    )
