"""API keys: who may use the service, as names with a hashed secret, and the ``KeyStore`` seam.

A key is a random secret handed to a client once; the store keeps only its SHA-256 digest (the
secrets are 256-bit random tokens, so a fast hash is enough: there is nothing to guess). Jobs
carry the name of the key that submitted them (``Job.owner``) and each key sees only its own.

Use::

    secret = new_secret()                       # show it once
    await keys.create_key("acme", key_digest(secret), at=utcnow())
    await keys.owner_of(key_digest(presented))  # "acme", or None (unknown or revoked)
"""

from __future__ import annotations

import builtins
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

# Names appear in logs and are stored with every job: short and plain.
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


def new_secret() -> str:
    """A fresh key secret: 32 random bytes, URL-safe text, prefixed so it is recognisable."""
    return "rr_" + secrets.token_urlsafe(32)


def key_digest(secret: str) -> str:
    """What the store keeps of a secret: its SHA-256, hex."""
    return hashlib.sha256(secret.encode()).hexdigest()


def check_name(name: str) -> str:
    if not NAME.match(name):
        raise ValueError(f"a key name is 1-64 letters, digits, '.', '_' or '-', not {name[:70]!r}")
    return name


@dataclass(frozen=True, slots=True)
class ApiKey:
    """A stored key, without its secret."""

    name: str
    created_at: datetime
    revoked_at: datetime | None = None


class KeyStore(Protocol):
    async def create_key(self, name: str, digest: str, *, at: datetime) -> None:
        """Store a new key; ``ValueError`` if the name is taken (revoked keys keep theirs)."""

    async def list_keys(self) -> builtins.list[ApiKey]:
        """Every key, oldest first, revoked ones included."""

    async def revoke_key(self, name: str, *, at: datetime) -> bool:
        """Revoke a key; False if there is no such active key."""

    async def owner_of(self, digest: str) -> str | None:
        """The name of the active key with this digest, or None."""

    async def has_keys(self) -> bool:
        """True if any key is active."""
