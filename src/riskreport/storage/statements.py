"""The job store's SQL statements, built once per store with bound parameters.

Building a SQLAlchemy statement and its cache key costs about 0.25 ms, as much as running it on
SQLite; every job runs the same few statements, so they are built once and run with parameters.

Every transition is one compare-and-set ``UPDATE ... WHERE id = :job_id AND status IN (<states that
may move to the new one>)``: of two processes racing to finish a job, exactly one wins.

Use::

    statements = Statements(job_tables())
    conn.execute(statements.transition(JobStatus.RUNNING, ("status", "started_at")),
                 {"job_id": "a", "new_status": "running", "new_started_at": now})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Insert, Select, Update, bindparam, insert, select, update

from riskreport.engine.jobs import TRANSITIONS, JobStatus
from riskreport.storage.tables import JobTables

# For each state, the states a job may be in to move there (the inverse of TRANSITIONS).
PREDECESSORS: Mapping[JobStatus, tuple[str, ...]] = {
    new: tuple(old.value for old, moves in TRANSITIONS.items() if new in moves) for new in JobStatus
}

# SQLAlchemy reserves column names for the parameters of SET; ours carry this prefix.
NEW = "new_"


class Statements:
    def __init__(self, tables: JobTables) -> None:
        jobs, artifacts = tables.jobs, tables.artifacts
        self._tables = tables
        self.insert_job: Insert = insert(jobs)
        self.insert_artifacts: Insert = insert(artifacts)
        self.get_job: Select[Any] = select(jobs).where(jobs.c.id == bindparam("job_id"))
        self.get_artifact: Select[Any] = select(artifacts.c.media_type, artifacts.c.data).where(
            artifacts.c.job_id == bindparam("job_id"), artifacts.c.name == bindparam("name")
        )
        # A worker died mid-job and its job was delivered again: one more attempt, if nobody
        # restarted or finished it meanwhile (compare-and-set on status and attempts).
        self.restart: Update = (
            update(jobs)
            .where(
                jobs.c.id == bindparam("job_id"),
                jobs.c.status == JobStatus.RUNNING.value,
                jobs.c.attempts == bindparam("attempts"),
            )
            .values(
                attempts=jobs.c.attempts + 1,
                started_at=bindparam(f"{NEW}started_at"),
                progress=bindparam(f"{NEW}progress"),
            )
            .returning(*jobs.c)
        )
        self.set_progress: Update = (
            update(jobs)
            .where(jobs.c.id == bindparam("job_id"), jobs.c.status == JobStatus.RUNNING.value)
            .values(progress=bindparam(f"{NEW}progress"))
        )
        self.requeue: Update = (
            update(jobs)
            .where(jobs.c.id == bindparam("job_id"), jobs.c.status == JobStatus.RUNNING.value)
            .values(
                status=JobStatus.QUEUED.value,
                started_at=None,
                progress=bindparam(f"{NEW}progress"),
            )
        )
        self._transitions: dict[tuple[JobStatus, tuple[str, ...]], Update] = {}

    def transition(self, new: JobStatus, columns: tuple[str, ...]) -> Update:
        """``UPDATE`` job ``:job_id`` to ``new`` from a state that may move there, setting
        ``columns`` from parameters ``new_<column>``; returns the row, without the result when
        the update sets it (the writer has it already: reading back a report of some hundred
        kilobytes would parse it again, in the writer's thread, under the GIL)."""
        key = (new, columns)
        statement = self._transitions.get(key)
        if statement is None:
            jobs = self._tables.jobs
            values: dict[str, Any] = {column: bindparam(f"{NEW}{column}") for column in columns}
            returned = [c for c in jobs.c if not (c.name == "result" and "result" in columns)]
            if new is JobStatus.RUNNING:
                values["attempts"] = jobs.c.attempts + 1  # counted in the same write
            statement = (
                update(jobs)
                .where(jobs.c.id == bindparam("job_id"), jobs.c.status.in_(PREDECESSORS[new]))
                .values(values)
                .returning(*returned)
            )
            self._transitions[key] = statement
        return statement
