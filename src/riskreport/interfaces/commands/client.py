"""A small async client of the riskreport HTTP API, used by the remote CLI commands and batch.

Use::

    async with ReportClient("http://127.0.0.1:8000") as client:
        job = await client.submit(body)
        async for snapshot in client.follow(job["id"]):
            print(snapshot["status"], snapshot["progress"])
        pdf = await client.document(job["id"], "pdf")

Every method raises :class:`ServerUnreachable` when no HTTP answer comes back and
:class:`ApiError` (with the API's ``code``, ``message`` and ``details``) for a non-2xx answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from types import TracebackType
from typing import Any, Self

import anyio
import httpx
from httpx_sse import SSEError, aconnect_sse

FINAL_STATUSES = frozenset({"succeeded", "failed", "cancelled", "timed_out"})


class ClientError(Exception):
    """Base class of what the client raises."""


class ServerUnreachable(ClientError):
    """No HTTP answer: connection refused, DNS failure, a timeout, a dropped connection."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"cannot reach {url}: {reason}")
        self.url = url
        self.reason = reason


class ApiError(ClientError):
    """The server answered with an error (``{"error": {code, message, details}}``)."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, Any]] | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        self.retry_after = retry_after

    @property
    def busy(self) -> bool:
        """The server refused to admit the job now (queue full, shutting down)."""
        return self.status in (429, 503)

    @classmethod
    def from_response(cls, response: httpx.Response) -> ApiError:
        code, message, details = f"http_{response.status_code}", response.reason_phrase, []
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            error = body["error"]
            code = str(error.get("code") or code)
            message = str(error.get("message") or message)
            raw_details = error.get("details") or []
            details = [d for d in raw_details if isinstance(d, dict)]
        retry_after = None
        header = response.headers.get("Retry-After")
        if header is not None and header.strip().isdigit():
            retry_after = float(header.strip())
        return cls(response.status_code, code, message, details, retry_after)


def _json_object(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    if not isinstance(body, dict):
        raise ApiError(response.status_code, "bad_response", "expected a JSON object")
    return body


class ReportClient:
    """The ``/v1/reports`` API. Pass ``transport`` to talk to an app in-process in tests."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        api_key: str | None = None,
    ) -> None:
        """``api_key``: sent as ``Authorization: Bearer`` when the server wants keys."""
        self.base_url = base_url.rstrip("/")
        self._timeout = timeout
        headers = {"Accept": "application/json", "User-Agent": "riskreport-cli"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        self._client = httpx.AsyncClient(
            base_url=self.base_url, timeout=timeout, transport=transport, headers=headers
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self._client.request(method, url, **kwargs)
        except httpx.TransportError as exc:
            raise ServerUnreachable(self.base_url, str(exc) or type(exc).__name__) from exc
        if response.is_error:
            raise ApiError.from_response(response)
        return response

    async def submit(self, body: Mapping[str, Any], *, wait: int | None = None) -> dict[str, Any]:
        """POST a report request; with ``wait`` the server may hold the answer until it is done."""
        headers = {"Prefer": f"wait={wait}"} if wait else {}
        timeout = self._timeout + wait if wait else self._timeout
        response = await self._request(
            "POST", "/v1/reports", json=dict(body), headers=headers, timeout=timeout
        )
        return _json_object(response)

    async def get(self, job_id: str) -> dict[str, Any]:
        return _json_object(await self._request("GET", f"/v1/reports/{job_id}"))

    async def cancel(self, job_id: str) -> dict[str, Any]:
        return _json_object(await self._request("DELETE", f"/v1/reports/{job_id}"))

    async def list(
        self, *, status: str | None = None, limit: int = 20, cursor: str | None = None
    ) -> dict[str, Any]:
        params: dict[str, str | int] = {"limit": limit}
        if status:
            params["status"] = status
        if cursor:
            params["cursor"] = cursor
        return _json_object(await self._request("GET", "/v1/reports", params=params))

    async def document(self, job_id: str, fmt: str) -> bytes:
        """The report as ``html``, ``pdf``, ``md`` or ``json`` bytes."""
        response = await self._request(
            "GET", f"/v1/reports/{job_id}/document", params={"format": fmt}
        )
        return response.content

    async def events(self, job_id: str) -> AsyncIterator[dict[str, Any]]:
        """Job snapshots from the SSE stream, until the job is final or the stream ends."""
        # No read timeout on the stream: a job may be quiet for long; the server sends pings.
        timeout = httpx.Timeout(self._timeout, read=None)
        try:
            async with aconnect_sse(
                self._client, "GET", f"/v1/reports/{job_id}/events", timeout=timeout
            ) as source:
                if source.response.is_error:
                    await source.response.aread()
                    raise ApiError.from_response(source.response)
                async for event in source.aiter_sse():
                    if event.event not in ("status", "progress", "message") or not event.data:
                        continue
                    snapshot = event.json()
                    if isinstance(snapshot, dict) and "status" in snapshot:
                        yield snapshot
                        if snapshot["status"] in FINAL_STATUSES:
                            return
        except httpx.TransportError as exc:
            raise ServerUnreachable(self.base_url, str(exc) or type(exc).__name__) from exc
        except SSEError as exc:
            raise ApiError(502, "bad_event_stream", str(exc)) from exc

    async def follow(self, job_id: str) -> AsyncIterator[dict[str, Any]]:
        """Snapshots until the job is final; reconnects when the stream ends early.

        The last snapshot yielded is the final one, fetched with ``GET`` so it carries the
        result.
        """
        while True:
            async for snapshot in self.events(job_id):
                if snapshot["status"] in FINAL_STATUSES:
                    break
                yield snapshot
            current = await self.get(job_id)
            yield current
            if current["status"] in FINAL_STATUSES:
                return
            # The stream closed while the job is still open (a proxy timeout, a restart):
            # reconnect, but never in a tight loop.
            await anyio.sleep(0.5)
