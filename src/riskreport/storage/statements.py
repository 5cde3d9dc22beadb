"""The job store's SQL statements, built once per store with bound parameters.

Building a SQLAlchemy statement and its cache key costs about 0.25 ms, as much as running it on
SQLite; every job runs the same few statements, so they are built once and run with parameters.

Every transition is one compare-and-set ``UPDATE ... WHERE id = <job> AND status IN (<states that
may move to the new one>)``: of two processes racing to finish a job, exactly one wins.

Transitions and progress write many jobs in one statement (group commit merges the writes of a
batch, :mod:`riskreport.storage.job_writes`): the ``UPDATE`` joins a table ``new`` of one row of
bound parameters per job, a ``UNION ALL`` of ``SELECT``s (SQLite cannot name the columns of a
``VALUES`` list), and returns the rows it changed::

    WITH new AS (SELECT :job_id_0 AS job_id, :new_started_at_0 AS new_started_at UNION ALL ...)
    UPDATE jobs SET status = 'running', started_at = new.new_started_at, attempts = attempts + 1
    FROM new WHERE jobs.id = new.job_id AND jobs.status = 'queued' RETURNING jobs.*

Such a statement is built once per number of rows (SQLAlchemy then caches it compiled).

Use::

    statements = Statements(job_tables())
    update = statements.transition(JobStatus.RUNNING, ("started_at",), count=2)
    conn.execute(update, parameters(update_rows))   # job_id_0, new_started_at_0, job_id_1, ...
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Insert,
    Select,
    Update,
    bindparam,
    false,
    insert,
    or_,
    select,
    union_all,
    update,
)

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
        # The states of jobs a merged write did not change: why not (JobNotFound if absent).
        self.statuses: Select[Any] = select(jobs.c.id, jobs.c.status).where(
            jobs.c.id.in_(bindparam("job_ids", expanding=True))
        )
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
        self.requeue: Update = (
            update(jobs)
            .where(jobs.c.id == bindparam("job_id"), jobs.c.status == JobStatus.RUNNING.value)
            .values(
                status=JobStatus.QUEUED.value,
                started_at=None,
                progress=bindparam(f"{NEW}progress"),
            )
        )
        self._built: dict[tuple[JobStatus | None, tuple[str, ...], int], Update] = {}
        self._finished_at_once: dict[tuple[JobStatus, tuple[str, ...]], Update] = {}

    def transition(self, new: JobStatus, columns: tuple[str, ...], *, count: int) -> Update:
        """``UPDATE`` ``count`` jobs to ``new`` from a state that may move there, setting
        ``columns`` from the parameters ``new_<column>_<i>`` of job ``job_id_<i>``; returns the
        rows changed."""
        key = (new, columns, count)
        statement = self._built.get(key)
        if statement is None:
            jobs = self._tables.jobs
            rows = self._rows(columns, count)
            values: dict[str, Any] = {column: rows.c[f"{NEW}{column}"] for column in columns}
            values["status"] = new.value
            # Without the result when the update sets it: the writer has it already, and
            # reading back a report of some ten kilobytes would parse it again under the GIL.
            returned = [c for c in jobs.c if not (c.name == "result" and "result" in columns)]
            if new is JobStatus.RUNNING:
                values["attempts"] = jobs.c.attempts + 1  # counted in the same write
            statement = (
                update(jobs)
                .where(jobs.c.id == rows.c.job_id, self._status_in(PREDECESSORS[new]))
                .values(values)
                .returning(*returned)
            )
            self._built[key] = statement
        return statement

    def start_and_finish(self, new: JobStatus, columns: tuple[str, ...]) -> Update:
        """``UPDATE`` the ``queued`` job ``job_id`` straight to the final state ``new``: started
        (one more attempt) and finished in one compare-and-set, setting ``columns`` (among them
        ``started_at`` and ``finished_at``) from the parameters ``new_<column>``; returns only
        the columns its writer cannot know (``created_at``, ``attempts``, ``owner``): it has the
        rest, and reading back the payload and the times was a quarter of the write's CPU."""
        key = (new, columns)
        statement = self._finished_at_once.get(key)
        if statement is None:
            jobs = self._tables.jobs
            values: dict[str, Any] = {column: bindparam(f"{NEW}{column}") for column in columns}
            values["status"] = new.value
            values["attempts"] = jobs.c.attempts + 1
            statement = (
                update(jobs)
                .where(
                    jobs.c.id == bindparam("job_id"),
                    jobs.c.status == JobStatus.QUEUED.value,
                )
                .values(values)
                .returning(jobs.c.created_at, jobs.c.attempts, jobs.c.owner)
            )
            self._finished_at_once[key] = statement
        return statement

    def _status_in(self, states: Sequence[str]) -> ColumnElement[bool]:
        """``status`` is one of ``states``, as plain comparisons: ``IN`` of a list is an
        "expanding" parameter that SQLAlchemy rewrites at every execution (about 60 us of a
        write's CPU)."""
        status = self._tables.jobs.c.status
        # No state at all (nothing moves back to ``queued`` by a transition): never true.
        return or_(false(), *(status == state for state in states))

    def set_progress(self, *, count: int) -> Update:
        """Set the progress of ``count`` running jobs from ``new_progress_<i>`` of job
        ``job_id_<i>``; returns the ids of the jobs changed."""
        key = (None, ("progress",), count)
        statement = self._built.get(key)
        if statement is None:
            jobs = self._tables.jobs
            rows = self._rows(("progress",), count)
            statement = (
                update(jobs)
                .where(jobs.c.id == rows.c.job_id, jobs.c.status == JobStatus.RUNNING.value)
                .values(progress=rows.c[f"{NEW}progress"])
                .returning(jobs.c.id)
            )
            self._built[key] = statement
        return statement

    def _rows(self, columns: Sequence[str], count: int) -> CTE:
        """The table ``new``: ``count`` rows of ``job_id`` and ``new_<column>``, bound as
        ``job_id_<i>`` and ``new_<column>_<i>`` with the jobs table's column types."""
        jobs = self._tables.jobs
        names = [("job_id", jobs.c.id), *((f"{NEW}{column}", jobs.c[column]) for column in columns)]
        selects = [
            select(
                *(bindparam(f"{name}_{i}", type_=column.type).label(name) for name, column in names)
            )
            for i in range(count)
        ]
        return (selects[0] if count == 1 else union_all(*selects)).cte("new")


def parameters(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """The parameters of a statement over the table ``new``: each row's ``name`` as ``name_<i>``."""
    return {f"{name}_{i}": value for i, row in enumerate(rows) for name, value in row.items()}
