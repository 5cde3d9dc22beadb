"""The store-backed :class:`~riskreport.engine.backend.JobRecorder`: write first, announce second.

Every change goes to the store; only after the write succeeds is it announced to the notifier
(waiters, event streams) and to listeners (metrics). A worker in another process can build its own
``StoreRecorder`` over the same store (with a notifier of its own, or none).

Use::

    recorder = StoreRecorder(store, LocalNotifier())
    recorder.add_listener(metrics.observe_job)
    if (running := await recorder.started(job.id)) is not None:
        ...  # running.payload, as stored
        await recorder.finished(job.id, Outcome.of(result))
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from riskreport.engine.errors import IllegalTransition
from riskreport.engine.events.notifier import Notifier
from riskreport.engine.jobs import JSON, Artifact, Job, JobError, JobStatus, Progress, utcnow
from riskreport.engine.outcome import Outcome
from riskreport.engine.store import JobStore
from riskreport.engine.taskset import TaskSet

log = logging.getLogger("riskreport.engine")

Listener = Callable[[Job], None]

# The progress of a job as it starts (every recorder, and a Celery pool process, writes it).
STARTED = Progress(fraction=0.0, stage="running")
_DONE = Progress(fraction=1.0, stage="done")


def final_changes(outcome: Outcome) -> dict[str, Any]:
    """What the transition to ``outcome.status`` sets: error, result and artifacts, and the
    progress of a job that succeeded (every recorder writes an outcome this way)."""
    changes: dict[str, Any] = {
        "error": outcome.error,
        "result": outcome.result,
        "artifacts": outcome.artifacts,
    }
    if outcome.status is JobStatus.SUCCEEDED:
        changes["progress"] = _DONE
    return changes


class StoreRecorder:
    def __init__(self, store: JobStore, notifier: Notifier) -> None:
        self.store = store
        self.notifier = notifier
        self._listeners: list[Listener] = []
        # Progress writes are coalesced per job: the newest report waits in ``_pending`` while
        # one writer task per job (``_writing``) drains it, so reports never pile up or reorder.
        self._pending: dict[str, Progress] = {}
        self._writing: set[str] = set()
        self._tasks = TaskSet()
        self._closed = False
        # Jobs returned to ``queued`` at shutdown: whatever their runner reports afterwards (the
        # cancel that stopped them) must not overwrite that, since queued -> cancelled is legal.
        self._returned: set[str] = set()

    def add_listener(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def admitted(self, job: Job) -> None:
        """Tell listeners (metrics) of a job just written ``queued``. Waiters are not told, here
        or in other processes: none can wait for a job before its admission has returned its
        id (a wait or an event stream on an unknown id is refused), so a notice would wake
        nobody and cost a message per job on a shared store's change bus."""
        self._tell_listeners(job)

    def announce(self, job: Job) -> None:
        """Tell waiters and listeners about a change already written to the store."""
        self.notifier.publish(job.id, job if job.status.is_final else None)
        self._tell_listeners(job)

    def _tell_listeners(self, job: Job) -> None:
        for listener in self._listeners:
            try:
                listener(job)
            except Exception:
                # A broken listener (metrics) must not break job bookkeeping.
                log.exception("job listener %r failed", listener)

    def heard(self, job_id: str, job: Job | None, *, mine: bool) -> None:
        """Another process changed the job in the store (heard on an event bus): wake waiters
        and event streams here. ``job`` is the job as stored when the change was one of status.

        Listeners hear it only when ``mine`` (the job was admitted here), so that each job is
        counted once, by the process that admitted it.
        """
        if job is None or not mine:
            final = job if job is not None and job.status.is_final else None
            self.notifier.publish(job_id, final)
            return
        self.announce(job)

    async def current(self, job_id: str) -> Job:
        return await self.store.get(job_id)

    async def transition(
        self,
        job_id: str,
        new: JobStatus,
        *,
        error: JobError | None = None,
        result: JSON | None = None,
        progress: Progress | None = None,
        artifacts: Iterable[Artifact] = (),
    ) -> Job:
        """Write one transition, then announce it. Raises ``IllegalTransition``/``JobNotFound``."""
        job = await self.store.transition(
            job_id,
            new,
            at=utcnow(),
            error=error,
            result=result,
            progress=progress,
            artifacts=artifacts,
        )
        self.announce(job)
        return job

    async def started(self, job_id: str) -> Job | None:
        try:
            return await self.transition(job_id, JobStatus.RUNNING, progress=STARTED)
        except IllegalTransition:
            # Cancelled meanwhile, or (on a shared store) another process took the job first.
            # Announce it as it is, so this process stops counting it as waiting.
            self.announce(await self.store.get(job_id))
            return None

    async def requeue(self, job_id: str) -> bool:
        """Return a running job to ``queued`` for the next start (shutdown outlived the grace);
        False if it had ended first. Later reports of its runner are ignored."""
        self._returned.add(job_id)
        if not await self.store.requeue(job_id):
            self._returned.discard(job_id)
            return False
        self.announce(await self.store.get(job_id))
        return True

    async def finished(self, job_id: str, outcome: Outcome) -> Job | None:
        if job_id in self._returned:
            log.debug("job %s is back in the queue; %s not recorded", job_id, outcome.status)
            return None
        try:
            return await self.transition(job_id, outcome.status, **final_changes(outcome))
        except IllegalTransition as exc:
            # Expected when a client cancel or a deadline got there first: the first final
            # state stands.
            log.debug("job %s already final, %s not recorded: %s", job_id, outcome.status, exc)
            return None

    def progress(self, job_id: str, progress: Progress) -> None:
        if self._closed:
            # A thread abandoned at shutdown may still report; the store may be closed by now.
            log.debug("progress of job %s after shutdown dropped", job_id)
            return
        self._pending[job_id] = progress
        if job_id not in self._writing:
            self._writing.add(job_id)
            self._tasks.spawn(self._write_progress(job_id), name=f"progress-{job_id}")

    async def _write_progress(self, job_id: str) -> None:
        try:
            while (progress := self._pending.pop(job_id, None)) is not None:
                await self.store.set_progress(job_id, progress)
                self.notifier.publish(job_id)
        except Exception:
            self._pending.pop(job_id, None)
            log.exception("could not record progress of job %s", job_id)
        finally:
            self._writing.discard(job_id)

    async def aclose(self, grace: float = 5.0) -> None:
        """Let pending progress writes finish within ``grace`` s, then cancel what is left."""
        self._closed = True
        if not await self._tasks.wait(grace):
            self._tasks.cancel()
            await self._tasks.wait()
