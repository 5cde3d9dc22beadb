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

    async def drain(self, grace: float, recorder: JobRecorder, *, requeue: bool) -> None:
        """Stop queued jobs now, give running ones ``grace`` seconds, then stop them.

        With ``requeue`` the queued jobs stay ``queued`` in the store and the running ones that
        outlive the grace go back to ``queued`` (the next start runs them again); without, each
        is recorded ``cancelled`` (code ``shutdown``). Either way this happens before it
        returns; threads that ignore their cancel token are left behind, not waited for.
        """
        for control in [c for c in self._controls.values() if not c.running]:
            if requeue:
                # Its `running` write may be on the way: record_started undoes it.
                control.stop_for_requeue()
                continue
            control.cancel()
            await recorder.finished(control.job_id, _CANCELLED_QUEUED)
        if self._controls:
            self._empty = anyio.Event()
            with anyio.move_on_after(grace):
                await self._empty.wait()
        for control in list(self._controls.values()):
            if requeue and control.running:
                # In the store first: the cancel below makes the runner report `cancelled`,
                # which the recorder then ignores for this job.
                if await recorder.requeue(control.job_id):
                    log.warning(
                        "job %s returned to the queue by shutdown after %g s of grace",
                        control.job_id,
                        grace,
                    )
                control.cancel()
                continue
            control.cancel()
            if not requeue and await recorder.finished(control.job_id, _CANCELLED_RUNNING):
                log.warning(
                    "job %s cancelled by shutdown after %g s of grace", control.job_id, grace
                )
