"""A recorder that keeps a call's outcome instead of storing it: runners run work that is not
a stored job (a document rendered on request) exactly as they run jobs.

Use (in a backend)::

    outcome = await call_in(runner, job, spec, job_timeout=60)
    outcome  # Outcome(status=SUCCEEDED, result=..., artifacts=...)
"""

from __future__ import annotations

from riskreport.engine.errors import JobNotFound
from riskreport.engine.jobs import Job, JobStatus, Progress
from riskreport.engine.outcome import CANCELLED, Outcome
from riskreport.engine.runners.control import JobControl, Runner
from riskreport.engine.spec import JobSpec

# What a call that ended without an outcome (cancelled before it ran) reports.
NO_OUTCOME = Outcome.failure(JobStatus.CANCELLED, CANCELLED, "the call ended before it ran")


class OutcomeCapture:
    """A ``JobRecorder`` for one call: starts at once, drops progress, keeps the outcome."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.outcome: Outcome | None = None

    async def started(self, job_id: str) -> Job | None:
        return self.job

    def progress(self, job_id: str, progress: Progress) -> None:
        """Nobody follows a call's progress."""

    async def finished(self, job_id: str, outcome: Outcome) -> Job | None:
        if self.outcome is None:  # the first final word counts, as in the store
            self.outcome = outcome
        return None

    async def requeue(self, job_id: str) -> bool:
        """A call is no stored job, so nothing goes back to a queue: it ends without outcome."""
        return False

    def heard(self, job_id: str, job: Job | None, *, mine: bool) -> None:
        """A call has no waiters or listeners in other processes."""

    async def current(self, job_id: str) -> Job:
        """A call is never stored, so there is nothing to read again."""
        raise JobNotFound(job_id)


async def call_in(runner: Runner, job: Job, spec: JobSpec, *, job_timeout: float) -> Outcome:
    """Run ``spec``'s function on ``job`` in ``runner`` and return its outcome, storing nothing
    (``Backend.call`` of the backends that own runners)."""
    capture = OutcomeCapture(job)
    await runner.run(
        job, spec.function, job_timeout=job_timeout, recorder=capture, control=JobControl(job.id)
    )
    return capture.outcome or NO_OUTCOME
