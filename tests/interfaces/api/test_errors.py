"""One error shape for every failure: validation, engine errors, unknown routes, crashes."""

from __future__ import annotations

import logging
from typing import Any

import httpx
import pytest

from riskreport.engine.context import LogContextFilter
from riskreport.interfaces.api.errors import field_path
from tests.interfaces.api.harness import (
    REPORT_BODY,
    app_for,
    asgi_client,
    eventually,
    settings,
    spec,
)


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    assert {"code", "message", "details"} <= set(error)
    return error


@pytest.mark.anyio
async def test_missing_body_fields_are_422_naming_each_field() -> None:
    async with asgi_client(app_for("quick")) as client:
        response = await client.post("/v1/reports", json={"language": "en"})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    fields = {d["field"] for d in error["details"]}
    assert "target_location" in fields
    assert all(d["location"] == "body" for d in error["details"])
    assert "target_location" in error["message"]


@pytest.mark.anyio
async def test_nested_field_is_named_by_its_dotted_path() -> None:
    body = {**REPORT_BODY, "target_location": {"lat": 95.0, "lon": 126.9}}
    async with asgi_client(app_for("quick")) as client:
        response = await client.post("/v1/reports", json=body)
    assert response.status_code == 422
    fields = [d["field"] for d in error_of(response)["details"]]
    assert "target_location.lat" in fields


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("lat", "lon", "says"),
    [
        (37.97, 126.55, "not within 10 km of any South Korean"),  # Kaesong, North Korea
        (39.03, 125.75, "outside Korea"),  # Pyongyang, beyond the supported box
        (35.1, 129.35, "out at sea"),  # the open sea off Busan
    ],
)
async def test_a_point_outside_south_korea_is_422_naming_the_field(
    lat: float, lon: float, says: str
) -> None:
    body = {**REPORT_BODY, "target_location": {"lat": lat, "lon": lon}}
    async with asgi_client(app_for("quick")) as client:
        response = await client.post("/v1/reports", json=body)
        listed = (await client.get("/v1/reports")).json()
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    (detail,) = error["details"]
    assert detail["field"] in {"target_location.lat", "target_location.lon"}
    assert says in detail["message"]
    assert listed["items"] == []  # refused before any job was made


@pytest.mark.anyio
async def test_wrong_language_is_422() -> None:
    async with asgi_client(app_for("quick")) as client:
        response = await client.post("/v1/reports", json={**REPORT_BODY, "language": "fr"})
    assert response.status_code == 422
    assert [d["field"] for d in error_of(response)["details"]] == ["language"]


@pytest.mark.anyio
async def test_malformed_json_is_422_not_500() -> None:
    async with asgi_client(app_for("quick")) as client:
        response = await client.post(
            "/v1/reports", content=b'{"language": ', headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 422
    (detail,) = error_of(response)["details"]
    assert detail["type"] == "json_invalid"
    assert detail["field"] is None


@pytest.mark.anyio
async def test_queue_full_is_429_with_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKREPORT_TEST_NAP", "3")
    app = app_for("nap", concurrency=1, queue_limit=1)
    async with asgi_client(app) as client:
        first = await client.post("/v1/reports", json=REPORT_BODY)  # runs
        second = await client.post("/v1/reports", json=REPORT_BODY)  # waits
        third = await client.post("/v1/reports", json=REPORT_BODY)  # no room
        assert (first.status_code, second.status_code) == (202, 202)
        assert third.status_code == 429
        assert error_of(third)["code"] == "queue_full"
        assert int(third.headers["Retry-After"]) >= 1
        for job in (first, second):
            await client.delete(job.headers["Location"])

        # Room again once the queue drained.
        async def admitted() -> bool:
            return (await client.post("/v1/reports", json=REPORT_BODY)).status_code == 202

        await eventually(admitted, within=5)


@pytest.mark.anyio
async def test_shutting_down_is_503_with_retry_after() -> None:
    app = app_for("quick")
    async with asgi_client(app) as client:
        await app.state.services.engine.shutdown()
        response = await client.post("/v1/reports", json=REPORT_BODY)
        assert response.status_code == 503
        assert error_of(response)["code"] == "shutting_down"
        assert int(response.headers["Retry-After"]) >= 1
        assert (await client.get("/readyz")).status_code == 503
        assert (await client.get("/healthz")).status_code == 200


@pytest.mark.anyio
async def test_unknown_job_kind_is_400() -> None:
    from riskreport.interfaces.api.app import create_app

    other = spec("quick")[0]
    app = create_app(settings(), specs=[type(other)("other", other.function, other.runner)])
    async with asgi_client(app) as client:
        response = await client.post("/v1/reports", json=REPORT_BODY)
    assert response.status_code == 400
    assert error_of(response)["code"] == "unknown_job_kind"


@pytest.mark.anyio
async def test_unknown_route_and_method_keep_the_shape() -> None:
    async with asgi_client(app_for("quick")) as client:
        missing = await client.get("/v2/nothing")
        wrong_method = await client.put("/v1/reports")
    assert missing.status_code == 404
    assert error_of(missing)["code"] == "http_404"
    assert wrong_method.status_code == 405
    assert error_of(wrong_method)["code"] == "http_405"


@pytest.mark.anyio
async def test_unexpected_exception_is_500_in_the_shape_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app = app_for("quick")

    async def explode() -> None:
        raise ZeroDivisionError("boom")

    app.add_api_route("/test-only/explode", explode)
    caplog.handler.addFilter(LogContextFilter())  # as serve's handlers do
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://api.test") as client:
            response = await client.get("/test-only/explode", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 500
    error = error_of(response)
    assert error["code"] == "internal_error"
    assert "boom" not in error["message"]  # internals stay in the log
    assert error["request_id"] == "abc-123"
    assert response.headers["X-Request-ID"] == "abc-123"
    (record,) = [r for r in caplog.records if r.name == "riskreport.api"]
    assert record.levelno == logging.ERROR
    assert record.exc_info is not None
    assert record.__dict__["request_id"] == "abc-123"  # logged while the request's id was set
    assert "ZeroDivisionError" in caplog.text
    assert len([r for r in caplog.records if r.exc_info]) == 1  # one traceback, not two


@pytest.mark.anyio
async def test_request_id_is_echoed_or_minted() -> None:
    async with asgi_client(app_for("quick")) as client:
        given = await client.get("/healthz", headers={"X-Request-ID": "req-42"})
        minted = await client.get("/healthz")
        hostile = await client.get("/healthz", headers={"X-Request-ID": "a b\tc"})
    assert given.headers["X-Request-ID"] == "req-42"
    assert len(minted.headers["X-Request-ID"]) == 32
    assert hostile.headers["X-Request-ID"] not in ("a b\tc", "")


def test_field_path_drops_union_member_labels() -> None:
    assert field_path(("body", "target_location", "Coordinates", "lat")) == (
        "target_location.lat",
        "body",
    )
    assert field_path(("body", "analysis_params", "scenarios", 0)) == (
        "analysis_params.scenarios.0",
        "body",
    )
    assert field_path(("body", "analysis_params", "overrides", "SSP5-8.5")) == (
        "analysis_params.overrides.SSP5-8.5",
        "body",
    )
    assert field_path(("query", "limit")) == ("limit", "query")
    assert field_path(("body",)) == (None, "body")


@pytest.mark.anyio
async def test_405_allows_every_method_served_at_the_path() -> None:
    async with asgi_client(app_for("quick")) as client:
        reports = await client.request("OPTIONS", "/v1/reports")
        job = await client.put("/v1/reports/abc")
    assert reports.status_code == 405
    assert reports.headers["Allow"] == "GET, POST"
    assert job.headers["Allow"] == "DELETE, GET"


@pytest.mark.anyio
async def test_a_cursor_of_other_characters_is_422() -> None:
    async with asgi_client(app_for("quick")) as client:
        response = await client.get("/v1/reports", params={"cursor": "Å"})
    assert response.status_code == 422
