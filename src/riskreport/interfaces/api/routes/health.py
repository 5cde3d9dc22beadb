"""Liveness and readiness.

``/healthz`` answers as long as the event loop runs; it touches nothing else, so its latency is a
direct reading of how free the loop is. ``/readyz`` answers 200 only once start-up (warm-up of
the runners) is done and the store and backend answer.
"""

from __future__ import annotations

from typing import Literal

import anyio
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

router = APIRouter(tags=["health"])

# A readiness probe must answer even when the store hangs.
CHECK_TIMEOUT = 2.0


class HealthPublic(BaseModel):
    status: Literal["ok"]


class ReadinessPublic(BaseModel):
    status: Literal["ready", "unavailable"]
    checks: dict[str, str]


@router.get("/healthz", response_model=HealthPublic, summary="Liveness: the event loop answers")
async def healthz() -> HealthPublic:
    return HealthPublic(status="ok")


@router.get(
    "/readyz",
    response_model=ReadinessPublic,
    summary="Readiness: warmed up, store and backend reachable",
    responses={503: {"model": ReadinessPublic, "description": "Starting or a dependency is down."}},
)
async def readyz(request: Request) -> JSONResponse:
    services = getattr(request.app.state, "services", None)
    checks: dict[str, str] = {}
    if services is None:
        checks["engine"] = "starting"
    else:
        if (failure := services.startup.failure) is not None:
            checks["engine"] = f"start-up failed: {failure}"
        else:
            checks["engine"] = "ok" if services.ready else "warming up"
        for name, ping in (("store", services.store.ping), ("backend", services.engine.ping)):
            try:
                with anyio.fail_after(CHECK_TIMEOUT):
                    await ping()
                checks[name] = "ok"
            except Exception as exc:  # any failure means "not ready"; the reason is reported
                checks[name] = f"error: {type(exc).__name__}: {exc}"
    ready = all(v == "ok" for v in checks.values())
    body = ReadinessPublic(status="ready" if ready else "unavailable", checks=checks)
    headers = {} if ready else {"Retry-After": "1"}
    return JSONResponse(body.model_dump(), status_code=200 if ready else 503, headers=headers)
