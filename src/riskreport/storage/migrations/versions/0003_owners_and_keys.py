"""API keys and owners: ``jobs.owner`` with its index, ``api_keys`` and ``idempotency_keys``.

Revision ID: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from riskreport.storage.tables import UtcDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade(table_prefix: str = "") -> None:
    jobs = f"{table_prefix}jobs"
    inspector = sa.inspect(op.get_bind())
    # Each step is skipped where the store's own start-up upgrade (``upgrade_schema``) got there
    # first: both paths make the same schema.
    if "owner" not in {column["name"] for column in inspector.get_columns(jobs)}:
        op.add_column(jobs, sa.Column("owner", sa.String(64)))
    index = f"ix_{table_prefix}jobs_owner_created"
    if index not in {i["name"] for i in inspector.get_indexes(jobs)}:
        op.create_index(index, jobs, ["owner", "created_at", "id"])
    if not inspector.has_table(f"{table_prefix}api_keys"):
        op.create_table(
            f"{table_prefix}api_keys",
            sa.Column("name", sa.String(64), primary_key=True),
            sa.Column("digest", sa.String(64), nullable=False, unique=True),
            sa.Column("created_at", UtcDateTime(), nullable=False),
            sa.Column("revoked_at", UtcDateTime()),
        )
    if not inspector.has_table(f"{table_prefix}idempotency_keys"):
        op.create_table(
            f"{table_prefix}idempotency_keys",
            sa.Column("scope", sa.String(64), primary_key=True),
            sa.Column("key", sa.String(255), primary_key=True),
            sa.Column("digest", sa.String(64), nullable=False),
            sa.Column("job_id", sa.String(64), nullable=False),
            sa.Column("created_at", UtcDateTime(), nullable=False),
        )


def downgrade(table_prefix: str = "") -> None:
    op.drop_table(f"{table_prefix}idempotency_keys")
    op.drop_table(f"{table_prefix}api_keys")
    op.drop_index(f"ix_{table_prefix}jobs_owner_created", f"{table_prefix}jobs")
    with op.batch_alter_table(f"{table_prefix}jobs") as batch:
        batch.drop_column("owner")
