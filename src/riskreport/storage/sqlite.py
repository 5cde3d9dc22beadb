"""SQLite for the job store: one writer connection, a few reader connections, WAL.

SQLite runs through the synchronous driver, off the event loop in worker threads: whole
operations, not statements, cross to a thread (SQLAlchemy's async layer over aiosqlite hops once
per statement, begin and commit: about 3 ms a write against well under 1 ms here).

- Writes share one connection and go through :class:`~riskreport.storage.group_commit.
  GroupCommit`: SQLite admits one writer at a time anyway, and batching the writes that arrive
  together is far cheaper than its busy handler. Write transactions start with ``BEGIN
  IMMEDIATE``, so a second process on the same file waits for the lock at BEGIN (busy_timeout)
  instead of failing when a read would turn into a write.
- Reads use a small pool of read-only connections of their own: in WAL mode readers never wait
  for the writer, so a status poll or a page of the list never queues behind a batch.

Use::

    writer, readers = sqlite_engines(url, json_serializer=json.dumps)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Connection, Engine

# Milliseconds a SQLite writer waits for another process's write lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 5000
# Read connections (and threads reading at once); the writer is one more.
READERS = 4


def sqlite_engines(
    url: URL, *, json_serializer: Callable[[Any], str], echo: bool = False
) -> tuple[Engine, Engine]:
    """The writer engine (one connection) and the reader engine (``READERS`` connections)."""
    url = url.set(drivername="sqlite")  # the synchronous driver, whatever the URL named
    common: dict[str, Any] = {
        "echo": echo,
        "max_overflow": 0,
        "connect_args": {"check_same_thread": False},
        "json_serializer": json_serializer,
    }
    writer = create_engine(url, pool_size=1, **common)
    event.listen(writer, "connect", _writer_pragmas)
    event.listen(writer, "begin", _begin_immediate)
    readers = create_engine(url, pool_size=READERS, **common)
    event.listen(readers, "connect", _reader_pragmas)
    return writer, readers


def _writer_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL: readers never wait for the writer; synchronous=NORMAL: in WAL mode a commit survives
    # a crash of the process (not of the machine's power) without an fsync per commit, which
    # would cost milliseconds per job. The busy timeout first: a switch to WAL that finds the
    # file busy waits for it (use_wal).
    _pragmas(dbapi_connection, "synchronous=NORMAL")
    use_wal(dbapi_connection)
    # The driver's own transaction handling would issue a deferred BEGIN before the first
    # write; SQLAlchemy's begin event issues BEGIN IMMEDIATE instead (see _begin_immediate).
    dbapi_connection.isolation_level = None


def use_wal(dbapi_connection: Any) -> None:
    """Put the database file in WAL mode, unless it is already (the mode stays with the file).

    Switching needs the file to itself, and SQLite does not wait for that (its busy timeout
    does not apply): of several processes starting at once on a new file, one switching while
    another had the file open failed at once with "database is locked" (a server that
    ``uvicorn --workers 2`` started then stopped altogether). So the mode is read first, and
    only a file not yet in WAL mode is switched; if that fails, the process waits for the
    other's lock as a writer does (busy timeout), looks again, and switches if still needed.
    """
    if _journal_mode(dbapi_connection) == "wal":
        return
    try:
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
    except sqlite3.OperationalError:
        dbapi_connection.execute("BEGIN IMMEDIATE")
        dbapi_connection.execute("ROLLBACK")
        if _journal_mode(dbapi_connection) != "wal":
            dbapi_connection.execute("PRAGMA journal_mode=WAL")


def _journal_mode(dbapi_connection: Any) -> str:
    (mode,) = dbapi_connection.execute("PRAGMA journal_mode").fetchone()
    return str(mode).lower()


def _reader_pragmas(dbapi_connection: Any, _record: Any) -> None:
    _pragmas(dbapi_connection, "query_only=ON")


def _pragmas(dbapi_connection: Any, *pragmas: str) -> None:
    cursor = dbapi_connection.cursor()
    try:
        for pragma in (*pragmas, f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}", "foreign_keys=ON"):
            cursor.execute(f"PRAGMA {pragma}")
    finally:
        cursor.close()


def _begin_immediate(conn: Connection) -> None:
    # On the driver's connection: through SQLAlchemy's execution path (events, cursor
    # wrapping) the BEGIN cost about as much CPU as the write that follows it.
    conn.connection.dbapi_connection.execute("BEGIN IMMEDIATE")  # type: ignore[union-attr]
