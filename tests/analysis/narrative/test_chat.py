"""The chat client's event loop and connections: one loop per process, connections kept alive
between calls, a call started before it is waited for, and a dropped call really dropped."""

from __future__ import annotations

import asyncio
import gc
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from riskreport.analysis.narrative.chat import ChatClient, ChatFailure
from riskreport.analysis.narrative.llm import build_client
from tests.analysis.narrative import llm_stub
from tests.analysis.narrative.loopback_llm import Answer, LoopbackLlm


def stand_in(handler: Any) -> ChatClient:
    """A client whose server is ``handler`` (``httpx.MockTransport``), without retries."""
    return build_client(
        "http://llm.test/v1", None, max_retries=0, transport=httpx.MockTransport(handler)
    )


BODY = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
ANSWER = llm_stub.completion("hello").content


def test_calls_share_one_kept_alive_connection() -> None:
    with LoopbackLlm(keep_alive=True) as server:
        server.behave(Answer(ANSWER))
        client = build_client(server.base_url, None)
        answers = [client.complete(BODY, timeout=5.0).content for _ in range(3)]
    assert answers == ["hello"] * 3
    assert (server.requests, server.connections) == (3, 1)


def test_a_dropped_client_closes_its_connections() -> None:
    with LoopbackLlm(keep_alive=True) as server:
        server.behave(Answer(ANSWER))
        client = build_client(server.base_url, None)
        client.complete(BODY, timeout=5.0)
        assert server.open_connections == 1  # kept alive for the next call
        del client
        gc.collect()
        deadline = time.monotonic() + 2.0
        while server.open_connections and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server.open_connections == 0


def test_a_call_is_under_way_before_its_caller_waits() -> None:
    arrived = threading.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        arrived.set()
        await asyncio.sleep(0.2)
        return llm_stub.completion("hello")

    client = stand_in(handler)
    started = time.monotonic()
    pending = client.send(BODY, timeout=5.0)
    assert time.monotonic() - started < 0.1  # send does not wait for the answer
    assert arrived.wait(5.0)  # ...but the request is out: the caller's thread may work meanwhile
    assert pending.answer().content == "hello"


def test_a_dropped_call_ends_at_once() -> None:
    cancelled = threading.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        try:
            await asyncio.Event().wait()  # never answers
        except asyncio.CancelledError:
            cancelled.set()
            raise
        raise AssertionError("unreachable")

    client = stand_in(handler)
    pending = client.send(BODY, timeout=30.0)
    time.sleep(0.05)
    pending.cancel()
    started = time.monotonic()
    with pytest.raises(ChatFailure, match="cancelled"):
        pending.answer()
    assert time.monotonic() - started < 1.0
    assert cancelled.wait(5.0)  # the request itself was cancelled, not left running


def test_a_forked_child_calls_on_a_loop_of_its_own() -> None:
    client = llm_stub.client(lambda request: llm_stub.completion("hello"))
    assert client.complete(BODY, timeout=5.0).content == "hello"  # the parent's loop runs
    pid = os.fork()
    if pid == 0:  # the child: the parent's loop thread did not come along
        try:
            ok = client.complete(BODY, timeout=5.0).content == "hello"
        except BaseException:
            os._exit(2)
        os._exit(0 if ok else 1)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert client.complete(BODY, timeout=5.0).content == "hello"  # the parent's still works


def test_a_call_in_flight_stops_soon_after_its_job_is_cancelled() -> None:
    async def never(request: httpx.Request) -> httpx.Response:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    client = stand_in(never)
    token = threading.Event()
    pending = client.send(BODY, timeout=30.0, cancelled=token.is_set)
    time.sleep(0.1)
    token.set()
    started = time.monotonic()
    with pytest.raises(ChatFailure, match="cancelled"):
        pending.answer()
    assert time.monotonic() - started < 0.5  # polled every 50 ms; a loaded machine adds some


# Run in a fresh interpreter: what a first call imports depends on what ran before it.
_FIRST_CALL = """
import sys
from riskreport.analysis.narrative.llm import build_client
from tests.analysis.narrative.loopback_llm import Answer, LoopbackLlm
from tests.analysis.narrative import llm_stub

with LoopbackLlm(keep_alive=True) as server:
    server.behave(Answer(llm_stub.completion("hello").content))
    client = build_client(server.base_url, None)
    client.warm()
    assert server.connections == 0, "warming up made a connection"
    before = set(sys.modules)
    body = {"model": "m", "messages": [{"role": "user", "content": "hi"}]}
    assert client.complete(body, timeout=5.0).content == "hello"
    print(sorted(set(sys.modules) - before))
"""


def test_a_warmed_client_imports_nothing_on_its_first_call() -> None:
    root = Path(__file__).resolve().parents[3]
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_CALL],
        capture_output=True,
        text=True,
        cwd=root,
        env={**os.environ, "PYTHONPATH": str(root)},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_caller_can_wait_for_its_request_to_leave() -> None:
    arrived = threading.Event()

    async def handler(request: httpx.Request) -> httpx.Response:
        arrived.set()
        await asyncio.sleep(0.5)
        return llm_stub.completion("hello")

    client = stand_in(handler)
    started = time.monotonic()
    pending = client.send(BODY, timeout=5.0)
    assert pending.wait_sent(2.0)
    assert time.monotonic() - started < 0.4  # on its way, long before the answer
    assert arrived.wait(2.0)
    assert not pending.wait_done(0.05)  # the model is still writing
    assert pending.wait_done(2.0)
    assert pending.answer().content == "hello"


def test_waiting_for_a_request_that_never_leaves_ends_with_the_call() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("a cancelled call sends nothing")

    client = stand_in(handler)
    pending = client.send(BODY, timeout=5.0, cancelled=lambda: True)
    assert pending.wait_sent(2.0)  # the call ended (cancelled) without sending: no hang
    with pytest.raises(ChatFailure, match="cancelled"):
        pending.answer()
