"""uvicorn factory of an API process on the Celery backend with the stand-in job specs.

Use (the two-API-process test starts two)::

    RISKREPORT_BACKEND=celery RISKREPORT_DATABASE_URL=... RISKREPORT_CELERY_QUEUE=... \\
        python -m uvicorn --factory tests.engine.celery_api_server:create_from_env --port 8001
"""

from __future__ import annotations

from fastapi import FastAPI

from riskreport.interfaces.api.app import create_app
from riskreport.settings import Settings
from tests.engine.celery_worker import stand_in_specs


def create_from_env() -> FastAPI:
    return create_app(Settings(_env_file=None), specs=stand_in_specs())
