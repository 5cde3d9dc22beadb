"""The first schema: ``jobs`` and ``job_artifacts`` (as ``create_all`` made them before Alembic).

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from riskreport.storage.tables import UtcDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade(table_prefix: str = "") -> None:
    jobs, artifacts = f"{table_prefix}jobs", f"{table_prefix}job_artifacts"
    if sa.inspect(op.get_bind()).has_table(jobs):
        return  # made by create_all before the store had migrations: adopt it as it is
    op.create_table(
        jobs,
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("started_at", UtcDateTime()),
        sa.Column("finished_at", UtcDateTime()),
        sa.Column("progress", sa.JSON(), nullable=False),
        sa.Column("error", sa.JSON()),
        sa.Column("result", sa.JSON()),
    )
    op.create_index(f"ix_{table_prefix}jobs_created", jobs, ["created_at", "id"])
    op.create_index(f"ix_{table_prefix}jobs_status_created", jobs, ["status", "created_at", "id"])
    op.create_table(
        artifacts,
        sa.Column(
            "job_id",
            sa.String(64),
            sa.ForeignKey(f"{jobs}.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("media_type", sa.String(200), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
    )


def downgrade(table_prefix: str = "") -> None:
    op.drop_table(f"{table_prefix}job_artifacts")
    op.drop_table(f"{table_prefix}jobs")
