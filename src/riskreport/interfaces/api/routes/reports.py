"""``/v1/reports``: submit, read, wait for, follow, cancel and list report jobs.

Handlers are thin: parse, call the engine, map to a public schema. Engine errors become HTTP
answers in ``riskreport.interfaces.api.errors``.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Request, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent

from riskreport.bootstrap import REPORT_KIND
from riskreport.engine.context import request_id
from riskreport.engine.errors import ShuttingDown
from riskreport.engine.jobs import JobStatus
from riskreport.interfaces.api.auth import OwnerDep, SubmitRateDep, owned
from riskreport.interfaces.api.deps import EngineDep, PreferWaitDep, ServicesDep
from riskreport.interfaces.api.document_response import document_response
from riskreport.interfaces.api.documents import DocumentFormat, negotiate
from riskreport.interfaces.api.errors import COMMON_RESPONSES, ApiProblem
from riskreport.interfaces.api.job_response import job_response
from riskreport.interfaces.api.prefer import applied_wait
from riskreport.interfaces.api.schemas import (
    API_PREFIX,
    ErrorBody,
    ErrorPublic,
    JobPublic,
    JobsPublic,
    JobSummaryPublic,
    PageLinks,
    ReportCreate,
)

# Milliseconds an EventSource waits before reconnecting after a dropped stream.
SSE_RETRY_MS = 2000

router = APIRouter(prefix=API_PREFIX, tags=["reports"], responses=COMMON_RESPONSES)

JobId = Annotated[str, Path(description="The job id returned by `POST /v1/reports`.")]
# OpenAPI links from a submitted job to what a client does next with it; tools that follow
# links (Schemathesis' stateful phase, client generators) chain the calls through `id`.
_JOB = {"job_id": "$response.body#/id"}
JOB_LINKS: dict[str, dict[str, Any]] = {
    "GetReport": {"operationId": "get_report_v1_reports__job_id__get", "parameters": _JOB},
    "FollowReport": {
        "operationId": "report_events_v1_reports__job_id__events_get",
        "parameters": _JOB,
    },
    "GetDocument": {
        "operationId": "report_document_v1_reports__job_id__document_get",
        "parameters": _JOB,
    },
    "CancelReport": {
        "operationId": "cancel_report_v1_reports__job_id__delete",
        "parameters": _JOB,
    },
}
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorPublic, "description": "No job with this id."}
}


@router.post(
    "",
    status_code=202,
    response_model=JobPublic,
    summary="Submit a report",
    responses={
        200: {
            "model": JobPublic,
            "description": "With `Prefer: wait=N`: finished in time.",
            "links": JOB_LINKS,
        },
        202: {
            "description": "Accepted; follow `Location`. Also when a preferred wait ran out.",
            "links": JOB_LINKS,
        },
        409: {
            "model": ErrorPublic,
            "description": "The first request with this `Idempotency-Key` is still being admitted.",
        },
        429: {
            "model": ErrorPublic,
            "description": "Queue full, this key's share of it full, or this key submitting "
            "too fast; retry after `Retry-After`.",
        },
        503: {"model": ErrorPublic, "description": "Shutting down; retry after `Retry-After`."},
    },
)
async def create_report(
    body: ReportCreate,
    engine: EngineDep,
    wait: PreferWaitDep,
    response: Response,
    owner: OwnerDep,
    _: SubmitRateDep,
    idempotency_key: Annotated[
        str | None,
        Header(
            min_length=1,
            max_length=255,
            pattern=r"^[\x21-\x7e]+$",
            description="Any unique string (e.g. a UUID): the same key with the same body within "
            "24 h returns the same job instead of a new one; with another body it is 422.",
        ),
    ] = None,
) -> Response:
    payload = body.model_dump(mode="json")
    if idempotency_key is None:
        job = await engine.submit(REPORT_KIND, payload, owner=owner)
    else:
        job, replayed = await engine.submit_once(
            REPORT_KIND, payload, idempotency_key=idempotency_key, owner=owner
        )
        response.headers["Idempotent-Replayed"] = "true" if replayed else "false"
    response.headers["Location"] = f"{API_PREFIX}/{job.id}"
    if wait is not None:
        try:
            job = await engine.wait(job.id, timeout=wait)
        except ShuttingDown:
            # The job is accepted and stored: it runs after the restart. A 503 here would tell
            # the client to submit it again, so the answer is the plain 202.
            return job_response(job, response, 202)
        response.headers["Preference-Applied"] = applied_wait(wait)
        if job.status.is_final:
            response.status_code = 200
    return job_response(job, response, 202)


@router.get(
    "",
    response_model=JobsPublic,
    summary="List reports, newest first",
    responses={400: {"model": ErrorPublic, "description": "A `cursor` this server did not issue."}},
)
async def list_reports(
    engine: EngineDep,
    owner: OwnerDep,
    status: Annotated[JobStatus | None, Query(description="Only jobs in this state.")] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Jobs per page.")] = 50,
    cursor: Annotated[
        str | None,
        Query(
            max_length=512,
            pattern=r"^[A-Za-z0-9_-]+$",  # what the stores issue: unpadded base64url
            description="`next_cursor` of the previous page.",
        ),
    ] = None,
) -> JobsPublic:
    page = await engine.list(status=status, limit=limit, cursor=cursor, owner=owner)
    query = f"limit={limit}" + (f"&status={status.value}" if status else "")
    return JobsPublic(
        items=[JobSummaryPublic.from_job(job) for job in page.items],
        next_cursor=page.next_cursor,
        links=PageLinks(
            self_=f"{API_PREFIX}?{query}" + (f"&cursor={cursor}" if cursor else ""),
            next=f"{API_PREFIX}?{query}&cursor={page.next_cursor}" if page.next_cursor else None,
        ),
    )


@router.get(
    "/{job_id}",
    response_model=JobPublic,
    summary="Read a report job (with its report once succeeded)",
    responses={
        **NOT_FOUND,
        200: {"description": "The job; see `Prefer: wait=N`."},
        503: {
            "model": ErrorPublic,
            "description": "A `Prefer: wait` cut short by shutdown; retry after `Retry-After`.",
        },
    },
)
async def get_report(
    job_id: JobId, engine: EngineDep, wait: PreferWaitDep, response: Response, owner: OwnerDep
) -> Response:
    job = owned(await engine.get(job_id), owner)
    if wait is not None and not job.status.is_final:
        job = await engine.wait(job_id, timeout=wait)
    if wait is not None:
        response.headers["Preference-Applied"] = applied_wait(wait)
    return job_response(job, response)


@router.delete(
    "/{job_id}",
    response_model=JobPublic,
    summary="Cancel a report job",
    responses={
        **NOT_FOUND,
        409: {"model": ErrorPublic, "description": "The job is already final."},
    },
)
async def cancel_report(
    job_id: JobId, engine: EngineDep, owner: OwnerDep, response: Response
) -> Response:
    owned(await engine.get(job_id), owner)
    return job_response(await engine.cancel(job_id), response)


async def _existing_job_id(job_id: JobId, engine: EngineDep, owner: OwnerDep) -> str:
    # A dependency, so it runs before the stream starts: an unknown id is a plain 404.
    return owned(await engine.get(job_id), owner).id


@router.get(
    "/{job_id}/events",
    response_class=EventSourceResponse,
    summary="Follow a report job (Server-Sent Events)",
    responses={
        # The route's response class is the event stream; its errors are JSON, said explicitly.
        404: {
            "description": "No job with this id.",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ErrorPublic"}}
            },
        },
        200: {
            "description": "`status` and `progress` events whose data is the JobPublic "
            "snapshot; the stream ends after a final state, or with a `shutdown` event (data: "
            "the error shape) when the server stops first."
        },
    },
)
async def report_events(
    job_id: Annotated[str, Depends(_existing_job_id)], engine: EngineDep
) -> AsyncIterator[ServerSentEvent]:
    previous: JobStatus | None = None
    sequence = 0
    try:
        async for job in engine.events(job_id):
            sequence += 1
            yield ServerSentEvent(
                event="status" if job.status != previous else "progress",
                raw_data=JobPublic.from_job(job).model_dump_json(),
                id=str(sequence),
                retry=SSE_RETRY_MS if sequence == 1 else None,
            )
            previous = job.status
    except ShuttingDown as exc:
        # The last word of a stream cut by shutdown, so the client knows to reconnect later
        # (the job itself is kept and runs again after the restart).
        body = ErrorBody(code="shutting_down", message=str(exc), request_id=request_id.get())
        yield ServerSentEvent(
            event="shutdown", raw_data=ErrorPublic(error=body).model_dump_json(), id="end"
        )


@router.get(
    "/{job_id}/document",
    summary="The finished report as JSON, HTML, PDF or Markdown",
    response_class=Response,
    responses={
        **NOT_FOUND,
        200: {
            "description": "The document, by `format` or else by `Accept`; rendered on its "
            "first request, then served from the store. `ETag` and `If-None-Match` apply.",
            "content": {f.media_type: {} for f in DocumentFormat},
        },
        304: {"description": "`If-None-Match` names this document's `ETag`."},
        406: {"model": ErrorPublic, "description": "No acceptable format."},
        409: {"model": ErrorPublic, "description": "The job has not succeeded (yet)."},
        503: {"model": ErrorPublic, "description": "The document could not be rendered."},
    },
)
async def report_document(
    job_id: JobId,
    services: ServicesDep,
    request: Request,
    format: Annotated[
        DocumentFormat | None, Query(description="Overrides `Accept` when given.")
    ] = None,
    owner: OwnerDep = None,
) -> Response:
    # Read, not declared: OpenAPI ignores an `Accept` parameter (the 200's media types say it).
    chosen = format or negotiate(request.headers.get("accept"))
    if chosen is None:
        formats = ", ".join(f.media_type for f in DocumentFormat)
        raise ApiProblem(406, "not_acceptable", f"available formats: {formats}")
    engine = services.engine
    job = owned(await engine.get(job_id), owner)
    if job.status is not JobStatus.SUCCEEDED:
        state = "has not finished" if not job.status.is_final else f"ended {job.status.value}"
        raise ApiProblem(409, "job_not_succeeded", f"job {job_id!r} {state}; no document")
    filename = f"report-{job_id}.{chosen.value}"
    if chosen is DocumentFormat.JSON:
        # Compact, as the job's JSON answers are (the report is data for programs).
        result = job.result or {}
        body = json.dumps(result, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return document_response(body, chosen.media_type, filename, request)
    if chosen.value not in services.settings.documents:
        offered = ", ".join(services.settings.documents) or "none"
        raise ApiProblem(
            404, "document_not_found", f"{chosen.value} is not offered (offered: {offered})"
        )
    # Stored, or rendered now in a runner (once, however many clients ask at the same time).
    artifact = await engine.artifact(job_id, chosen.value)
    return document_response(artifact.data, artifact.media_type, filename, request)
