"""The one place where errors become HTTP answers, all in the ``ErrorPublic`` shape.

======================  ======  ==========================  ==============
error                   status  ``error.code``              headers
======================  ======  ==========================  ==============
JobNotFound             404     ``job_not_found``
ArtifactNotFound        404     ``document_not_found``
RenderFailed            503     ``document_failed``
IllegalTransition       409     ``job_final``
QueueFull               429     ``queue_full``              ``Retry-After``
ShuttingDown            503     ``shutting_down``           ``Retry-After``
UnknownJobKind          400     ``unknown_job_kind``
InvalidCursor           400     ``invalid_cursor``
IdempotencyConflict     422     ``idempotency_key_reused``
IdempotencyPending      409     ``idempotency_in_progress``
RequestValidationError  422     ``validation_error``
ApiProblem              any     its own code                its own
HTTPException           any     ``http_<status>``
any other exception     500     ``internal_error``
======================  ======  ==========================  ==============

Use: ``install_error_handlers(app)`` once in the app factory; routes raise engine errors or
:class:`ApiProblem` and never build error responses themselves.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from riskreport.engine.errors import (
    AdmissionRejected,
    ArtifactNotFound,
    EngineError,
    IdempotencyConflict,
    IdempotencyPending,
    IllegalTransition,
    InvalidCursor,
    JobNotFound,
    QueueFull,
    RenderFailed,
    ShuttingDown,
    UnknownJobKind,
)
from riskreport.interfaces.api.schemas import ErrorBody, ErrorDetail, ErrorPublic

log = logging.getLogger("riskreport.api")

# Status and code of each engine error; the most specific class wins (looked up along the MRO).
ENGINE_ERRORS: Mapping[type[EngineError], tuple[int, str]] = {
    JobNotFound: (404, "job_not_found"),
    ArtifactNotFound: (404, "document_not_found"),
    RenderFailed: (503, "document_failed"),
    IllegalTransition: (409, "job_final"),
    QueueFull: (429, "queue_full"),
    ShuttingDown: (503, "shutting_down"),
    UnknownJobKind: (400, "unknown_job_kind"),
    InvalidCursor: (400, "invalid_cursor"),
    IdempotencyConflict: (422, "idempotency_key_reused"),
    IdempotencyPending: (409, "idempotency_in_progress"),
    EngineError: (500, "engine_error"),
}

# Pydantic puts union-member labels into error locations ("Coordinates", "function-after[..]");
# they are not fields a client can fix, so the path leaves them out.
_UNION_LABEL = re.compile(r"^[A-Z][A-Za-z0-9]*$|[\[(]")


_FASTAPI_BODY_ERROR = "There was an error parsing the body"


class ApiProblem(Exception):
    """An HTTP-level problem a route raises itself (e.g. a document that is not ready yet)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


def request_id_of(request: Request) -> str | None:
    value = request.scope.get("state", {}).get("request_id")
    return value if isinstance(value, str) else None


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    *,
    details: Sequence[ErrorDetail] = (),
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    request_id = request_id_of(request)
    body = ErrorPublic(
        error=ErrorBody(code=code, message=message, details=list(details), request_id=request_id)
    )
    all_headers = dict(headers or {})
    if request_id is not None:
        # Error responses built by the outermost middleware bypass the request-id middleware.
        all_headers.setdefault("X-Request-ID", request_id)
    return JSONResponse(body.model_dump(mode="json"), status_code=status, headers=all_headers)


def retry_after_header(seconds: float) -> dict[str, str]:
    """``Retry-After`` in whole seconds (RFC 9110 delta-seconds), at least 1."""
    return {"Retry-After": str(max(1, math.ceil(seconds)))}


def field_path(loc: Sequence[int | str]) -> tuple[str | None, str | None]:
    """Split a pydantic location into (dotted field path, where): ``target_location.lat``, body."""
    parts = list(loc)
    where = None
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        where = str(parts.pop(0))
    kept = [str(p) for p in parts if not (isinstance(p, str) and _UNION_LABEL.search(p))]
    return (".".join(kept) or None), where


def validation_details(errors: Sequence[Any]) -> list[ErrorDetail]:
    details = []
    for err in errors:
        path, where = field_path(err.get("loc", ()))
        if err.get("type") == "json_invalid":
            # The location is a character offset, not a field.
            reason = (err.get("ctx") or {}).get("error", "")
            details.append(
                ErrorDetail(
                    field=None,
                    location=where,
                    message=f"body is not valid JSON: {reason}".rstrip(": "),
                    type="json_invalid",
                )
            )
            continue
        details.append(
            ErrorDetail(
                field=path, location=where, message=str(err.get("msg")), type=err.get("type")
            )
        )
    # A union reports one error per member for the same field; once is enough for a person.
    unique: dict[tuple[str | None, str | None, str], ErrorDetail] = {}
    for d in details:
        unique.setdefault((d.field, d.location, d.message), d)
    return list(unique.values())


async def _engine_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, EngineError)
    status, code = next(ENGINE_ERRORS[cls] for cls in type(exc).__mro__ if cls in ENGINE_ERRORS)
    headers = retry_after_header(exc.retry_after) if isinstance(exc, AdmissionRejected) else None
    if status >= 500 and not isinstance(exc, ShuttingDown):
        log.error("engine error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, status, code, str(exc), headers=headers)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    details = validation_details(exc.errors())
    first = details[0] if details else None
    message = "the request is invalid"
    if first is not None:
        message = f"{first.field or first.location}: {first.message}"
        if len(details) > 1:
            message += f" (and {len(details) - 1} more)"
    return error_response(request, 422, "validation_error", message, details=details)


async def _api_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    return error_response(request, exc.status, exc.code, exc.message, headers=exc.headers)


async def _http_exception(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and exc.detail == _FASTAPI_BODY_ERROR:
        # FastAPI's answer to a body its JSON parser raised on (other than a syntax error):
        # a body that is not valid JSON is invalid input, 422 like every other.
        detail = ErrorDetail(field=None, location="body", message=exc.detail, type="json_invalid")
        return error_response(
            request, 422, "validation_error", f"body: {exc.detail}", details=[detail]
        )
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        # Starlette names the methods of the first route that matched the path only; a path
        # served by several routes (GET and POST /v1/reports) allows all of theirs.
        headers["Allow"] = ", ".join(allowed_methods(request))
    return error_response(
        request,
        exc.status_code,
        f"http_{exc.status_code}",
        str(exc.detail),
        headers=headers,
    )


def allowed_methods(request: Request) -> list[str]:
    """Every method some route of the app serves at the request's path (routes asked as the
    router asks them, so included routers and their prefixes count)."""
    allowed = []
    for method in _METHODS:
        scope = {**request.scope, "method": method}
        if any(route.matches(scope)[0] is Match.FULL for route in request.app.router.routes):
            allowed.append(method)
    return allowed


_METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")


async def _unhandled(request: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(request, 500, "internal_error", "internal server error")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(EngineError, _engine_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(ApiProblem, _api_problem)
    app.add_exception_handler(StarletteHTTPException, _http_exception)
    app.add_exception_handler(Exception, _unhandled)


# The error answers every route may give, for the OpenAPI document.
COMMON_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorPublic, "description": "Invalid input; `details` names each field."},
    500: {"model": ErrorPublic, "description": "Unexpected error (logged with a traceback)."},
}
