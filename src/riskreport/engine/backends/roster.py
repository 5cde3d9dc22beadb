"""The jobs a local backend holds (queued or running), for cancel, stats and shutdown.

Use::

    roster = Roster()
    control = roster.enter(job.id)          # when the backend takes the job
    await roster.run(runner, job, function, job_timeout=60, recorder=recorder, control=control)
    await roster.drain(grace, recorder)     # at shutdown
"""

from __future__ import annotations

import logging

import anyio

from riskreport.engine.backend import JobRecorder
from riskreport.engine.jobs import Job, JobStatus
from riskreport.engine.outcome import SHUTDOWN, Outcome
from riskreport.engine.runners.control import JobControl, Runner

log = logging.getLogger("riskreport.engine")

_CANCELLED_QUEUED = Outcome.failure(
    JobStatus.CANCELLED, SHUTDOWN, "the service shut down before the job started"
)
_CANCELLED_RUNNING = Outcome.failure(
    JobStatus.CANCELLED, SHUTDOWN, "the service shut down before the job finished"
)


class Roster:
    def __init__(self) -> None:
        self._controls: dict[str, JobControl] = {}
        self._empty: anyio.Event | None = None

    def __len__(self) -> int:
        return len(self._controls)

    def enter(self, job_id: str) -> JobControl:
        control = self._controls[job_id] = JobControl(job_id)
        return control

    def leave(self, job_id: str) -> None:
        self._controls.pop(job_id, None)
        if not self._controls and self._empty is not None:
            self._empty.set()

    def get(self, job_id: str) -> JobControl | None:
        return self._controls.get(job_id)

    async def run(
        self,
        runner: Runner,
        job: Job,
        function: str,
        *,
        job_timeout: float,
        recorder: JobRecorder,
        control: JobControl,
    ) -> None:
        """Run an entered job in ``runner``; it leaves the roster however the run ends."""
        try:
            await runner.run(
                job, function, job_timeout=job_timeout, recorder=recorder, control=control
            )
        finally:
            self.leave(job.id)

    async def drain(self, grace: float, recorder: JobRecorder) -> None:
        """Cancel queued jobs now, give running ones ``grace`` seconds, then cancel them.

        Each cancelled job is recorded (``cancelled``, code ``shutdown``) before this returns;
        threads that ignore their cancel token are left behind, not waited for.
        """
        for control in [c for c in self._controls.values() if not c.running]:
            control.cancel()
            await recorder.finished(control.job_id, _CANCELLED_QUEUED)
        if self._controls:
            self._empty = anyio.Event()
            with anyio.move_on_after(grace):
                await self._empty.wait()
        for control in list(self._controls.values()):
            control.cancel()
            if await recorder.finished(control.job_id, _CANCELLED_RUNNING) is not None:
                log.warning(
                    "job %s cancelled by shutdown after %g s of grace", control.job_id, grace
                )
