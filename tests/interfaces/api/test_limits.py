"""Limits before work: body size, URL length, JSON depth and strings, hostile header values,
and a burst of submissions that the queue refuses cleanly."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest

from tests.interfaces.api.harness import REPORT_BODY, app_for, asgi_client, uvicorn_server

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(60)]

LIMIT = 4096  # the tests' body limit, small so that bodies above it are cheap to make


def small_limit_app(function: str = "quick", **changes: Any) -> Any:
    return app_for(function, max_body_bytes=LIMIT, **changes)


def assert_error(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()["error"]
    assert body["code"] == code
    assert body["request_id"] == response.headers["X-Request-ID"]
    return body


async def test_a_declared_length_above_the_limit_is_413_unread() -> None:
    async with asgi_client(small_limit_app()) as client:
        response = await client.post(
            "/v1/reports", content=b"x" * (LIMIT + 1), headers={"Content-Type": "application/json"}
        )
        assert_error(response, 413, "body_too_large")
        assert response.headers["Connection"] == "close"
        fits = await client.post("/v1/reports", json=REPORT_BODY)
        assert fits.status_code == 202


async def test_a_streamed_body_is_cut_at_the_limit() -> None:
    sent = 0

    async def chunks() -> AsyncIterator[bytes]:
        nonlocal sent
        for _ in range(100):
            sent += 1024
            yield b" " * 1024

    async with asgi_client(small_limit_app()) as client:
        response = await client.post(
            "/v1/reports", content=chunks(), headers={"Content-Type": "application/json"}
        )
    assert_error(response, 413, "body_too_large")
    assert sent < 100 * 1024  # the server stopped reading long before the end


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"[" * 40 + b"]" * 40, "nested 40 levels deep"),
        (b'{"language": "\xff"}', "not UTF-8"),
    ],
)
async def test_json_too_deep_or_not_utf8_is_422(body: bytes, says: str) -> None:
    async with asgi_client(app_for("quick", max_body_bytes=LIMIT * 4)) as client:
        response = await client.post(
            "/v1/reports", content=body, headers={"Content-Type": "application/json"}
        )
    error = assert_error(response, 422, "validation_error")
    assert says in error["message"]


async def test_a_long_string_is_422_before_parsing() -> None:
    body = b'{"target_location": {"address": "' + b"a" * 12_000 + b'"}}'
    async with asgi_client(app_for("quick", max_body_bytes=100_000)) as client:
        response = await client.post(
            "/v1/reports", content=body, headers={"Content-Type": "application/json"}
        )
    error = assert_error(response, 422, "validation_error")
    assert "string is 12000 bytes long" in error["message"]
    assert error["details"][0]["location"] == "body"


async def test_a_long_url_is_414() -> None:
    async with asgi_client(app_for("quick")) as client:
        response = await client.get("/v1/reports", params={"cursor": "c" * 5000})
    assert_error(response, 414, "uri_too_long")


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/v1/reports/{id}/document", {"Accept": "application/json;q=nan"}),
        ("/v1/reports/{id}/document", {"Accept": "text/html;q=1e400, */*;q=-1"}),
        ("/v1/reports/{id}", {"Prefer": "wait=" + "9" * 5000}),
        ("/v1/reports/{id}", {"Prefer": b"wait=\xb2"}),
        ("/v1/reports/{id}", {"Prefer": "wait=-1, wait=1e9, wait"}),
    ],
)
async def test_hostile_header_values_never_cause_a_500(
    path: str, headers: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    async with asgi_client(app_for("quick")) as client:
        job = (await client.post("/v1/reports", json=REPORT_BODY)).json()
        with anyio.fail_after(5):
            response = await client.get(path.format(id=job["id"]), headers=headers)
    assert response.status_code in (200, 406), response.text
    assert "Traceback" not in caplog.text


async def test_a_burst_of_1000_submissions_gets_only_202_and_429_and_every_job_ends() -> None:
    statuses: list[int] = []
    accepted: list[str] = []
    app = app_for("quick", concurrency=2, queue_limit=50)
    async with asgi_client(app) as client:

        async def submit() -> None:
            response = await client.post("/v1/reports", json=REPORT_BODY)
            statuses.append(response.status_code)
            if response.status_code == 202:
                accepted.append(response.json()["id"])
            else:
                assert int(response.headers["Retry-After"]) >= 1
                assert response.json()["error"]["code"] == "queue_full"

        with anyio.fail_after(45):
            async with anyio.create_task_group() as group:
                for _ in range(1000):
                    group.start_soon(submit)
            finals = []
            for job_id in accepted:
                job = await client.get(f"/v1/reports/{job_id}", headers={"Prefer": "wait=20"})
                finals.append(job.json()["status"])
    assert set(statuses) <= {202, 429}
    assert statuses.count(202) >= 50  # the queue took what it could
    assert statuses.count(429) > 0  # and refused the rest
    assert finals == ["succeeded"] * len(accepted)


def _send_big_body(base_url: str, size: int, result: dict[str, float | str]) -> None:
    """Declare ``size`` bytes, send them in 64 KiB pieces; note when the status line came."""
    host, port = base_url.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        head = (
            f"POST /v1/reports HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {size}\r\n\r\n"
        )
        conn.sendall(head.encode())
        conn.settimeout(0.01)
        piece = b" " * 65536
        answer = b""
        sent = 0
        while b"\r\n" not in answer and time.monotonic() - started < 10:
            try:
                answer += conn.recv(4096)
            except TimeoutError:
                pass
            except OSError:
                break
            if sent < size and b"\r\n" not in answer:
                try:
                    conn.sendall(piece)
                    sent += len(piece)
                except OSError:
                    pass  # the server closed the connection: the answer is waiting
        result["status_line"] = answer.split(b"\r\n", 1)[0].decode()
        result["seconds"] = time.monotonic() - started
        result["sent"] = sent


def test_a_50_mb_body_is_413_within_2_s_while_healthz_stays_fast() -> None:
    app = app_for("quick")  # the default limit: 1 MB
    with uvicorn_server(app) as base_url:
        result: dict[str, float | str] = {}
        sender = threading.Thread(target=_send_big_body, args=(base_url, 50_000_000, result))
        health: list[float] = []
        with httpx.Client(base_url=base_url, timeout=5) as client:
            sender.start()
            # At least one probe, even when the 413 comes before the first one could start.
            while True:
                started = time.monotonic()
                assert client.get("/healthz").status_code == 200
                health.append(time.monotonic() - started)
                if not sender.is_alive():
                    break
                time.sleep(0.01)
            sender.join()
    assert str(result["status_line"]).startswith("HTTP/1.1 413"), result
    assert float(result["seconds"]) < 2.0, result
    assert float(result["sent"]) < 50_000_000 / 4  # it never had to take the whole body
    assert health
    assert max(health) < 0.5, health
