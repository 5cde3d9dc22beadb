"""A job as the API answers it: JSON encoded by pydantic-core in one step.

A route that returns a model has FastAPI dump it, validate the dump against the response model,
serialise it again and ``json.dumps`` the result: about 1.3 ms on the event loop for a job that
carries its report, against 0.2 ms for the model's own ``model_dump_json``. The routes keep
``response_model=JobPublic`` for the OpenAPI description and return this response instead.
"""

from __future__ import annotations

from fastapi import Response

from riskreport.engine.jobs import Job
from riskreport.interfaces.api.schemas import JobPublic


def job_response(job: Job, headers_from: Response, status_code: int = 200) -> Response:
    """``job`` as ``application/json``, with the headers (and the status, if one was set)
    that the route put on its ``Response`` parameter ``headers_from``."""
    reply = Response(
        JobPublic.from_job(job).model_dump_json(),
        status_code=headers_from.status_code or status_code,
        media_type="application/json",
    )
    for name, value in headers_from.headers.items():
        if name != "content-length":
            reply.headers[name] = value
    return reply
