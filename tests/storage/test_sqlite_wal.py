"""A SQLite file is switched to WAL mode even when another process has it open at that moment."""

from __future__ import annotations

import sqlite3
import threading
import time
from contextlib import closing
from pathlib import Path

from riskreport.storage.migrate import upgrade
from riskreport.storage.sqlite import use_wal


def test_the_switch_waits_for_another_process_writing_to_a_new_file(tmp_path: Path) -> None:
    # Several processes starting at once on a new file (uvicorn --workers 2): one had the file
    # in a write when the other switched it, and the switch failed at once ("database is
    # locked"), which stopped the whole server. Now it waits for the write, as writers do.
    path = tmp_path / "jobs.db"
    with (
        closing(sqlite3.connect(path, isolation_level=None, check_same_thread=False)) as other,
        closing(sqlite3.connect(path, timeout=5, isolation_level=None)) as mine,
    ):
        other.execute("CREATE TABLE t (x)")
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO t VALUES (1)")
        done = threading.Timer(0.3, lambda: other.execute("COMMIT"))
        done.start()
        started = time.monotonic()
        use_wal(mine)
        assert mine.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert time.monotonic() - started >= 0.25  # it waited for the other's write
        done.join()


def test_the_migrations_leave_a_new_file_in_wal_mode(tmp_path: Path) -> None:
    # Before the processes that share it open their stores (serve --workers N, db upgrade).
    path = tmp_path / "jobs.db"
    upgrade(f"sqlite:///{path}")
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
