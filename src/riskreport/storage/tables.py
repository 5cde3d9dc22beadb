"""The SQL schema of the job store (SQLAlchemy Core), built per store so tests can prefix names.

Two tables: ``jobs`` (one row per job; payload, progress, error and result as JSON) and
``artifacts`` (the files a job produced, as binary). Tables are created by ``create_all`` at
``open()``; migrations (Alembic) come with the first change of schema.
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
    text,
)

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
        # Added after the first release (migration 0002 adds it to tables created before).
        Column("attempts", Integer, nullable=False, server_default=text("0")),
    )
    # Pages are newest first, optionally by status: both walks use an index.
    Index(f"ix_{prefix}jobs_created", jobs.c.created_at, jobs.c.id)
    Index(f"ix_{prefix}jobs_status_created", jobs.c.status, jobs.c.created_at, jobs.c.id)
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
    return JobTables(metadata=metadata, jobs=jobs, artifacts=artifacts)
