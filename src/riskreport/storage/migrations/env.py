"""Alembic's environment for the job store: runs on the connection and table prefix that
:func:`riskreport.storage.migrate.upgrade` hands over (there is no ``alembic.ini``)."""

from __future__ import annotations

from alembic import context

config = context.config
connection = config.attributes["connection"]
prefix: str = config.attributes.get("table_prefix", "")

context.configure(connection=connection, version_table=f"{prefix}alembic_version")
with context.begin_transaction():
    context.run_migrations(table_prefix=prefix)
