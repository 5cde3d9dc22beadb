"""uvicorn factory for a stand-in server in a child process (tests that kill a server).

Use::

    RISKREPORT_TEST_FUNCTION=nap RISKREPORT_DATABASE_URL=sqlite:///... \\
        python -m uvicorn --factory tests.interfaces.api.standin_server:create_from_env
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from tests.interfaces.api.harness import app_for


def create_from_env() -> FastAPI:
    return app_for(
        os.environ["RISKREPORT_TEST_FUNCTION"],
        database_url=os.environ["RISKREPORT_DATABASE_URL"],
    )
