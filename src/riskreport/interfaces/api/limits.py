"""Limits checked before any work: URL length, body size, JSON depth and string length.

A pure ASGI middleware in front of the routes. It answers at once, in the one error shape:

======  =====================  ==========================================================
status  ``error.code``         when
======  =====================  ==========================================================
414     ``uri_too_long``       path and query longer than ``max_url`` bytes
413     ``body_too_large``     ``Content-Length`` above ``max_body``, or more bytes arrive
408     ``body_timeout``       the body did not arrive within ``body_timeout`` seconds
400     ``bad_content_length``  a ``Content-Length`` that is not a number
422     ``validation_error``   a JSON body nested too deep, a string too long, not UTF-8
======  =====================  ==========================================================

The body of a ``POST``/``PUT``/``PATCH`` is read here, up to ``max_body`` bytes and no further
(a declared length above it is refused before a byte of the body is read), then handed to the
app in one piece; the routes parse at most ``max_body`` bytes.

Use: ``app.add_middleware(RequestLimits, max_body=1_000_000)`` (inside ``RequestIdMiddleware``, so
answers carry the request id).
"""

from __future__ import annotations

import logging

import anyio
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from riskreport.interfaces.api.json_limits import json_problem
from riskreport.interfaces.api.schemas import ErrorBody, ErrorDetail, ErrorPublic

log = logging.getLogger("riskreport.api")

MAX_URL = 4096  # bytes of path and query; browsers and proxies allow about this much
MAX_JSON_DEPTH = 32  # a report request nests 4 levels deep
MAX_JSON_STRING = 10_000  # bytes; the longest field of a report request (an address) is 300
_WITH_BODY = frozenset({"POST", "PUT", "PATCH"})


class RequestLimits:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_body: int,
        max_url: int = MAX_URL,
        max_json_depth: int = MAX_JSON_DEPTH,
        max_json_string: int = MAX_JSON_STRING,
        body_timeout: float = 10.0,
    ) -> None:
        self.app = app
        self.body_timeout = body_timeout
        self.max_body = max_body
        self.max_url = max_url
        self.max_json_depth = max_json_depth
        self.max_json_string = max_json_string

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        url = len(scope.get("raw_path") or scope["path"].encode()) + len(scope["query_string"])
        if url > self.max_url:
            await _refuse(
                scope, receive, send, 414, "uri_too_long", f"at most {self.max_url} bytes"
            )
            return
        headers = Headers(scope=scope)
        declared = headers.get("content-length")
        if declared is not None:
            if not (declared.isascii() and declared.isdigit()):
                message = "Content-Length must be a number of bytes"
                await _refuse(scope, receive, send, 400, "bad_content_length", message)
                return
            # Compared as text first: a value of thousands of digits is never converted.
            if len(declared) > 18 or int(declared) > self.max_body:
                await self._too_large(scope, receive, send)
                return
        if scope["method"] not in _WITH_BODY:
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size = 0
        more = True
        with anyio.move_on_after(self.body_timeout) as deadline:
            while more:
                received = await receive()
                if received["type"] != "http.request":
                    return  # the client went away before it sent the body
                chunk: bytes = received.get("body", b"")
                size += len(chunk)
                if size > self.max_body:
                    await self._too_large(scope, receive, send)
                    return
                chunks.append(chunk)
                more = bool(received.get("more_body", False))
        if deadline.cancelled_caught:
            message = f"the request body did not arrive within {self.body_timeout:g} s"
            await _refuse(
                scope, receive, send, 408, "body_timeout", message, headers={"Connection": "close"}
            )
            return
        body = b"".join(chunks)
        media = headers.get("content-type", "application/json").lower()
        if body and "json" in media:
            problem = self._json_problem(body)
            if problem is not None:
                await _refuse(scope, receive, send, 422, "validation_error", problem)
                return
        await self.app(scope, _replay(body, receive), send)

    def _json_problem(self, body: bytes) -> str | None:
        try:
            body.decode("utf-8")
        except UnicodeDecodeError as exc:
            return f"the body is not UTF-8 (byte {exc.start})"
        return json_problem(body, max_depth=self.max_json_depth, max_string=self.max_json_string)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        message = f"the request body is larger than {self.max_body} bytes"
        # The rest of the body is never read: the server closes the connection after this.
        await _refuse(
            scope, receive, send, 413, "body_too_large", message, headers={"Connection": "close"}
        )


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the whole body once, then what the client sends next."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def _refuse(
    scope: Scope,
    receive: Receive,
    send: Send,
    status: int,
    code: str,
    message: str,
    *,
    headers: dict[str, str] | None = None,
) -> None:
    request_id = scope.get("state", {}).get("request_id")
    details = []
    if status == 422:
        details = [ErrorDetail(field=None, location="body", message=message, type="json_limits")]
    body = ErrorPublic(
        error=ErrorBody(code=code, message=message, details=details, request_id=request_id)
    )
    log.info("refused %s %s: %d %s", scope["method"], scope["path"][:200], status, message)
    response = JSONResponse(body.model_dump(mode="json"), status_code=status, headers=headers)
    await response(scope, receive, send)
