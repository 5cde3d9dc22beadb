"""The real report job, paced: each stage waits a moment so a browser can see it.

The report job itself takes well under a second before its documents, too fast for a person (or
a test) to see the stages move. These wrappers run the unchanged job and only pause after each
progress report; the server binds them with ``JobSpec("report", "tests...:run_paced")``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from riskreport.analysis.job import JobContext, ReportOutput, run_report

PACE = 0.4  # seconds after each new stage: visible, yet the whole job stays a few seconds
SLOW_PACE = 1.5  # long enough to fill a one-slot server, or to outlive a short timeout


class _Paced:
    def __init__(self, ctx: JobContext, pause: float) -> None:
        self._ctx = ctx
        self._pause = pause
        self._stage = ""

    @property
    def job_id(self) -> str:
        return self._ctx.job_id

    def report(self, fraction: float, stage: str) -> None:
        self._ctx.report(fraction, stage)
        if stage != self._stage:
            self._stage = stage
            # Sleep in small steps so a cancel or a deadline still stops the job promptly.
            until = time.monotonic() + self._pause
            while time.monotonic() < until:
                self._ctx.check()
                time.sleep(0.05)

    def cancelled(self) -> bool:
        return self._ctx.cancelled()

    def remaining(self) -> float:
        return self._ctx.remaining()

    def computing(self) -> AbstractContextManager[None]:
        # The pauses are sleeps inside the job's computing blocks: holding the thread runner's
        # compute lock through them would make paced jobs wait for each other.
        return nullcontext()

    def check(self) -> None:
        self._ctx.check()


def run_paced(payload: Mapping[str, Any], ctx: JobContext) -> ReportOutput:
    return run_report(payload, _Paced(ctx, PACE))


def run_slow(payload: Mapping[str, Any], ctx: JobContext) -> ReportOutput:
    return run_report(payload, _Paced(ctx, SLOW_PACE))
