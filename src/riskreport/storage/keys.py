"""The two ``KeyStore`` implementations: over the SQL store's database, and in memory.

Use::

    keys = SqlKeyStore(store)        # the opened SqlJobStore: same database, same connections
    keys = MemoryKeyStore()          # with the memory store
"""

from __future__ import annotations

import builtins
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from riskreport.engine.keys import ApiKey, check_name
from riskreport.storage.sql import SqlJobStore


class SqlKeyStore:
    """Keys in the ``api_keys`` table of the job store's database (created at its ``open()``)."""

    def __init__(self, store: SqlJobStore) -> None:
        self._store = store
        self._keys = store.tables.keys

    async def create_key(self, name: str, digest: str, *, at: datetime) -> None:
        values = {"name": check_name(name), "digest": digest, "created_at": at}
        statement = self._keys.insert().values(values)
        try:
            await self._store.run(lambda conn: conn.execute(statement), write=True)
        except IntegrityError:
            raise ValueError(f"a key named {name!r} exists already") from None

    async def list_keys(self) -> builtins.list[ApiKey]:
        keys = self._keys
        statement = select(keys.c.name, keys.c.created_at, keys.c.revoked_at).order_by(
            keys.c.created_at, keys.c.name
        )

        def work(conn: Connection) -> builtins.list[ApiKey]:
            return [
                ApiKey(row.name, row.created_at, row.revoked_at) for row in conn.execute(statement)
            ]

        return await self._store.run(work, write=False)

    async def revoke_key(self, name: str, *, at: datetime) -> bool:
        keys = self._keys
        statement = (
            update(keys)
            .where(keys.c.name == name, keys.c.revoked_at.is_(None))
            .values(revoked_at=at)
        )
        return await self._store.run(lambda conn: conn.execute(statement).rowcount == 1, write=True)

    async def owner_of(self, digest: str) -> str | None:
        keys = self._keys
        statement = select(keys.c.name).where(keys.c.digest == digest, keys.c.revoked_at.is_(None))
        name = await self._store.run(lambda conn: conn.execute(statement).scalar(), write=False)
        return None if name is None else str(name)

    async def has_keys(self) -> bool:
        keys = self._keys
        statement = select(keys.c.name).where(keys.c.revoked_at.is_(None)).limit(1)
        found = await self._store.run(lambda conn: conn.execute(statement).first(), write=False)
        return found is not None


class MemoryKeyStore:
    def __init__(self) -> None:
        self._keys: dict[str, tuple[ApiKey, str]] = {}

    async def create_key(self, name: str, digest: str, *, at: datetime) -> None:
        if check_name(name) in self._keys:
            raise ValueError(f"a key named {name!r} exists already")
        self._keys[name] = (ApiKey(name, at), digest)

    async def list_keys(self) -> builtins.list[ApiKey]:
        return sorted((key for key, _ in self._keys.values()), key=lambda k: (k.created_at, k.name))

    async def revoke_key(self, name: str, *, at: datetime) -> bool:
        found = self._keys.get(name)
        if found is None or found[0].revoked_at is not None:
            return False
        self._keys[name] = (ApiKey(name, found[0].created_at, at), found[1])
        return True

    async def owner_of(self, digest: str) -> str | None:
        for key, stored in self._keys.values():
            if stored == digest and key.revoked_at is None:
                return key.name
        return None

    async def has_keys(self) -> bool:
        return any(key.revoked_at is None for key, _ in self._keys.values())
