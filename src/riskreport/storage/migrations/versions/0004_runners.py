"""Leases of ``serve --workers N``: ``jobs.runner`` and the ``runners`` table.

Revision ID: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from riskreport.storage.tables import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade(table_prefix: str = "") -> None:
    jobs = f"{table_prefix}jobs"
    inspector = sa.inspect(op.get_bind())
    # Skipped where the store's own start-up upgrade (``upgrade_schema``) got there first.
    if "runner" not in {column["name"] for column in inspector.get_columns(jobs)}:
        op.add_column(jobs, sa.Column("runner", sa.String(64)))
    if not inspector.has_table(f"{table_prefix}runners"):
        op.create_table(
            f"{table_prefix}runners",
            sa.Column("id", sa.String(64), primary_key=True),
            sa.Column("seen_at", UtcDateTime(), nullable=False),
        )


def downgrade(table_prefix: str = "") -> None:
    op.drop_table(f"{table_prefix}runners")
    with op.batch_alter_table(f"{table_prefix}jobs") as batch:
        batch.drop_column("runner")
