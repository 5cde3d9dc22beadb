"""Request ids: accept or mint ``X-Request-ID``, echo it, and make it visible to jobs and logs.

The id is stored in the ASGI scope (``scope["state"]["request_id"]``, i.e.
``request.state.request_id``) for the error handlers, and set in a context variable for the
duration of the request, so the engine copies it onto the jobs a request submits and log
records carry it.

Use: ``app.add_middleware(RequestIdMiddleware, var=REQUEST_ID)``.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADER = "X-Request-ID"
# Accept a client's id only if it is short and harmless in logs and headers.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Pure ASGI middleware (no ``BaseHTTPMiddleware``: it would buffer streamed responses)."""

    def __init__(self, app: ASGIApp, *, var: ContextVar[str | None]) -> None:
        self.app = app
        self.var = var

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get(HEADER)
        request_id = incoming if incoming and _ACCEPTABLE.match(incoming) else new_request_id()
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)[HEADER] = request_id
            await send(message)

        token = self.var.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self.var.reset(token)
