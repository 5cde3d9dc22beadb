"""Start-up warm-up of the API itself, so that no first request pays for lazy work on the loop.

Three things are built lazily on first use and would stall the event loop of the first request
that needs them: the request model's lookup data (gazetteer, site grid), FastAPI's per-route
state (validators and serializers are compiled when a route is first matched) and the OpenAPI
document. The lifespan runs :func:`warm_request_model` in a thread and :func:`warm_routes`
before the server starts listening, when a busy loop delays nobody.

Use (inside the lifespan, once the services are open)::

    await anyio.to_thread.run_sync(warm_request_model)
    await warm_routes(app)
"""

from __future__ import annotations

import logging
from typing import Any

import httpx
from fastapi import FastAPI

from riskreport.interfaces.api.schemas import API_PREFIX, ReportCreate

log = logging.getLogger("riskreport.api")

# Valid requests of each kind of location: validating them loads what validation needs.
_SAMPLE_REQUESTS: tuple[dict[str, Any], ...] = (
    {"target_location": {"address": "서울특별시 중구 세종대로 110"}},
    {"target_location": {"lat": 37.5665, "lon": 126.978}},
)

# One request per route, none with an effect: an unknown id, an invalid body.
_UNKNOWN = f"{API_PREFIX}/warm-up"
_ROUTE_REQUESTS: tuple[tuple[str, str, Any], ...] = (
    ("GET", "/healthz", None),
    ("GET", "/readyz", None),
    ("GET", "/metrics", None),
    ("GET", f"{API_PREFIX}?limit=1", None),
    ("POST", API_PREFIX, {}),
    ("GET", _UNKNOWN, None),
    ("DELETE", _UNKNOWN, None),
    ("GET", f"{_UNKNOWN}/events", None),
    ("GET", f"{_UNKNOWN}/document", None),
    ("GET", "/", None),
)


def warm_request_model() -> None:
    """Validate sample requests (call it in a thread: it reads packaged data)."""
    for body in _SAMPLE_REQUESTS:
        ReportCreate.model_validate(body)


async def warm_routes(app: FastAPI) -> None:
    """Send each route one harmless request in-process, and build the OpenAPI document."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://warm-up") as client:
        for method, path, body in _ROUTE_REQUESTS:
            response = await client.request(method, path, json=body)
            log.debug("warm-up %s %s: %s", method, path, response.status_code)
    app.openapi()
