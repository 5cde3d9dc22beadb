"""Stand-in job functions for the engine tests: sub-second, importable by child processes.

They live in the ``tests`` package (importable wherever the repository root is on ``sys.path``,
which the process runner passes on to its workers).
"""

from __future__ import annotations

import ctypes
import gc
import logging
import os
import signal
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from riskreport.engine import context
from riskreport.engine.context import JobContext

log = logging.getLogger("tests.engine.jobfuncs")

PREPARED: list[tuple[Any, ...]] = []
_calls = threading.local()


def prepare(*args: Any) -> None:
    """Initializer: record that warm-up ran (in this process) and, given a path, say so there."""
    PREPARED.append(args)
    if args:
        with Path(str(args[0])).open("a") as marker:
            marker.write(f"{os.getpid()}\n")


def prepare_slowly(marker: str, seconds: float) -> None:
    """Initializer: say this process started warming up (its pid in ``marker``), then take
    ``seconds`` about it."""
    with Path(marker).open("a") as file:
        file.write(f"{os.getpid()}\n")
    time.sleep(seconds)


def prepare_fails(*args: Any) -> None:
    raise RuntimeError("no model data")


def was_prepared(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    return {"prepared": len(PREPARED), "pid": os.getpid()}


def echo(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    return {
        "echo": payload.get("value"),
        "request_id": context.request_id.get(),
        "job_id": ctx.job_id,
        "pid": os.getpid(),
        "remaining": ctx.remaining(),
    }


def nap(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Sleep ``seconds`` cooperatively (checks cancel and deadline every 10 ms)."""
    seconds = float(payload.get("seconds", 0.1))
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        ctx.check()
        time.sleep(min(0.01, left))
    return {"slept": seconds, "pid": os.getpid()}


def block(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Sleep ``seconds`` ignoring cancel and deadline: only a kill stops it early. Given a
    ``marker`` path, first write this process's pid there."""
    if "marker" in payload:
        Path(payload["marker"]).write_text(f"{os.getpid()}\n")
    time.sleep(float(payload.get("seconds", 10.0)))
    return {"blocked": True}


def hog(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Hold the interpreter in one C call for ``seconds``, from the job's first instant, as a
    C extension stuck in a loop would: libc's ``sleep`` through ``ctypes.PyDLL``, which keeps
    the GIL (no other thread of the process runs meanwhile), with the signals that could end it
    early blocked (no soft time limit gets in). Only a kill stops it."""
    signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
    ctypes.PyDLL(None).sleep(int(payload.get("seconds", 5)))
    return {"hogged": True}


def spin(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Burn CPU for ``seconds`` (holding the GIL in pure Python) without checking anything."""
    end = time.monotonic() + float(payload.get("seconds", 0.2))
    count = 0
    while time.monotonic() < end:
        count += sum(i * i for i in range(200))
    return {"spun": count > 0}


def steps(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Report ``n`` stages, ``pause`` seconds apart."""
    n = int(payload.get("n", 3))
    for i in range(n):
        ctx.check()
        ctx.report((i + 1) / (n + 1), f"step-{i + 1}")
        time.sleep(float(payload.get("pause", 0.05)))
    return {"steps": n}


def fail(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    raise ValueError(str(payload.get("message", "boom")))


def crash(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    os._exit(int(payload.get("code", 3)))


def not_json(payload: Mapping[str, Any], ctx: JobContext) -> Any:
    return {"values": {1, 2, 3}}


def chatty(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    log.warning("hello from job %s", ctx.job_id)
    return {"logged": True}


@dataclass(frozen=True)
class Output:
    result: Mapping[str, Any]
    artifacts: Mapping[str, tuple[str, bytes]] = field(default_factory=dict)


def with_files(payload: Mapping[str, Any], ctx: JobContext) -> Output:
    return Output(
        result={"files": 2},
        artifacts={
            "report.md": ("text/markdown", b"# Report\n"),
            "report.pdf": ("application/pdf", b"%PDF-1.7 stand-in\x00\xff"),
        },
    )


def killed(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Die of a signal, as a segfault or the OOM killer would end a worker."""
    os.kill(os.getpid(), signal.SIGKILL)
    time.sleep(5)
    return {}


def render_named(payload: Mapping[str, Any], ctx: JobContext) -> Output:
    """Renderer of ``echo`` jobs: the artifact ``name`` made from the job's result; "broken"
    fails."""
    name = str(payload["name"])
    if name == "broken":
        raise ValueError("cannot render broken")
    time.sleep(0.1)  # long enough for concurrent requests to meet
    data = repr(sorted(payload["result"].items())).encode()
    return Output(result={"name": name}, artifacts={name: ("text/plain", data)})


def slow_steps(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Four stages 0.3 s apart (``report`` in the scale-out tests: long enough to follow)."""
    return steps({"n": 4, "pause": 0.3}, ctx)


def burst(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Report ``n`` fractions of one stage back to back, then sleep ``pause`` seconds."""
    n = int(payload.get("n", 50))
    for i in range(n):
        ctx.report((i + 1) / (n + 1), "burst")
    time.sleep(float(payload.get("pause", 0.5)))
    return {"reported": n}


def computes(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Compute for ``compute`` seconds in a ``ctx.computing()`` block (a sleep stands for the
    computing, so the timing does not depend on the machine), then wait ``wait`` seconds."""
    with ctx.computing():
        entered = time.monotonic()
        time.sleep(float(payload.get("compute", 0.1)))
        left = time.monotonic()
    time.sleep(float(payload.get("wait", 0.3)))
    return {"entered": entered, "left": left}


def gc_frozen(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """How many objects the garbage collector of this process no longer walks."""
    return {"frozen": gc.get_freeze_count(), "pid": os.getpid()}
