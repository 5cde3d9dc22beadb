"""The HTTP API's factory: ``create_app(settings)``; nothing happens at import time.

The lifespan warms the request model and the routes (see ``warmup``), opens the services (store,
backend, engine; see ``riskreport.bootstrap``) and starts the loop-lag monitor; at shutdown it
closes them in reverse. Warm-up of the runners continues in the background; ``/readyz`` says
when it is done.

Use::

    app = create_app(Settings())                       # programmatic
    uvicorn riskreport.interfaces.api.app:create_app_from_env --factory   # server
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from importlib.metadata import version

import anyio.to_thread
from fastapi import Depends, FastAPI

from riskreport.bootstrap import open_services
from riskreport.engine.context import request_id
from riskreport.engine.spec import Initializer, JobSpec
from riskreport.interfaces.api.auth import SubmitRate, get_owner
from riskreport.interfaces.api.docs import install_docs
from riskreport.interfaces.api.errors import install_error_handlers
from riskreport.interfaces.api.limits import RequestLimits
from riskreport.interfaces.api.middleware import RequestIdMiddleware
from riskreport.interfaces.api.routes import health, metrics, reports, session
from riskreport.interfaces.api.security_headers import SecurityHeaders
from riskreport.interfaces.api.stop_signal import on_stop_signal
from riskreport.interfaces.api.warmup import warm_request_model, warm_routes
from riskreport.interfaces.web import install_web
from riskreport.monitoring.loop_lag import LoopLagMonitor
from riskreport.monitoring.metrics import ServiceMetrics
from riskreport.settings import Settings

DESCRIPTION = """\
Physical climate-risk reports for buildings in Korea. Reports are jobs: `POST /v1/reports`
answers at once (202 and a `Location`) or, with `Prefer: wait=N`, when the report is done.
Follow a job by polling, by `Prefer: wait=N` on `GET`, or by Server-Sent Events. Every error
has the shape `{"error": {"code", "message", "details"}}`. See docs/api.md.
"""


def create_app(
    settings: Settings,
    *,
    specs: Sequence[JobSpec] | None = None,
    initializer: Initializer | None = None,
    renderers: Mapping[str, JobSpec] | None = None,
    stop_on_signal: bool = False,
) -> FastAPI:
    """Build the API for ``settings``.

    ``specs`` (and a warm-up ``initializer``) replace the production job specs (the report job)
    and warm-up; tests and benchmarks use them to run stand-in jobs through the real engine.
    ``renderers`` (job kind -> spec) render documents on request; with ``specs`` there are
    none unless given (``riskreport.bootstrap.report_renderers(settings)``).
    ``stop_on_signal``: under a server (uvicorn), begin the engine's shutdown at the server's
    SIGTERM/SIGINT rather than once the server has drained its connections (see
    ``stop_signal``).
    """
    service_metrics = ServiceMetrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        monitor = LoopLagMonitor(
            interval=settings.lag_interval,
            threshold=settings.lag_threshold,
            on_sample=service_metrics.observe_loop_lag,
        )
        try:
            await anyio.to_thread.run_sync(warm_request_model)
            async with open_services(
                settings, specs=specs, initializer=initializer, renderers=renderers
            ) as services:
                services.engine.add_listener(service_metrics.observe_job)
                app.state.services = services
                # Before the server listens, so the lazy work delays nobody; the monitor starts
                # after it, so every stall it reports is one that a request could wait on.
                await warm_routes(app)
                await monitor.start()
                if stop_on_signal:
                    with on_stop_signal(services.engine.begin_shutdown):
                        yield
                else:
                    yield
            app.state.services = None
        finally:
            await monitor.stop()

    app = FastAPI(
        title="riskreport",
        version=version("riskreport"),
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by install_docs, without a CDN
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.metrics = service_metrics
    app.state.services = None
    install_error_handlers(app)
    app.add_middleware(
        RequestLimits, max_body=settings.max_body_bytes, body_timeout=settings.client_timeout
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(RequestIdMiddleware, var=request_id)
    app.state.submit_rate = SubmitRate(settings.key_rate_limit)
    app.include_router(health.router)
    app.include_router(reports.router, responses=session.UNAUTHORIZED)
    app.include_router(session.router)
    app.include_router(
        metrics.router, dependencies=[Depends(get_owner)], responses=session.UNAUTHORIZED
    )
    install_web(app)
    install_docs(app)
    return app


def create_app_from_env() -> FastAPI:
    """uvicorn factory: settings from ``RISKREPORT_*`` variables (and ``.env``)."""
    return create_app(Settings(), stop_on_signal=True)
