"""The lag monitor sees a blocked loop and names the code that blocked it."""

from __future__ import annotations

import asyncio
import logging
import threading
import time

import pytest

from riskreport.monitoring.loop_lag import LOGGER_NAME, LoopLagMonitor


def hold_the_loop_with_sleep(seconds: float) -> None:
    # The anti-pattern the monitor exists to catch: a blocking call on the event loop thread.
    time.sleep(seconds)


def is_running(mon: LoopLagMonitor) -> bool:
    # A function, so that the type checker does not narrow the property across awaits.
    return mon.running


def lag_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == LOGGER_NAME]


@pytest.mark.anyio
async def test_blocking_call_is_logged_with_its_stack(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=LOGGER_NAME)
    samples: list[float] = []
    async with LoopLagMonitor(interval=0.01, threshold=0.05, on_sample=samples.append) as mon:
        await asyncio.sleep(0.05)
        hold_the_loop_with_sleep(0.2)
        await asyncio.sleep(0.05)

    records = lag_records(caplog)
    with_stack = [r for r in records if "hold_the_loop_with_sleep" in r.getMessage()]
    assert with_stack, [r.getMessage() for r in records]
    record = with_stack[0]
    assert record.levelno == logging.WARNING
    assert "test_blocking_call_is_logged_with_its_stack" in record.getMessage()
    assert record.__dict__["lag_seconds"] > 0.05
    # The probe saw the stall too, and fed it to the histogram callback.
    assert mon.stalls >= 1
    assert max(samples) >= 0.15
    assert mon.max_lag == max(samples)


@pytest.mark.anyio
async def test_quiet_loop_logs_nothing(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=LOGGER_NAME)
    async with LoopLagMonitor(interval=0.005, threshold=0.2) as mon:
        await asyncio.sleep(0.3)
    assert lag_records(caplog) == []
    assert mon.samples >= 10  # the probe kept sampling
    assert mon.stalls == 0
    assert not mon.running


@pytest.mark.anyio
async def test_one_warning_per_stall(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=LOGGER_NAME)
    async with LoopLagMonitor(interval=0.01, threshold=0.03):
        await asyncio.sleep(0.03)
        hold_the_loop_with_sleep(0.25)
        await asyncio.sleep(0.05)
        hold_the_loop_with_sleep(0.25)
        await asyncio.sleep(0.05)
    stacks = [r for r in lag_records(caplog) if "hold_the_loop_with_sleep" in r.getMessage()]
    assert len(stacks) == 2


@pytest.mark.anyio
async def test_the_full_length_of_a_stall_is_logged_when_it_ends(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger=LOGGER_NAME)
    async with LoopLagMonitor(interval=0.01, threshold=0.05):
        await asyncio.sleep(0.03)
        hold_the_loop_with_sleep(0.6)
        await asyncio.sleep(0.05)
    records = lag_records(caplog)
    so_far = [r for r in records if "so far" in r.getMessage()]
    in_all = [r for r in records if "in all" in r.getMessage()]
    assert len(so_far) == 1, [r.getMessage() for r in records]
    assert len(in_all) == 1, [r.getMessage() for r in records]
    # The watchdog caught the stall early; the closing line has its real length.
    assert so_far[0].__dict__["lag_seconds"] < 0.3
    assert 0.55 <= in_all[0].__dict__["lag_seconds"] < 1.5
    assert in_all[0].created > so_far[0].created


@pytest.mark.anyio
async def test_stop_is_idempotent_and_restartable() -> None:
    mon = LoopLagMonitor(interval=0.01, threshold=0.05)
    await mon.stop()
    await mon.start()
    assert is_running(mon)
    await mon.stop()
    await mon.stop()
    assert not is_running(mon)
    await mon.start()
    await asyncio.sleep(0.03)
    await mon.stop()
    assert mon.samples >= 1


def test_rejects_non_positive_settings() -> None:
    with pytest.raises(ValueError, match="positive"):
        LoopLagMonitor(interval=0, threshold=0.05)


def gil_holding_size(seconds: float) -> int:
    """How many integers ``sum(range(n))`` adds in about ``seconds`` (one C call, GIL held)."""
    n = 100_000
    start = time.perf_counter()
    sum(range(n))
    per_item = max(time.perf_counter() - start, 1e-6) / n
    return int(seconds / per_item)


@pytest.mark.anyio
async def test_gil_held_by_another_thread_is_reported(caplog: pytest.LogCaptureFixture) -> None:
    # The loop is idle, but a thread runs one long C call that never releases the GIL: the
    # loop cannot wake up. No callback of the loop is to blame, and the warning says so.
    caplog.set_level(logging.WARNING, logger=LOGGER_NAME)
    size = gil_holding_size(0.3)
    # Start the worker thread beforehand: Thread.start() waits for the new thread, and the
    # stall would then (rightly) be blamed on that call on the loop.
    await asyncio.to_thread(sum, range(10))
    async with LoopLagMonitor(interval=0.01, threshold=0.05) as mon:
        await asyncio.sleep(0.05)
        await asyncio.to_thread(sum, range(size))
        await asyncio.sleep(0.05)
    assert mon.max_lag > 0.1
    messages = [r.getMessage() for r in lag_records(caplog)]
    assert any("GIL" in m for m in messages), messages


def spin_in_python(stop: threading.Event) -> None:
    # Stands for a warm-up thread between two long C calls (an import, a table's load).
    while not stop.is_set():
        pass


def report_when_idle(mon: LoopLagMonitor) -> None:
    time.sleep(0.05)  # the loop thread is back in its selector by then
    mon._report_stall(0.2)


@pytest.mark.anyio
async def test_a_stall_outside_any_callback_names_the_threads_not_waiting(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.WARNING, logger=LOGGER_NAME)
    stop = threading.Event()
    spinner = threading.Thread(target=spin_in_python, args=(stop,), name="warm-up")
    idle = threading.Thread(target=stop.wait, name="idle-waiter")
    spinner.start()
    idle.start()
    mon = LoopLagMonitor(interval=0.01, threshold=0.05)
    await mon.start()
    try:
        # The watchdog's report, made from a thread while the loop thread sits in its selector,
        # as it does while another thread keeps the GIL. (A real GIL stall cannot be sampled on
        # cue: the watchdog runs only once the C call holding the GIL has returned, and the loop
        # thread may take the GIL first; test_gil_held_by_another_thread_is_reported.)
        await asyncio.to_thread(report_when_idle, mon)
    finally:
        stop.set()
        spinner.join()
        idle.join()
        await mon.stop()
    [message] = [r.getMessage() for r in lag_records(caplog)]
    assert "waiting for the CPU or for the GIL held by another thread" in message
    assert "thread 'warm-up', not waiting" in message
    assert "spin_in_python" in message
    assert "idle-waiter" not in message
    assert "riskreport-loop-lag-watchdog" not in message
