"""Prometheus exposition of the service's metrics (see ``riskreport.monitoring.metrics``)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from riskreport.interfaces.api.deps import MetricsDep, ServicesDep
from riskreport.monitoring.metrics import CONTENT_TYPE_LATEST

router = APIRouter(tags=["operations"])


@router.get(
    "/metrics",
    summary="Prometheus metrics",
    response_class=Response,
    responses={200: {"content": {CONTENT_TYPE_LATEST: {}}, "description": "Text format 0.0.4."}},
)
async def metrics(services: ServicesDep, metrics: MetricsDep) -> Response:
    counts = await services.store.count_by_status()
    body = metrics.render(counts=counts, stats=services.engine.stats())
    return Response(body, media_type=CONTENT_TYPE_LATEST)
