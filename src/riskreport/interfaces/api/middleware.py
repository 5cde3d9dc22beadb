"""Request ids: accept or mint ``X-Request-ID``, echo it, and make it visible to jobs and logs.

The id is stored in the ASGI scope (``scope["state"]["request_id"]``, i.e.
``request.state.request_id``) for the error handlers, and set in a context variable for the
duration of the request, so the engine copies it onto the jobs a request submits and log
records carry it.

It is also the last resort for an exception no handler took: the one log line (with its
traceback) is written here, while the request id is still set, and the client gets the 500 in
the error shape. Starlette's outermost error middleware would log it after the id is gone, and
the server a second time.

Use: ``app.add_middleware(RequestIdMiddleware, var=REQUEST_ID)``.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from riskreport.interfaces.api.schemas import ErrorBody, ErrorPublic

log = logging.getLogger("riskreport.api")

HEADER = "X-Request-ID"
# Accept a client's id only if it is short and harmless in logs and headers.
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")


def _internal_error(request_id: str) -> JSONResponse:
    body = ErrorPublic(
        error=ErrorBody(
            code="internal_error", message="internal server error", request_id=request_id
        )
    )
    return JSONResponse(body.model_dump(mode="json"), status_code=500)


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

        started = False

        async def send_tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_id(message)

        token = self.var.set(request_id)
        try:
            await self.app(scope, receive, send_tracked)
        except Exception as exc:
            log.error("unhandled error on %s %s", scope["method"], scope["path"], exc_info=exc)
            if started:
                raise  # too late for an answer: the server closes the connection
            await _internal_error(request_id)(scope, receive, send_with_id)
        finally:
            self.var.reset(token)
