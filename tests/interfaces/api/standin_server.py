"""uvicorn factory for a stand-in server in a child process (tests that kill or stop a server).

Use::

    RISKREPORT_TEST_FUNCTION=nap RISKREPORT_DATABASE_URL=sqlite:///... \\
        python -m uvicorn --factory tests.interfaces.api.standin_server:create_from_env

``RISKREPORT_TEST_RUNNER`` (``thread``/``process``) picks the runner and
``RISKREPORT_TEST_SETTINGS`` (a JSON object) overrides test settings, e.g.
``{"queue_limit": 50, "shutdown_grace": 1}``. The app begins its shutdown at the server's
SIGTERM, as ``riskreport serve`` does.
"""

from __future__ import annotations

import json
import os

from fastapi import FastAPI

from riskreport.engine.spec import RunnerKind
from riskreport.interfaces.api.app import create_app
from tests.interfaces.api.harness import settings, spec


def create_from_env() -> FastAPI:
    overrides = json.loads(os.environ.get("RISKREPORT_TEST_SETTINGS", "{}"))
    runner = RunnerKind(os.environ.get("RISKREPORT_TEST_RUNNER", "thread"))
    return create_app(
        settings(database_url=os.environ["RISKREPORT_DATABASE_URL"], **overrides),
        specs=spec(os.environ["RISKREPORT_TEST_FUNCTION"], runner),
        stop_on_signal=True,
    )
