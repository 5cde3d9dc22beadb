"""Counters of a process's job-store calls and SQL round trips, for ``bench.celery_costs``.

``install()`` wraps the methods of :class:`~riskreport.storage.sql.SqlJobStore` (by class, so every
store the process opens later counts) and listens to every SQLAlchemy engine's statements,
``BEGIN`` and ``COMMIT``; ``counts()`` reads the totals. A benchmark's worker process installs it
before Celery forks its pool, and each pool process writes its counts to a folder when it stops.

Use::

    install()
    ...
    print(counts())          # {"store.get": 1000, "sql.statements": 3000, ...}
"""

from __future__ import annotations

import functools
import json
import os
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine

from riskreport.storage.sql import SqlJobStore

STORE_METHODS = ("create", "get", "transition", "set_progress", "restart", "requeue")

_counts: Counter[str] = Counter()
_installed = False


def counts() -> dict[str, int]:
    return dict(_counts)


def reset() -> None:
    _counts.clear()


def install() -> None:
    """Count from now on in this process (and in processes forked from it)."""
    global _installed
    if _installed:
        return
    _installed = True
    for name in STORE_METHODS:
        setattr(SqlJobStore, name, _counted(name, getattr(SqlJobStore, name)))
    event.listen(Engine, "before_cursor_execute", _statement)
    event.listen(Engine, "begin", _begin)
    event.listen(Engine, "commit", _commit)


def write(folder: Path) -> None:
    """Add this process's counts to ``folder`` (one file per process)."""
    (folder / f"{os.getpid()}.json").write_text(json.dumps(counts()))


def read(folder: Path) -> Counter[str]:
    total: Counter[str] = Counter()
    for path in folder.glob("*.json"):
        total.update(json.loads(path.read_text()))
    return total


def _counted(name: str, method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        _counts[f"store.{name}"] += 1
        return await method(*args, **kwargs)

    return wrapper


def _statement(*_: Any) -> None:
    _counts["sql.statements"] += 1


def _begin(*_: Any) -> None:
    _counts["sql.begin"] += 1


def _commit(*_: Any) -> None:
    _counts["sql.commit"] += 1
