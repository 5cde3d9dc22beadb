"""The job store for a Celery pool process: the few calls it makes, synchronously, in its thread.

A pool process runs one job at a time: it records the job ``running``, runs it, records the
outcome. Through :class:`~riskreport.storage.sql.SqlJobStore` each of those writes went from the
task's thread to an event loop, from there to the writer thread, and back: three thread hops that
cost more CPU than the write (2.8 against 1.0 ms per trivial job, measured in one process on
SQLite). Here each call is one transaction on the process's own connection, in the calling
thread, with the same statements and the same compare-and-set meaning (``job_writes``). The
connection is kept between calls (checking one out of a pool for each call was a third of a
write's CPU); after an error it is dropped, and the next call opens a new one. Reads go through a
read connection of their own: on SQLite the writer's transactions begin ``IMMEDIATE``, which
would queue a read behind every other process's writes.

Use::

    store = BlockingSqlJobStore("sqlite:///./riskreport.db")   # the schema is migrated already
    store.ping()
    job = store.transition(job_id, JobStatus.RUNNING, at=utcnow(), progress=started)
    running, done = store.start_and_finish(job, started_at=t0, start_progress=started,
                                           new=JobStatus.SUCCEEDED, at=t1, result={"ok": 1})
    store.close()
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine

from riskreport.engine.jobs import JSON, Artifact, Job, JobError, JobStatus, Progress
from riskreport.storage.database_url import is_sqlite, store_url
from riskreport.storage.group_commit import RowWrite
from riskreport.storage.job_writes import JobWrites, read_job, restart_job, start_and_finish
from riskreport.storage.postgres import postgres_engines
from riskreport.storage.sql import dump_json
from riskreport.storage.sqlite import sqlite_engines
from riskreport.storage.statements import Statements
from riskreport.storage.tables import job_tables

T = TypeVar("T")


class BlockingSqlJobStore:
    """``url`` and ``table_prefix`` as for :class:`~riskreport.storage.sql.SqlJobStore`, whose
    tables this writes (it creates none: the worker migrates the schema before it forks)."""

    def __init__(self, url: str, *, table_prefix: str = "") -> None:
        self.url = store_url(url)
        self._statements = Statements(job_tables(table_prefix))
        self._writes = JobWrites(self._statements)
        engines = sqlite_engines if is_sqlite(self.url) else postgres_engines
        # The writer's settings (one connection; BEGIN IMMEDIATE on SQLite) and the readers'.
        writer, readers = engines(self.url, json_serializer=dump_json)
        self._writer = _Kept(writer)
        self._reader = _Kept(readers)

    def ping(self) -> None:
        self._writer.run(lambda conn: conn.execute(text("SELECT 1")))

    def get(self, job_id: str) -> Job:
        return self._reader.run(partial(read_job, statements=self._statements, job_id=job_id))

    def transition(
        self,
        job_id: str,
        new: JobStatus,
        *,
        at: datetime,
        error: JobError | None = None,
        result: JSON | None = None,
        progress: Progress | None = None,
        artifacts: Iterable[Artifact] = (),
    ) -> Job:
        return self._write(
            self._writes.transition(
                job_id,
                new,
                at=at,
                error=error,
                result=result,
                progress=progress,
                artifacts=artifacts,
            )
        )

    def restart(
        self, job_id: str, *, attempts: int, at: datetime, progress: Progress
    ) -> Job | None:
        restart = partial(
            restart_job,
            statements=self._statements,
            job_id=job_id,
            attempts=attempts,
            at=at,
            progress=progress,
        )
        return self._writer.run(restart)

    def start_and_finish(
        self,
        job: Job,
        *,
        started_at: datetime,
        start_progress: Progress,
        new: JobStatus,
        at: datetime,
        error: JobError | None = None,
        result: JSON | None = None,
        progress: Progress | None = None,
        artifacts: Iterable[Artifact] = (),
    ) -> tuple[Job, Job]:
        both = partial(
            start_and_finish,
            statements=self._statements,
            job=job,
            started_at=started_at,
            start_progress=start_progress,
            new=new,
            at=at,
            error=error,
            result=result,
            progress=progress,
            artifacts=artifacts,
        )
        return self._writer.run(both)

    def set_progress(self, job_id: str, progress: Progress) -> None:
        self._write(self._writes.progress(job_id, progress))

    def close(self) -> None:
        try:
            self._writer.close()
        finally:
            self._reader.close()

    def _write(self, write: RowWrite[Any, T]) -> T:
        """One write; a refusal (``IllegalTransition``, ``JobNotFound``) wrote nothing and is
        raised."""
        return self._writer.run(partial(_written, write=write))


def _written(conn: Connection, write: RowWrite[Any, T]) -> T:
    """``write`` done on ``conn``; its refusal raised."""
    [done] = write.kind.write_all(conn, [write])
    if isinstance(done, Exception):
        raise done
    return done


class _Kept:
    """One connection of ``engine``, kept between calls and used by one thread at a time (the
    job's thread and the progress flusher's thread both write)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None
        self._lock = threading.Lock()

    def run(self, work: Callable[[Connection], T]) -> T:
        """``work`` in a transaction of its own on the kept connection."""
        with self._lock:
            if self._conn is None:
                self._conn = self._engine.connect()
            try:
                with self._conn.begin():
                    return work(self._conn)
            except BaseException:
                # The connection may be broken (a server restart): the next call opens anew.
                conn, self._conn = self._conn, None
                conn.close()
                raise

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                conn, self._conn = self._conn, None
                conn.close()
        self._engine.dispose()
