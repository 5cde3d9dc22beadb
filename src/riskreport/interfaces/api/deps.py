"""Dependencies of the routes, as ``Annotated`` aliases.

Use in a route::

    async def get_report(job_id: str, engine: EngineDep) -> JobPublic: ...

They are ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in its thread pool,
a thread hop per request for nothing.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from riskreport.bootstrap import Services
from riskreport.engine.engine import Engine
from riskreport.interfaces.api.errors import ApiProblem, retry_after_header
from riskreport.interfaces.api.prefer import preferred_wait
from riskreport.monitoring.metrics import ServiceMetrics

# Longest wait a client may ask for with "Prefer: wait=N"; long polls must end well before
# proxies and clients give up on the connection.
MAX_PREFER_WAIT = 60.0


async def get_services(request: Request) -> Services:
    services: Services | None = getattr(request.app.state, "services", None)
    if services is None:
        # Only reachable between server start and the end of the lifespan's start-up.
        raise ApiProblem(503, "starting", "the service is starting", headers=retry_after_header(1))
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


async def get_engine(request: Request) -> Engine:
    # Not built on ServicesDep: each nested dependency costs every request a few microseconds
    # of resolution on the event loop, and this one is on every report route.
    return (await get_services(request)).engine


EngineDep = Annotated[Engine, Depends(get_engine)]


async def get_metrics(request: Request) -> ServiceMetrics:
    metrics: ServiceMetrics = request.app.state.metrics
    return metrics


MetricsDep = Annotated[ServiceMetrics, Depends(get_metrics)]


async def get_prefer_wait(
    request: Request,
    prefer: Annotated[
        str | None,
        Header(
            description="RFC 7240 preferences; `wait=N` waits up to N seconds "
            f"(at most {MAX_PREFER_WAIT:g}) for the job to finish. Any other preference, and "
            "any malformed one, is ignored (RFC 7240 section 2)."
        ),
    ] = None,
) -> float | None:
    # Declared as one string for the OpenAPI document (any text is acceptable); read from
    # every ``Prefer`` line, since a client may send its preferences on several.
    del prefer
    return preferred_wait(request.headers.getlist("prefer"), cap=MAX_PREFER_WAIT)


PreferWaitDep = Annotated[float | None, Depends(get_prefer_wait)]
