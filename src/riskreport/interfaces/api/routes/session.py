"""``/v1/session``: a browser's way to hold its API key in an HttpOnly cookie.

The web page asks for the key once and posts it here (``X-API-Key``); the cookie then goes with
every call, event stream, frame and download of that browser until it closes.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from riskreport.interfaces.api.auth import close_session, open_session
from riskreport.interfaces.api.errors import COMMON_RESPONSES
from riskreport.interfaces.api.schemas import ErrorPublic

UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorPublic, "description": "No API key, or not a valid one."}
}

router = APIRouter(prefix="/v1/session", tags=["session"], responses=COMMON_RESPONSES)


@router.post(
    "",
    status_code=204,
    summary="Remember this browser's API key (a session cookie)",
    responses=UNAUTHORIZED,
    dependencies=[Depends(open_session)],
)
async def create_session() -> None:
    """The cookie is set by ``open_session`` on the answer FastAPI builds for this None."""


@router.delete(
    "",
    status_code=204,
    summary="Forget this browser's API key",
    dependencies=[Depends(close_session)],
)
async def delete_session() -> None:
    """The cookie is cleared by ``close_session``."""
