"""Group commit: the writes that arrive while one transaction is being written share the next.

The SQLite store has one writer connection, used from a worker thread. A write done alone costs
a thread hop (about 0.25 ms on a 2-core machine), BEGIN and COMMIT (about 0.1 ms) and its
statement (about 0.1-0.2 ms through SQLAlchemy). When 16 jobs finish together, their 16 final
writes and the 16 ``running`` writes of the jobs taking their slots queued one behind another for
tens of milliseconds, on the path of every job. Here every write that comes while a batch is being
written waits for the next batch, and a batch is one transaction in one hop.

Each write is a function of a connection. The result is as if each ran alone, in arrival order,
in a transaction of its own: if write k of a batch raises, the transaction is rolled back, k's
caller gets its error, and the batch is written again without k (the writes before k see the same
rows they saw before, so they do the same). A failure outside any write (BEGIN IMMEDIATE or
COMMIT giving up on a locked database, a broken connection) goes to every caller of the batch.

Use (on the event loop)::

    writer = GroupCommit(engine)                 # a SQLAlchemy Engine of one connection
    row = await writer.run(lambda conn: conn.execute(statement, params).first())
    await writer.aclose()                        # lets queued writes finish, disposes
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import anyio
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger("riskreport.storage")

T = TypeVar("T")
Write = Callable[[Connection], Any]

# Writes per transaction at most: a batch holds SQLite's write lock for its whole length, and
# other processes on the same file (``serve --workers N``) wait for it. 200 writes take
# about 30 ms.
MAX_BATCH = 200


@dataclass(frozen=True, slots=True)
class _Done:
    value: Any


@dataclass(frozen=True, slots=True)
class _Failed:
    error: Exception


_Outcome = _Done | _Failed


class GroupCommit:
    def __init__(self, engine: Engine, *, max_batch: int = MAX_BATCH) -> None:
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self._engine = engine
        self._max_batch = max_batch
        self._queue: list[tuple[Write, asyncio.Future[Any]]] = []
        self._flusher: asyncio.Task[None] | None = None
        self._closed = False
        self.batches = 0  # transactions written, for tests and benchmarks
        self.writes = 0

    async def run(self, write: Callable[[Connection], T]) -> T:
        """Run ``write`` in the next batch; its result, or the exception it raised.

        A caller cancelled before its batch starts is dropped from it; once the batch runs, the
        write is done (and committed) even if its caller has gone.
        """
        if self._closed:
            raise RuntimeError("the store is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append((write, future))
        if self._flusher is None:
            self._flusher = loop.create_task(self._flush(), name="riskreport-group-commit")
        return await future

    async def aclose(self) -> None:
        """Refuse new writes, let the queued ones be written, close the engine's connection."""
        self._closed = True
        if self._flusher is not None:
            await asyncio.shield(self._flusher)
        await anyio.to_thread.run_sync(self._engine.dispose)

    async def _flush(self) -> None:
        batch: list[tuple[Write, asyncio.Future[Any]]] = []
        try:
            while self._queue:
                head, self._queue = self._queue[: self._max_batch], self._queue[self._max_batch :]
                batch = [(write, future) for write, future in head if not future.done()]
                if not batch:
                    continue
                outcomes = await anyio.to_thread.run_sync(
                    self._write_batch, [write for write, _ in batch]
                )
                self.batches += 1
                self.writes += len(batch)
                for (_, future), outcome in zip(batch, outcomes, strict=True):
                    if future.done():
                        continue  # its caller was cancelled meanwhile; the write stands
                    if isinstance(outcome, _Failed):
                        future.set_exception(outcome.error)
                    else:
                        future.set_result(outcome.value)
                batch = []
        except BaseException as exc:
            # Only a cancelled flusher (the loop is closing) gets here: _write_batch catches
            # every write's error. Nobody may be left waiting for a batch that will not run.
            for _, future in batch + self._queue:
                if not future.done():
                    if isinstance(exc, Exception):
                        future.set_exception(exc)
                    else:
                        future.cancel()
            self._queue = []
            raise
        finally:
            self._flusher = None

    def _write_batch(self, writes: Sequence[Write]) -> list[_Outcome]:
        """In the worker thread: the batch in one transaction, minus the writes that raise."""
        outcomes: dict[int, _Outcome] = {}
        left = list(range(len(writes)))
        try:
            with self._engine.connect() as conn:
                while left:
                    transaction = conn.begin()
                    values: list[Any] = []
                    failed: tuple[int, Exception] | None = None
                    for index in left:
                        try:
                            values.append(writes[index](conn))
                        except Exception as exc:  # this caller's error; the others go on
                            failed = (index, exc)
                            break
                    if failed is None:
                        transaction.commit()
                        outcomes.update(zip(left, map(_Done, values), strict=True))
                        left = []
                    else:
                        transaction.rollback()
                        index, error = failed
                        outcomes[index] = _Failed(error)
                        left.remove(index)
                        if left:
                            log.debug(
                                "write %d of a batch failed (%r); writing the rest again",
                                index,
                                error,
                            )
        except Exception as exc:
            # BEGIN, COMMIT, ROLLBACK or the connection failed: every undecided write fails.
            for index in left:
                outcomes[index] = _Failed(exc)
        return [outcomes[index] for index in range(len(writes))]
