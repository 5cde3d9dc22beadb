"""Stand-in job functions for the API tests: sub-second, importable by child processes.

The API always submits kind ``report``; each test binds that kind to one of these through
``create_app(settings, specs=...)``, so the real engine, store and backend run them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from riskreport.engine import context
from riskreport.engine.context import JobContext

MODULE = __name__


def path(name: str) -> str:
    """Dotted path of a function of this module, for a ``JobSpec``."""
    return f"{MODULE}:{name}"


@dataclass(frozen=True)
class Documents:
    """A job output with files, as the report job returns it."""

    result: Mapping[str, Any]
    artifacts: Mapping[str, tuple[str, bytes]] = field(default_factory=dict)


def quick(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Finish at once, echoing what the job saw."""
    ctx.report(0.5, "echo")
    return {
        "language": payload.get("language"),
        "request_id": context.request_id.get(),
        "job_id": ctx.job_id,
    }


def with_documents(payload: Mapping[str, Any], ctx: JobContext) -> Documents:
    return Documents(
        result={"summary": {"dominant_hazards": ["heat_wave"]}},
        artifacts={
            "html": ("text/html; charset=utf-8", b"<h1>report</h1>"),
            "md": ("text/markdown; charset=utf-8", "# 보고서\n".encode()),
            "pdf": ("application/pdf", b"%PDF-1.7\n%stand-in\n"),
        },
    )


def staged(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Walk through four stages, 50 ms each, so event streams see progress."""
    for i, stage in enumerate(("inputs", "hazards", "narrative", "documents")):
        ctx.check()
        ctx.report(i / 4, stage)
        time.sleep(0.05)
    return {"stages": 4}


def nap(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Sleep cooperatively for ``RISKREPORT_TEST_NAP`` seconds (default 5): cancellable."""
    end = time.monotonic() + float(os.environ.get("RISKREPORT_TEST_NAP", "5"))
    while (left := end - time.monotonic()) > 0:
        ctx.check()
        time.sleep(min(0.01, left))
    return {"napped": True}


IO_SECONDS = 0.4


def io_bound(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Wait on (simulated) blocking I/O, as an LLM call does."""
    time.sleep(IO_SECONDS)
    return {"waited": IO_SECONDS}


CPU_SECONDS = 0.4


def cpu_bound(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Hold a CPU (and, in a thread, the GIL) with pure-Python arithmetic."""
    end = time.process_time() + CPU_SECONDS
    total = 0
    while time.process_time() < end:
        for i in range(10_000):
            total += i * i
    return {"total": total % 1000, "pid": os.getpid()}


def fails(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    raise RuntimeError("stand-in failure")


def slow_prepare(*args: Any) -> None:
    """Initializer: a warm-up that takes a while (heavy imports, model data)."""
    time.sleep(float(args[0]) if args else 0.5)


def prepare_fails(*args: Any) -> None:
    """Initializer that fails, as a warm-up without its model data would."""
    raise RuntimeError("no model data")


def sized_nap(payload: Mapping[str, Any], ctx: JobContext) -> dict[str, Any]:
    """Sleep cooperatively ``floors_above / 10`` seconds: one function, short and long jobs."""
    seconds = float(payload["building_info"]["floors_above"]) / 10
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        ctx.check()
        time.sleep(min(0.01, left))
    return {"napped": seconds}
