"""The SQL schema of the job store (SQLAlchemy Core), built per store so tests can prefix names.

Five tables: ``jobs`` (one row per job; payload, progress, error and result as JSON),
``artifacts`` (the files a job produced, as binary), ``api_keys`` (names and digests),
``idempotency_keys`` (which job an ``Idempotency-Key`` named) and ``runners`` (the server
processes of ``serve --workers N`` that hold a lease on their jobs,
:mod:`riskreport.storage.leases`).

The schema's history is in Alembic migrations (:mod:`riskreport.storage.migrate`), run at every
start-up. A store opened without them (a test, a script) still gets the tables from
``create_all`` at ``open()``, and the columns added since the first release from
:func:`upgrade_schema`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    TypeDecorator,
    inspect,
    text,
)
from sqlalchemy.engine import Connection

# Plain JSON everywhere, JSONB nowhere: JSONB reorders object keys, and a report read back
# should list its keys in the order the analysis wrote them. Nothing queries inside these yet.
JsonColumn = JSON()


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in, timezone-aware UTC out, on every database.

    PostgreSQL keeps ``timestamptz``; SQLite has no time zones, so values are stored as naive UTC
    (fixed-width text that sorts in time order) and read back as UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("job timestamps must be timezone-aware")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if not isinstance(value, datetime):
            raise TypeError(f"expected a datetime from the database, got {type(value).__name__}")
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@dataclass(frozen=True)
class JobTables:
    metadata: MetaData
    jobs: Table
    artifacts: Table
    keys: Table
    claims: Table
    runners: Table


def job_tables(prefix: str = "") -> JobTables:
    """The tables, named ``{prefix}jobs`` and ``{prefix}job_artifacts``."""
    metadata = MetaData()
    jobs = Table(
        f"{prefix}jobs",
        metadata,
        Column("id", String(64), primary_key=True),
        Column("kind", String(100), nullable=False),
        Column("status", String(16), nullable=False),
        Column("payload", JsonColumn, nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("started_at", UtcDateTime()),
        Column("finished_at", UtcDateTime()),
        Column("progress", JsonColumn, nullable=False),
        Column("error", JsonColumn),
        Column("result", JsonColumn),
        # Added after the first release: ``upgrade_schema`` adds it to tables created before.
        Column("attempts", Integer, nullable=False, server_default=text("0")),
        Column("owner", String(64)),  # added after the first release too
        # The server process whose lease covers the job while it is queued or running (shared
        # stores only; NULL elsewhere): when that lease lapses, another process adopts the job.
        Column("runner", String(64)),
    )
    # Pages are newest first, optionally by status: both walks use an index.
    Index(f"ix_{prefix}jobs_created", jobs.c.created_at, jobs.c.id)
    Index(f"ix_{prefix}jobs_status_created", jobs.c.status, jobs.c.created_at, jobs.c.id)
    Index(f"ix_{prefix}jobs_owner_created", jobs.c.owner, jobs.c.created_at, jobs.c.id)
    artifacts = Table(
        f"{prefix}job_artifacts",
        metadata,
        Column(
            "job_id",
            String(64),
            ForeignKey(jobs.c.id, ondelete="CASCADE"),
            primary_key=True,
        ),
        Column("name", String(200), primary_key=True),
        Column("media_type", String(200), nullable=False),
        Column("data", LargeBinary, nullable=False),
    )
    keys = Table(
        f"{prefix}api_keys",
        metadata,
        Column("name", String(64), primary_key=True),
        Column("digest", String(64), nullable=False, unique=True),
        Column("created_at", UtcDateTime(), nullable=False),
        Column("revoked_at", UtcDateTime()),
    )
    claims = Table(
        f"{prefix}idempotency_keys",
        metadata,
        Column("scope", String(64), primary_key=True),  # the API key's name, or "-"
        Column("key", String(255), primary_key=True),
        Column("digest", String(64), nullable=False),  # of the request body
        Column("job_id", String(64), nullable=False),
        Column("created_at", UtcDateTime(), nullable=False),
    )
    runners = Table(
        f"{prefix}runners",
        metadata,
        Column("id", String(64), primary_key=True),
        Column("seen_at", UtcDateTime(), nullable=False),  # its last heartbeat
    )
    return JobTables(
        metadata=metadata, jobs=jobs, artifacts=artifacts, keys=keys, claims=claims, runners=runners
    )


def upgrade_schema(conn: Connection, tables: JobTables) -> list[str]:
    """Add the columns that tables created by an older release lack; return what was added.

    ``ALTER TABLE ... ADD COLUMN`` with a default works the same on SQLite and PostgreSQL and
    keeps every existing row (an old job reads ``attempts = 0``). Run in the transaction that
    creates the tables, right after ``create_all``.
    """
    present = {column["name"] for column in inspect(conn).get_columns(tables.jobs.name)}
    table = tables.jobs.name
    added = []
    for name, definition in _ADDED_COLUMNS:
        if name not in present:
            conn.execute(text(f'ALTER TABLE "{table}" ADD COLUMN {name} {definition}'))
            added.append(name)
    if "owner" in added:
        # create_all made no indexes for a table that existed; this one serves owner pages.
        for index in tables.jobs.indexes:
            if "owner" in index.columns:
                index.create(conn, checkfirst=True)
    return added


# Columns added since the first release, with their SQL (the same on SQLite and PostgreSQL).
_ADDED_COLUMNS = (
    ("attempts", "INTEGER NOT NULL DEFAULT 0"),
    ("owner", "VARCHAR(64)"),
    ("runner", "VARCHAR(64)"),
)
