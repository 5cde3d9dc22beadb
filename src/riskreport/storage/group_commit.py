"""Group commit: the writes that arrive while one transaction is being written share the next.

The store has one writer connection, used from a worker thread. A write done alone costs a
thread hop (about 0.25 ms on a 2-core machine), BEGIN and COMMIT (about 0.1 ms on SQLite, a
round trip each on PostgreSQL) and its statement (about 0.1-0.2 ms through SQLAlchemy, plus a
round trip on PostgreSQL). When 16 jobs finish together, their 16 final writes and the 16
``running`` writes of the jobs taking their slots queued one behind another for tens of
milliseconds, on the path of every job. Here every write that comes while a batch is being
written waits for the next batch, and a batch is one transaction in one hop.

A write is either a function of a connection, or a :class:`RowWrite`: a write of one row
(one job) of some kind (:class:`RowWrites`) that can share a statement with the other writes of
its kind in the batch, so that 16 ``running`` writes are one ``UPDATE`` and one round trip, not
16. Writes of different rows commute, so a batch is cut into runs of row writes that name no row
twice, and within a run the writes of each kind go together; a function, or a second write of a
row, starts a new run (each row still sees its writes in arrival order).

The result is as if each write ran alone, in arrival order, in a transaction of its own. A row
write that is refused without writing anything (``IllegalTransition``, ``JobNotFound``) gets its
error while the others commit. If write k of a batch raises, the transaction is rolled back, k's
caller gets its error, and the batch is written again without k (the writes before k see the same
rows they saw before, so they do the same); if a statement shared by several writes raises, the
batch is written again with every write alone, to find whose it was. A failure outside any write
(BEGIN IMMEDIATE or COMMIT giving up on a locked database, a broken connection) goes to every
caller of the batch.

Use (on the event loop)::

    writer = GroupCommit(engine)                 # a SQLAlchemy Engine of one connection
    row = await writer.run(lambda conn: conn.execute(statement, params).first())
    job = await writer.run(transitions.write(job_id, params))  # a RowWrite, may be merged
    await writer.aclose()                        # lets queued writes finish, disposes
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast, overload

import anyio
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

log = logging.getLogger("riskreport.storage")

T = TypeVar("T")
P = TypeVar("P")

# Writes per transaction at most: a batch holds SQLite's write lock for its whole length, and
# other processes on the same file (``serve --workers N``) wait for it. 200 writes take
# about 30 ms.
MAX_BATCH = 200
# Row writes per merged statement at most, whatever ``max_batch``: SQLite takes at most 500
# SELECTs in one UNION ALL and 32766 parameters in one statement.
MAX_ROWS = 200


class RowWrites(ABC, Generic[P, T]):
    """A kind of write of one row, with parameters ``P`` and result ``T``, that many writes of
    distinct rows can share (one ``INSERT`` of many rows, one ``UPDATE ... FROM``)."""

    def write(self, row: str, params: P) -> RowWrite[P, T]:
        """One write of this kind, of the row keyed ``row``, for :meth:`GroupCommit.run`."""
        return RowWrite(self, row, params)

    @abstractmethod
    def write_all(self, conn: Connection, writes: Sequence[RowWrite[P, T]]) -> list[T | Exception]:
        """Do ``writes`` (of distinct rows) in one go: each one's result, as if done alone.

        An exception in the list is that write's refusal, and that write must have written
        nothing; raise instead if what was written cannot be told apart (a duplicate key in a
        multi-row ``INSERT``): the batch is then rolled back and written one write at a time.
        """


@dataclass(frozen=True, slots=True, eq=False)
class RowWrite(Generic[P, T]):
    kind: RowWrites[P, T]
    row: str  # the key of the one row written: writes of one row keep their order
    params: P


Write = Callable[[Connection], Any] | RowWrite[Any, Any]


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
        # For tests and benchmarks: transactions, writes, and statements sent (an executemany
        # counts once; BEGIN and COMMIT do not count).
        self.batches = 0
        self.writes = 0
        self.statements = 0
        event.listen(engine, "before_cursor_execute", self._count_statement)

    @overload
    async def run(self, write: RowWrite[Any, T]) -> T: ...
    @overload
    async def run(self, write: Callable[[Connection], T]) -> T: ...
    async def run(self, write: Write) -> Any:
        """Run ``write`` in the next batch; its result, or the exception it raised.

        A caller cancelled before its batch starts is dropped from it; once the batch runs, the
        write is done (and committed) even if its caller has gone.
        """
        if self._closed:
            raise RuntimeError("the store is closed")
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()
        self._queue.append((write, future))
        if self._flusher is None:
            self._flusher = loop.create_task(self._flush(), name="riskreport-group-commit")
        return await future

    def _count_statement(self, _conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        # SQLite's BEGIN IMMEDIATE is sent as a statement; PostgreSQL's BEGIN is not.
        if not statement.startswith("BEGIN"):
            self.statements += 1

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
        merge = True
        try:
            with self._engine.connect() as conn:
                while left:
                    transaction = conn.begin()
                    try:
                        decided = _write_all(conn, writes, left, merge=merge)
                    except _Raised as raised:
                        transaction.rollback()
                        if raised.index is None:
                            # A shared statement failed: write one at a time to find whose
                            # write it was (a duplicate id, a value the column refuses).
                            merge = False
                        else:
                            outcomes[raised.index] = _Failed(raised.error)
                            left.remove(raised.index)
                        if left:
                            log.debug("a batch failed (%r); writing it again", raised.error)
                        continue
                    transaction.commit()
                    outcomes.update(decided)
                    left = []
        except Exception as exc:
            # BEGIN, COMMIT, ROLLBACK or the connection failed: every undecided write fails.
            for index in left:
                outcomes[index] = _Failed(exc)
        return [outcomes[index] for index in range(len(writes))]


class _Raised(Exception):
    """A write raised (``index``), or a statement shared by several writes did (``None``)."""

    def __init__(self, index: int | None, error: Exception) -> None:
        super().__init__(index, error)
        self.index = index
        self.error = error


def _write_all(
    conn: Connection, writes: Sequence[Write], left: Sequence[int], *, merge: bool
) -> dict[int, _Outcome]:
    """Write ``writes[i]`` for ``i`` in ``left``, merging row writes where that changes nothing.

    Raises :class:`_Raised` when the transaction must be rolled back; a row write refused without
    writing (``IllegalTransition``) is an outcome, not a rollback.
    """
    decided: dict[int, _Outcome] = {}
    for group in _groups(writes, left, merge=merge):
        first = writes[group[0]]
        if isinstance(first, RowWrite):
            try:
                results = first.kind.write_all(
                    conn, [cast(RowWrite[Any, Any], writes[i]) for i in group]
                )
            except Exception as exc:
                raise _Raised(group[0] if len(group) == 1 else None, exc) from exc
            for index, result in zip(group, results, strict=True):
                decided[index] = _Failed(result) if isinstance(result, Exception) else _Done(result)
        else:
            try:
                decided[group[0]] = _Done(first(conn))
            except Exception as exc:  # this caller's error; the others go on
                raise _Raised(group[0], exc) from exc
    return decided


def _groups(writes: Sequence[Write], left: Sequence[int], *, merge: bool) -> list[list[int]]:
    """``left`` cut into groups to write in turn, each group one function or one kind of row
    writes.

    Row writes of different rows commute, so within a run of them that names no row twice, the
    writes of each kind go together; a second write of a row, or a function (which may read or
    write any row), ends the run, so every row sees its writes in arrival order.
    """
    groups: list[list[int]] = []
    run: dict[RowWrites[Any, Any], list[int]] = {}
    rows: set[str] = set()
    for index in left:
        write = writes[index]
        if not merge or not isinstance(write, RowWrite):
            groups.extend(run.values())
            run, rows = {}, set()
            groups.append([index])
            continue
        if write.row in rows:
            groups.extend(run.values())
            run, rows = {}, set()
        rows.add(write.row)
        group = run.setdefault(write.kind, [])
        if len(group) == MAX_ROWS:
            groups.append(group)  # full: the run goes on in a new group of this kind
            group = run[write.kind] = []
        group.append(index)
    groups.extend(run.values())
    return groups
