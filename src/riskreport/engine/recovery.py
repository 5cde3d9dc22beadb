"""Start-up recovery: what to do with the jobs a stopped process left ``running``.

Use (``Engine.start`` does, for exclusive backends; ``serve --workers N`` once in its parent)::

    recovered = await recover_unfinished(store, max_attempts=3)
    recovered.requeued, recovered.failed      # ids
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from riskreport.engine.jobs import JobError, Recovered, utcnow
from riskreport.engine.outcome import INTERRUPTED
from riskreport.engine.store import JobStore

log = logging.getLogger("riskreport.engine")

_INTERRUPTED = JobError(
    code=INTERRUPTED,
    message="the service stopped while the job ran, too many times; it is not run again",
)


async def recover_unfinished(store: JobStore, *, max_attempts: int) -> Recovered:
    """Return jobs a stopped process left ``running`` to ``queued``; fail those at the limit.

    A job found ``running`` after ``max_attempts`` starts fails with code ``interrupted``; the
    others go back to ``queued`` and run again (report jobs are idempotent). Only safe while no
    other process runs jobs of this store: :meth:`Engine.start` calls it for exclusive backends,
    and ``riskreport serve --workers N`` calls it once in the parent before the worker processes
    start (they then skip it, see ``LocalBackend(shared_store=True)``).
    """
    recovered = await store.recover_running(
        max_attempts=max_attempts, error=_INTERRUPTED, at=utcnow()
    )
    if recovered.requeued:
        log.warning(
            "returned %d interrupted job(s) to the queue: %s",
            len(recovered.requeued),
            _shown(recovered.requeued),
        )
    if recovered.failed:
        log.warning(
            "failed %d interrupted job(s) after %d attempt(s): %s",
            len(recovered.failed),
            max_attempts,
            _shown(recovered.failed),
        )
    return recovered


def _shown(ids: Sequence[str]) -> str:
    return ", ".join(ids[:10]) + (" ..." if len(ids) > 10 else "")
