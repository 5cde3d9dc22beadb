"""The SQL ``JobStore``: SQLite (WAL) by default, PostgreSQL for scale-out, with SQLAlchemy.

No call blocks the event loop: both databases run their synchronous drivers (the standard
library's for SQLite, psycopg 3 for PostgreSQL) in worker threads, whole operations per thread
hop, writes batched by group commit on one writer connection and reads on connections of their
own (:mod:`riskreport.storage.sqlite`, :mod:`riskreport.storage.postgres`,
:mod:`riskreport.storage.group_commit`).

Every transition is a compare-and-set ``UPDATE`` (:mod:`riskreport.storage.statements`): of two
processes racing to finish a job, exactly one wins. Creates, transitions and progress reports
that arrive together share one statement per kind (:mod:`riskreport.storage.job_writes`).

Use::

    store = SqlJobStore("sqlite:///./riskreport.db")     # or "postgresql://user@host/db"
    await store.open()                                   # creates the tables if missing
    ...
    await store.close()
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

import anyio
from sqlalchemy import delete, func, or_, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from riskreport.engine.encoded import EncodedJSON, encode_json
from riskreport.engine.errors import ArtifactNotFound
from riskreport.engine.jobs import (
    FINAL_STATES,
    JSON,
    Adopted,
    Artifact,
    Job,
    JobError,
    JobPage,
    JobStatus,
    Progress,
    Recovered,
)
from riskreport.storage.claims import Claims
from riskreport.storage.cursor import decode_cursor, encode_cursor
from riskreport.storage.database_url import is_sqlite, store_url
from riskreport.storage.group_commit import GroupCommit, RowWrite
from riskreport.storage.job_writes import JobWrites, read_job, restart_job
from riskreport.storage.leases import Leases
from riskreport.storage.postgres import postgres_engines
from riskreport.storage.rows import (
    QUEUED_PROGRESS,
    artifact_row,
    error_json,
    job_from_row,
    require_aware,
)
from riskreport.storage.sqlite import READERS, sqlite_engines
from riskreport.storage.statements import NEW, Statements
from riskreport.storage.tables import job_tables, upgrade_schema

log = logging.getLogger("riskreport.storage")

T = TypeVar("T")


def dump_json(value: Any) -> str:
    """The JSON columns' encoder: an :class:`EncodedJSON` is written as the text it holds (it
    was encoded the same way, where its job ran); anything else is encoded here. NaN and
    infinity are not JSON; they are refused on every database alike."""
    if isinstance(value, EncodedJSON):
        return value.text
    return encode_json(value)


class SqlJobStore:
    """``url``: ``sqlite:///path.db`` or ``postgresql://...`` (driver added when missing).

    ``table_prefix`` names the tables ``{prefix}jobs`` and ``{prefix}job_artifacts`` (tests use
    it to run in parallel on one database). ``runner``: this process's id among the processes
    that share the store (``serve --workers N``): the jobs it creates and starts are stamped
    with it, and :meth:`renew_lease`, :meth:`adopt_orphans` and :meth:`leave` keep its lease on
    them (:mod:`riskreport.storage.leases`).
    """

    def __init__(
        self, url: str, *, table_prefix: str = "", echo: bool = False, runner: str | None = None
    ) -> None:
        self.url = store_url(url)
        self.tables = job_tables(table_prefix)
        self._statements = Statements(self.tables)
        self._writes = JobWrites(self._statements, runner=runner)
        self._leases = None if runner is None else Leases(self.tables, runner)
        self._claims = Claims(self.tables)
        self._echo = echo
        # The writer's group commit, and the reader connections with their threads.
        self._writer: GroupCommit | None = None
        self._readers: Engine | None = None
        self._reading = anyio.CapacityLimiter(READERS)

    # -- lifecycle -------------------------------------------------------------------------

    async def open(self) -> None:
        if self._writer is not None:
            return
        # Both databases: one writer with group commit, and reader connections, in threads.
        engines = sqlite_engines if is_sqlite(self.url) else postgres_engines
        writer, self._readers = engines(self.url, json_serializer=dump_json, echo=self._echo)
        self._writer = GroupCommit(writer)
        try:
            added = await self.run(self._create_tables, write=True)
            if added:
                log.warning(
                    "job store upgraded: added column(s) %s to %s",
                    ", ".join(added),
                    self.tables.jobs.name,
                )
        except BaseException:
            await self.close()
            raise

    def _create_tables(self, conn: Connection) -> list[str]:
        self.tables.metadata.create_all(conn)
        return upgrade_schema(conn, self.tables)

    async def close(self) -> None:
        if self._writer is not None:
            writer, self._writer = self._writer, None
            await writer.aclose()
        if self._readers is not None:
            readers, self._readers = self._readers, None
            await anyio.to_thread.run_sync(readers.dispose)

    def write_batches(self) -> tuple[int, int, int]:
        """Transactions, writes and statements done by group commit since ``open``
        (for benchmarks)."""
        if self._writer is None:
            return 0, 0, 0
        return self._writer.batches, self._writer.writes, self._writer.statements

    async def ping(self) -> None:
        await self.run(_select_one, write=False)

    async def run(self, work: Callable[[Connection], T], *, write: bool) -> T:
        """Run ``work`` on a connection, in one transaction when ``write``; never on the loop."""
        if self._writer is None:
            raise RuntimeError("SqlJobStore is not open; call await store.open() first")
        if write:
            return await self._writer.run(work)
        return await anyio.to_thread.run_sync(self._read, work, limiter=self._reading)

    async def _write(self, write: RowWrite[Any, T]) -> T:
        """Run a write of one job, which group commit may merge with others of its kind."""
        if self._writer is None:
            raise RuntimeError("SqlJobStore is not open; call await store.open() first")
        return await self._writer.run(write)

    def _read(self, work: Callable[[Connection], T]) -> T:
        readers = self._readers
        if readers is None:
            raise RuntimeError("SqlJobStore is closed")
        with readers.connect() as conn:
            return work(conn)

    # -- jobs ------------------------------------------------------------------------------

    async def create(self, job: Job) -> None:
        try:
            await self._write(self._writes.create(job))
        except IntegrityError:
            raise ValueError(f"a job with id {job.id!r} exists already") from None

    async def get(self, job_id: str) -> Job:
        return await self.run(partial(self._get, job_id=job_id), write=False)

    def _get(self, conn: Connection, job_id: str) -> Job:
        return read_job(conn, self._statements, job_id)

    async def transition(
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
        write = self._writes.transition(
            job_id,
            new,
            at=at,
            error=error,
            result=result,
            progress=progress,
            artifacts=artifacts,
        )
        return await self._write(write)

    async def put_artifact(self, job_id: str, artifact: Artifact) -> Artifact:
        row = artifact_row(job_id, artifact)

        def work(conn: Connection) -> Artifact:
            self._get(conn, job_id)  # JobNotFound
            found = conn.execute(self._statements.get_artifact, row).first()
            if found is not None:
                return Artifact(artifact.name, found.media_type, bytes(found.data))
            conn.execute(self._statements.insert_artifacts, [row])
            return artifact

        try:
            return await self.run(work, write=True)
        except IntegrityError:
            # Another process stored it between the read and the insert (PostgreSQL): theirs.
            return await self.get_artifact(job_id, artifact.name)

    async def set_progress(self, job_id: str, progress: Progress) -> None:
        await self._write(self._writes.progress(job_id, progress))

    async def restart(
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
        return await self.run(restart, write=True)

    async def get_artifact(self, job_id: str, name: str) -> Artifact:
        params = {"job_id": job_id, "name": name}

        def work(conn: Connection) -> Artifact:
            row = conn.execute(self._statements.get_artifact, params).first()
            if row is None:
                self._get(conn, job_id)
                raise ArtifactNotFound(job_id, name)
            return Artifact(name=name, media_type=row.media_type, data=bytes(row.data))

        return await self.run(work, write=False)

    async def list(
        self,
        *,
        status: JobStatus | None = None,
        limit: int = 50,
        cursor: str | None = None,
        owner: str | None = None,
    ) -> JobPage:
        if limit < 1:
            raise ValueError("limit must be at least 1")
        jobs = self.tables.jobs
        statement = select(jobs).order_by(jobs.c.created_at.desc(), jobs.c.id.desc())
        if status is not None:
            statement = statement.where(jobs.c.status == status.value)
        if owner is not None:
            statement = statement.where(jobs.c.owner == owner)
        if cursor is not None:
            created_at, last_id = decode_cursor(cursor)
            statement = statement.where(
                or_(
                    jobs.c.created_at < created_at,
                    (jobs.c.created_at == created_at) & (jobs.c.id < last_id),
                )
            )
        page = statement.limit(limit + 1)
        rows = await self.run(lambda conn: conn.execute(page).all(), write=False)
        items = tuple(job_from_row(row) for row in rows[:limit])
        more = len(rows) > limit
        next_cursor = encode_cursor(items[-1].created_at, items[-1].id) if more else None
        return JobPage(items=items, next_cursor=next_cursor)

    async def count_by_status(self) -> Mapping[JobStatus, int]:
        jobs = self.tables.jobs
        statement = select(jobs.c.status, func.count()).group_by(jobs.c.status)
        rows = await self.run(lambda conn: conn.execute(statement).all(), write=False)
        counts = dict.fromkeys(JobStatus, 0)
        for status, count in rows:
            counts[JobStatus(status)] = int(count)
        return counts

    async def recover_running(
        self, *, max_attempts: int, error: JobError, at: datetime
    ) -> Recovered:
        require_aware(at)
        jobs = self.tables.jobs
        running = jobs.c.status == JobStatus.RUNNING.value
        fail = (
            update(jobs)
            .where(running, jobs.c.attempts >= max_attempts)
            .values(status=JobStatus.FAILED.value, error=error_json(error), finished_at=at)
            .returning(jobs.c.id)
        )
        back = (
            update(jobs)
            .where(running)
            .values(status=JobStatus.QUEUED.value, started_at=None, progress=QUEUED_PROGRESS)
            .returning(jobs.c.id)
        )

        def work(conn: Connection) -> Recovered:
            failed = tuple(row.id for row in conn.execute(fail))
            return Recovered(requeued=tuple(row.id for row in conn.execute(back)), failed=failed)

        return await self.run(work, write=True)

    async def requeue(self, job_id: str) -> bool:
        params = {"job_id": job_id, f"{NEW}progress": QUEUED_PROGRESS}
        statement = self._statements.requeue
        return await self.run(
            lambda conn: conn.execute(statement, params).rowcount == 1, write=True
        )

    async def queued_jobs(self, *, created_before: datetime | None = None) -> builtins.list[Job]:
        require_aware(created_before)
        jobs = self.tables.jobs
        statement = (
            select(jobs)
            .where(jobs.c.status == JobStatus.QUEUED.value)
            .order_by(jobs.c.created_at, jobs.c.id)
        )
        if created_before is not None:
            statement = statement.where(jobs.c.created_at < created_before)
        rows = await self.run(lambda conn: conn.execute(statement).all(), write=False)
        return [job_from_row(row) for row in rows]

    # -- leases (serve --workers N) --------------------------------------------------------

    async def renew_lease(self, *, at: datetime) -> bool:
        """Renew this runner's lease (its heartbeat at ``at``); False when it had none: the
        first renewal, or other processes took this one for dead and adopted its jobs."""
        return await self.run(self._lease().renew(at=at), write=True)

    async def adopt_orphans(
        self, *, stale_before: datetime, max_attempts: int, error: JobError, at: datetime
    ) -> Adopted:
        """Take over the ``queued`` and ``running`` jobs of runners not seen since
        ``stale_before``: the running ones go back to ``queued``, or fail with ``error`` once
        they have started ``max_attempts`` times."""
        adopt = self._lease().adopt(
            stale_before=stale_before, max_attempts=max_attempts, error=error, at=at
        )
        return await self.run(adopt, write=True)

    async def ended_among(self, job_ids: Collection[str]) -> builtins.list[Job]:
        """The jobs among ``job_ids`` in a final state (written by any process)."""
        return await self.run(self._lease().ended(job_ids), write=False)

    async def leave(self) -> None:
        """End this runner's lease: any live process may adopt its unfinished jobs at once."""
        await self.run(self._lease().leave(), write=True)

    def _lease(self) -> Leases:
        if self._leases is None:
            raise RuntimeError("this store was opened without runner=: it holds no lease")
        return self._leases

    async def claim_idempotency(
        self, scope: str, key: str, digest: str, job_id: str, *, at: datetime, ttl: float
    ) -> tuple[str, str] | None:
        require_aware(at)
        try:
            claim = self._claims.claim(scope, key, digest, job_id, at=at, ttl=ttl)
            return await self.run(claim, write=True)
        except IntegrityError:
            # Another process claimed the key between our read and insert: theirs stands.
            held = await self.run(self._claims.holder(scope, key), write=False)
            if held is None:
                raise
            return held

    async def release_idempotency(self, scope: str, key: str, job_id: str) -> None:
        await self.run(self._claims.release(scope, key, job_id), write=True)

    async def purge_finished(self, *, before: datetime) -> int:
        require_aware(before)
        jobs, artifacts, claims = self.tables.jobs, self.tables.artifacts, self.tables.claims
        old = (
            select(jobs.c.id)
            .where(jobs.c.status.in_([s.value for s in FINAL_STATES]))
            .where(jobs.c.finished_at < before)
        )
        # Artifacts first: not every SQLite connection enforces the cascade.
        drop_artifacts = delete(artifacts).where(artifacts.c.job_id.in_(old))
        drop_jobs = delete(jobs).where(jobs.c.id.in_(old))
        drop_claims = delete(claims).where(claims.c.created_at < before)

        def work(conn: Connection) -> int:
            conn.execute(drop_artifacts)
            count = conn.execute(drop_jobs).rowcount
            conn.execute(drop_claims)
            return int(count)

        return await self.run(work, write=True)


def _select_one(conn: Connection) -> None:
    conn.execute(text("SELECT 1"))
