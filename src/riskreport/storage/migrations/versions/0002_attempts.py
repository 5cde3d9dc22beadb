"""``jobs.attempts``: how many times a job entered ``running`` (restarts after a worker died).

Revision ID: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade(table_prefix: str = "") -> None:
    jobs = f"{table_prefix}jobs"
    present = {column["name"] for column in sa.inspect(op.get_bind()).get_columns(jobs)}
    if "attempts" in present:
        return  # added by a release that upgraded tables at start-up without Alembic
    # A server default, so every existing row reads 0 (and SQLite can add a NOT NULL column).
    op.add_column(
        jobs, sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0"))
    )


def downgrade(table_prefix: str = "") -> None:
    with op.batch_alter_table(f"{table_prefix}jobs") as batch:
        batch.drop_column("attempts")
