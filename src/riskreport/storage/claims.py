"""Idempotency claims in SQL: which job an ``Idempotency-Key`` named, until the claim expires.

A claim is a row of ``idempotency_keys``: (scope, key) -> (digest of the request body, job id,
created). Its statements are built once per store with bound parameters, like the jobs'
(:mod:`riskreport.storage.statements`).

Use (with the store's writer and readers)::

    claims = Claims(tables)
    held = await store.run(claims.claim(scope, key, digest, job_id, at=now, ttl=ttl), write=True)
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Delete, Insert, Select, bindparam, delete, insert, select
from sqlalchemy.engine import Connection

from riskreport.storage.tables import JobTables

Held = tuple[str, str] | None  # the (job id, digest) claimed before, if any


class Claims:
    def __init__(self, tables: JobTables) -> None:
        claims = tables.claims
        mine = (claims.c.scope == bindparam("scope")) & (claims.c.key == bindparam("key"))
        self._expire: Delete = delete(claims).where(mine, claims.c.created_at < bindparam("before"))
        self._insert: Insert = insert(claims)
        self._read: Select[Any] = select(claims.c.job_id, claims.c.digest).where(mine)
        self._release: Delete = delete(claims).where(mine, claims.c.job_id == bindparam("job_id"))

    def claim(
        self, scope: str, key: str, digest: str, job_id: str, *, at: datetime, ttl: float
    ) -> Callable[[Connection], Held]:
        """Claim (scope, key) for ``job_id`` unless a claim younger than ``ttl`` s holds it:
        then the holder. Raises ``IntegrityError`` if another process claimed it meanwhile."""
        expired = {"scope": scope, "key": key, "before": at - timedelta(seconds=ttl)}
        row = {"scope": scope, "key": key, "digest": digest, "job_id": job_id, "created_at": at}

        def work(conn: Connection) -> Held:
            conn.execute(self._expire, expired)
            held = self.holder(scope, key)(conn)
            if held is None:
                conn.execute(self._insert, row)
            return held

        return work

    def holder(self, scope: str, key: str) -> Callable[[Connection], Held]:
        def work(conn: Connection) -> Held:
            row = conn.execute(self._read, {"scope": scope, "key": key}).first()
            return None if row is None else (str(row.job_id), str(row.digest))

        return work

    def release(self, scope: str, key: str, job_id: str) -> Callable[[Connection], None]:
        def work(conn: Connection) -> None:
            conn.execute(self._release, {"scope": scope, "key": key, "job_id": job_id})

        return work
