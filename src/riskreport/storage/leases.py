"""Leases of the server processes that share a store (``serve --workers N``) on their jobs.

Each such process is a *runner* with an id of its own. Its store stamps that id on the jobs it
creates and starts (``jobs.runner``), and the process renews its lease every few seconds (a
heartbeat: ``runners.seen_at``). A job is an orphan when it is ``queued`` or ``running`` and its
runner holds no live lease: the process died (SIGKILL, out of memory, a crash that uvicorn
answers by starting a new worker) or left (a graceful stop deletes its row, so its requeued jobs
are adopted at once). Any live process adopts orphans: a ``running`` one goes back to ``queued``
(or fails with ``interrupted`` at the attempt limit, as start-up recovery does), and each becomes
the adopter's, which then runs it. A process also looks for the jobs it holds that ended
through another process (a client's cancel, mostly), to stop their work here: such a change
is only a write to the store.

Every step is one ``UPDATE`` with the orphan test in its ``WHERE``: of two processes adopting at
once, each job goes to one (on PostgreSQL the second finds the row changed, re-checks it, and the
new runner is live). Jobs with no runner (written by a single process, or by Celery, whose
broker owns them) are never touched here.

Use (through :class:`riskreport.storage.sql.SqlJobStore` built with ``runner=``)::

    leases = Leases(tables, runner="host:1234:9f3a")
    present = conn_work(leases.renew(at=now))       # False: the row was missing
    adopted = conn_work(leases.adopt(stale_before=now - lapse, max_attempts=3, error=..., at=now))
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime

from sqlalchemy import ColumnElement, and_, bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from riskreport.engine.jobs import FINAL_STATES, Adopted, Job, JobError, JobStatus
from riskreport.storage.rows import QUEUED_PROGRESS, error_json, job_from_row, require_aware
from riskreport.storage.tables import JobTables


class Leases:
    def __init__(self, tables: JobTables, runner: str) -> None:
        self.runner = runner
        jobs, runners = tables.jobs, tables.runners
        self._renew = update(runners).where(runners.c.id == runner).values(seen_at=bindparam("at"))
        self._enter = insert(runners).values(id=runner, seen_at=bindparam("at"))
        self._leave = delete(runners).where(runners.c.id == runner)
        live = select(runners.c.id).where(runners.c.seen_at >= bindparam("stale_before"))
        orphan: ColumnElement[bool] = and_(jobs.c.runner.is_not(None), jobs.c.runner.not_in(live))
        running = jobs.c.status == JobStatus.RUNNING.value
        self._fail = (
            update(jobs)
            .where(running, orphan, jobs.c.attempts >= bindparam("max_attempts"))
            .values(
                status=JobStatus.FAILED.value,
                error=bindparam("error"),
                finished_at=bindparam("at"),
            )
            .returning(jobs.c.id)
        )
        self._requeue = (
            update(jobs)
            .where(running, orphan)
            .values(
                status=JobStatus.QUEUED.value,
                started_at=None,
                progress=QUEUED_PROGRESS,
                runner=runner,
            )
            .returning(*jobs.c)
        )
        self._take = (
            update(jobs)
            .where(jobs.c.status == JobStatus.QUEUED.value, orphan)
            .values(runner=runner)
            .returning(*jobs.c)
        )
        # Runners whose lease lapsed: their jobs were adopted in the same transaction.
        self._forget = delete(runners).where(runners.c.seen_at < bindparam("stale_before"))
        self._ended = select(jobs).where(
            jobs.c.id.in_(bindparam("job_ids", expanding=True)),
            jobs.c.status.in_([status.value for status in FINAL_STATES]),
        )

    def renew(self, *, at: datetime) -> Callable[[Connection], bool]:
        """Renew this runner's lease until ``at`` plus the lapse; the work returns False when
        its row was missing (the first renewal, or another process took this one for dead)."""
        require_aware(at)

        def work(conn: Connection) -> bool:
            if conn.execute(self._renew, {"at": at}).rowcount == 1:
                return True
            conn.execute(self._enter, {"at": at})
            return False

        return work

    def adopt(
        self, *, stale_before: datetime, max_attempts: int, error: JobError, at: datetime
    ) -> Callable[[Connection], Adopted]:
        """Adopt the orphans of runners not seen since ``stale_before``: the work returns the
        jobs now this runner's (``queued``, oldest first) and the ids of those failed at the
        attempt limit."""
        require_aware(stale_before)
        require_aware(at)
        params = {
            "stale_before": stale_before,
            "max_attempts": max_attempts,
            "error": error_json(error),
            "at": at,
        }

        def work(conn: Connection) -> Adopted:
            failed = tuple(conn.execute(self._fail, params).scalars())
            rows = [*conn.execute(self._requeue, params), *conn.execute(self._take, params)]
            conn.execute(self._forget, params)
            jobs = sorted((job_from_row(row) for row in rows), key=lambda j: (j.created_at, j.id))
            return Adopted(jobs=tuple(jobs), failed=failed)

        return work

    def ended(self, job_ids: Collection[str]) -> Callable[[Connection], list[Job]]:
        """The jobs among ``job_ids`` (read by primary key) that are in a final state."""
        params = {"job_ids": list(job_ids)}

        def work(conn: Connection) -> list[Job]:
            return [job_from_row(row) for row in conn.execute(self._ended, params)]

        return work

    def leave(self) -> Callable[[Connection], None]:
        """End this runner's lease now: its unfinished jobs are orphans at once."""

        def work(conn: Connection) -> None:
            conn.execute(self._leave)

        return work
