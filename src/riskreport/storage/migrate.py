"""Schema migrations of the SQL job store (Alembic), run by ``riskreport db upgrade`` and at
start-up of every API process and Celery worker.

The migrations live in :mod:`riskreport.storage.migrations`; their version is kept in the table
``{prefix}alembic_version``. A database made before the store had migrations (by ``create_all``)
is adopted: the first migration finds its tables and keeps them. Concurrent start-ups are safe
on PostgreSQL, where a migration holds an advisory lock and the second process then finds the
schema current; on SQLite a migration takes the file's write lock when it begins, and a second
process waits for it, then finds the schema current (``serve --workers N`` migrates once, in
the parent, before its workers start).

Use (blocking: from the event loop, call it in a thread)::

    upgrade("postgresql://postgres@127.0.0.1/test")     # -> "0002", the revision now current
    current("sqlite:///./riskreport.db")                # -> "0002", or None before any
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine

from riskreport.storage.database_url import is_sqlite, store_url
from riskreport.storage.sqlite import SQLITE_BUSY_TIMEOUT_MS, use_wal

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Any constant: the key of the PostgreSQL advisory lock that serializes migrations.
_LOCK_KEY = 0x7269736B  # "risk"


def _config(connection: Connection, table_prefix: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    config.attributes["table_prefix"] = table_prefix
    return config


def _engine(url: str) -> Engine:
    parsed = store_url(url)
    if is_sqlite(parsed):
        engine = create_engine(parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        # The driver begins transactions late (at the first write) and not for DDL: two
        # processes starting together (Celery workers) both read "no revision" and both
        # write it. Taking the write lock at BEGIN makes the second wait, then find the
        # schema current; it also makes each migration's DDL atomic. SQLAlchemy's recipe for
        # pysqlite: the driver's own transaction handling off, BEGIN emitted here.
        event.listen(engine, "connect", _driver_transactions_off)
        event.listen(engine, "begin", _begin_immediate)
        return engine
    return create_engine(parsed.set(drivername="postgresql+psycopg"))


def _driver_transactions_off(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None


def _begin_immediate(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def head() -> str:
    """The newest revision of the migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    revision = ScriptDirectory.from_config(config).get_current_head()
    if revision is None:
        raise RuntimeError("the job store has no migrations")
    return revision


def upgrade(url: str, *, table_prefix: str = "", revision: str = "head") -> str:
    """Bring the store's schema at ``url`` to ``revision`` (the newest by default); return the
    revision now current."""
    engine = _engine(url)
    try:
        with engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                # Two processes migrating at once: the second waits here, then finds it done.
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
            command.upgrade(_config(conn, table_prefix), revision)
            now = _current(conn, table_prefix)
            if now is None:
                raise RuntimeError("the migrations left no revision behind")
        if is_sqlite(engine.url):
            # Here, and not at each store's first connection: a file is switched to WAL before
            # the processes that will share it open it (docs on ``use_wal``).
            with engine.connect() as conn:
                use_wal(conn.connection.dbapi_connection)
        return now
    finally:
        engine.dispose()


def current(url: str, *, table_prefix: str = "") -> str | None:
    """The store's revision, or None if it has never been migrated."""
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            return _current(conn, table_prefix)
    finally:
        engine.dispose()


def _current(conn: Connection, table_prefix: str) -> str | None:
    context = MigrationContext.configure(
        conn, opts={"version_table": f"{table_prefix}alembic_version"}
    )
    return context.get_current_revision()
