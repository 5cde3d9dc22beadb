"""The event buses' outbox: in order, batched while one batch is out, never blocking a put."""

from __future__ import annotations

import asyncio
import logging

import pytest

from riskreport.engine.events.outbox import Outbox

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Wire:
    """A send_batch that records each batch and is slow on the first, so others queue."""

    def __init__(self, fail_first: bool = False) -> None:
        self.batches: list[list[str]] = []
        self.fail_first = fail_first

    async def send(self, texts: list[str]) -> None:
        self.batches.append(list(texts))
        if len(self.batches) == 1:
            await asyncio.sleep(0.05)
            if self.fail_first:
                raise ConnectionError("the wire broke")


async def test_what_is_put_while_a_batch_is_out_leaves_in_the_next_one_in_order() -> None:
    wire = Wire()
    outbox = Outbox(wire.send, name="test-outbox")
    outbox.put("a")
    await asyncio.sleep(0.01)  # "a" is out
    for text in ("b", "c", "d"):
        outbox.put(text)
    await outbox.flush()
    assert wire.batches == [["a"], ["b", "c", "d"]]
    await outbox.aclose()


async def test_a_batch_that_fails_is_logged_and_the_sender_goes_on(
    caplog: pytest.LogCaptureFixture,
) -> None:
    wire = Wire(fail_first=True)
    outbox = Outbox(wire.send, name="test-outbox")
    outbox.put("lost")
    await asyncio.sleep(0.01)
    outbox.put("next")
    with caplog.at_level(logging.ERROR, logger="riskreport.engine"):
        await outbox.flush()
    assert wire.batches == [["lost"], ["next"]]
    assert "test-outbox: 1 message(s) not sent" in caplog.text
    await outbox.aclose()


async def test_close_sends_what_was_put_and_drops_what_comes_after() -> None:
    wire = Wire()
    outbox = Outbox(wire.send, name="test-outbox")
    outbox.put("a")
    outbox.put("b")
    await outbox.aclose()
    outbox.put("late")
    await asyncio.sleep(0.01)
    assert wire.batches == [["a", "b"]]
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "test-outbox"]
