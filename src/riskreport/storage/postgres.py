"""PostgreSQL for the job store: one writer connection with group commit, a few readers.

The same shape as SQLite (:mod:`riskreport.storage.sqlite`), for the same reason: most of a
small write's cost is the round trips and the transaction, not the statement. Writes share one
connection through :class:`~riskreport.storage.group_commit.GroupCommit` (every write that
arrives while a batch is being written joins the next batch: one transaction, one COMMIT, one
thread hop); reads use a small pool of their own. psycopg 3 runs synchronously in worker
threads, whole operations per hop (its async mode through SQLAlchemy costs a greenlet switch
and a loop round trip per statement). Within a batch, the jobs' creates, transitions and
progress reports go as one statement per kind (:mod:`riskreport.storage.job_writes`): the 16
``running`` writes of jobs starting together are one round trip, not 16. Compare-and-set keeps
its meaning: a merged ``UPDATE ... FROM new WHERE status IN (...)`` changes each job only from a
state that may move there, and other processes' writes wait on the row locks as they would for
single transactions.

Use::

    writer, readers = postgres_engines(url, json_serializer=json.dumps)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import create_engine
from sqlalchemy.engine import URL, Engine

# Read connections (and threads reading at once); the writer is one more.
READERS = 4


def postgres_engines(
    url: URL, *, json_serializer: Callable[[Any], str], echo: bool = False
) -> tuple[Engine, Engine]:
    """The writer engine (one connection) and the reader engine (``READERS`` connections)."""
    url = url.set(drivername="postgresql+psycopg")
    common: dict[str, Any] = {
        "echo": echo,
        "max_overflow": 0,
        "pool_pre_ping": True,  # a server connection can go stale
        "json_serializer": json_serializer,
    }
    writer = create_engine(url, pool_size=1, **common)
    return writer, create_engine(url, pool_size=READERS, **common)
