"""API keys at the door: who is calling, how fast they may submit, and the browser's session.

With keys on (``RISKREPORT_API_KEYS`` or keys in the database at start-up), every ``/v1`` call
and ``/metrics`` needs a key: ``Authorization: Bearer <key>``, ``X-API-Key: <key>``, or the
session cookie that ``POST /v1/session`` sets for a browser (the web page asks for the key once
and the browser then sends the cookie with its calls, event streams, frames and downloads).
Without a valid key the answer is 401 ``unauthorized``. The key's name owns the jobs it
submits; routes show a key only its own jobs (404 for any other).

Use in a route::

    async def create_report(..., owner: OwnerDep, _: SubmitRateDep) -> JobPublic: ...
"""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import Depends, Request, Response

from riskreport.engine.errors import JobNotFound
from riskreport.engine.jobs import Job
from riskreport.interfaces.api.deps import ServicesDep
from riskreport.interfaces.api.errors import ApiProblem, retry_after_header

COOKIE = "riskreport_key"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="riskreport"'}


def presented_key(request: Request) -> str | None:
    """The key the request carries, from the first place that has one."""
    authorization = request.headers.get("authorization", "")
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return request.headers.get("x-api-key") or request.cookies.get(COOKIE) or None


async def get_owner(request: Request, services: ServicesDep) -> str | None:
    """The calling key's name; None when the service runs without keys. Raises 401."""
    if not services.access.required:
        return None
    key = presented_key(request)
    owner = None if key is None else await services.access.owner_of(key)
    if owner is None:
        reason = "an API key is required" if key is None else "the API key is not valid"
        raise ApiProblem(401, "unauthorized", reason, headers=_CHALLENGE)
    return owner


OwnerDep = Annotated[str | None, Depends(get_owner)]


def owned(job: Job, owner: str | None) -> Job:
    """The job if ``owner`` may see it; another key's job is "not found", as if absent."""
    if owner is not None and job.owner != owner:
        raise JobNotFound(job.id)
    return job


class SubmitRate:
    """Per-key token buckets: ``per_minute`` submissions a minute, in bursts of as many."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._buckets: dict[str, tuple[float, float]] = {}  # owner -> (tokens, at)

    def take(self, owner: str) -> float | None:
        """Take one token; None if granted, else the seconds until one is free."""
        rate = self.per_minute / 60.0
        now = time.monotonic()
        tokens, at = self._buckets.get(owner, (float(self.per_minute), now))
        tokens = min(float(self.per_minute), tokens + (now - at) * rate)
        if tokens < 1.0:
            self._buckets[owner] = (tokens, now)
            return (1.0 - tokens) / rate
        self._buckets[owner] = (tokens - 1.0, now)
        return None


async def check_submit_rate(request: Request, owner: OwnerDep) -> None:
    if owner is None:
        return
    rate: SubmitRate = request.app.state.submit_rate
    wait = rate.take(owner)
    if wait is not None:
        message = f"more than {rate.per_minute} reports a minute from this key"
        raise ApiProblem(429, "rate_limited", message, headers=retry_after_header(wait))


SubmitRateDep = Annotated[None, Depends(check_submit_rate)]


async def open_session(request: Request, response: Response, owner: OwnerDep) -> None:
    """``POST /v1/session``: remember the key in this browser until it closes."""
    key = presented_key(request)
    if owner is None or key is None:
        return  # no keys: nothing to remember
    response.set_cookie(
        COOKIE,
        key,
        httponly=True,  # page scripts never read it back
        samesite="strict",  # other sites cannot make the browser send it
        secure=request.url.scheme == "https",
        path="/",
    )


async def close_session(response: Response) -> None:
    """``DELETE /v1/session``: forget the key in this browser."""
    response.delete_cookie(COOKIE, path="/")
