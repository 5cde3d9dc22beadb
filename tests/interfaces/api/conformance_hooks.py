"""Schemathesis hooks for the conformance run (``SCHEMATHESIS_HOOKS`` names this module).

The generator draws ``Idempotency-Key`` values from a small space ("0", "00", ...) and sends
them with different bodies; the server rightly answers 422 ``idempotency_key_reused`` then, which
the positive-data check would take for a rejected valid request. Each key of a
schema-valid request is replaced by a fresh UUID just before it is sent, so a 422 from
``POST /v1/reports`` is not an idempotency clash; the reuse behaviour itself is tested in
``test_idempotency.py``.
"""

from __future__ import annotations

import uuid
from typing import Any

import schemathesis


@schemathesis.hook("before_call")
def unique_idempotency_keys(ctx: schemathesis.HookContext, case: Any, **kwargs: Any) -> None:
    if case.meta is None or not case.meta.generation.mode.is_positive:
        return  # a schema-violating key must reach the server as generated, to be rejected
    for name in list(case.headers or {}):
        if name.lower() == "idempotency-key":
            case.headers[name] = uuid.uuid4().hex  # valid: 32 printable ASCII characters
