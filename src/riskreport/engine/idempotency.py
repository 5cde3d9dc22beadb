"""Idempotency keys: how long a key names its job, and what makes two requests the same.

Use::

    >>> request_digest("report", {"b": 1, "a": 2}) == request_digest("report", {"a": 2, "b": 1})
    True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

# How long an Idempotency-Key names its job (issue 12: 24 hours).
IDEMPOTENCY_TTL = 24 * 3600.0


def request_digest(kind: str, payload: Mapping[str, Any]) -> str:
    """SHA-256 of a request in canonical JSON (sorted keys), so key order does not matter."""
    text = json.dumps([kind, payload], sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(text.encode()).hexdigest()
