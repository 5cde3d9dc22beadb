"""``/v1/reports`` through the real engine (memory store, local backend) with stand-in jobs."""

from __future__ import annotations

from typing import Any

import anyio
import httpx
import pytest
from httpx_sse import aconnect_sse

from riskreport.engine.jobs import JobStatus
from tests.interfaces.api.harness import REPORT_BODY, app_for, asgi_client


@pytest.fixture
def short_nap(monkeypatch: pytest.MonkeyPatch) -> None:
    # The cancellable stand-in sleeps this long; tests cancel it or let it time out their wait.
    monkeypatch.setenv("RISKREPORT_TEST_NAP", "3")


async def until_status(client: httpx.AsyncClient, job_id: str, status: str) -> dict[str, Any]:
    with anyio.fail_after(5):
        while True:
            job: dict[str, Any] = (await client.get(f"/v1/reports/{job_id}")).json()
            if job["status"] == status:
                return job
            await anyio.sleep(0.01)


@pytest.mark.anyio
async def test_submit_answers_202_with_location_and_links() -> None:
    async with asgi_client(app_for("quick")) as client:
        response = await client.post("/v1/reports", json=REPORT_BODY)
        assert response.status_code == 202
        job = response.json()
        assert response.headers["Location"] == f"/v1/reports/{job['id']}"
        assert job["status"] == "queued"
        assert job["kind"] == "report"
        assert job["created_at"].endswith("Z") or job["created_at"].endswith("+00:00")
        assert job["links"] == {
            "self": f"/v1/reports/{job['id']}",
            "events": f"/v1/reports/{job['id']}/events",
            "document": f"/v1/reports/{job['id']}/document",
        }
        assert "Preference-Applied" not in response.headers

        done = await until_status(client, job["id"], "succeeded")
        assert done["result"] == {
            "language": "en",
            "request_id": response.headers["X-Request-ID"],
            "job_id": job["id"],
        }
        assert done["progress"] == {"fraction": 1.0, "stage": "done"}
        assert done["started_at"] is not None
        assert done["finished_at"] is not None
        assert done["error"] is None


@pytest.mark.anyio
async def test_prefer_wait_answers_200_with_the_finished_job() -> None:
    async with asgi_client(app_for("quick")) as client:
        response = await client.post(
            "/v1/reports", json=REPORT_BODY, headers={"Prefer": "respond-async, wait=10"}
        )
        assert response.status_code == 200
        assert response.headers["Preference-Applied"] == "wait=10"
        assert response.headers["Location"].startswith("/v1/reports/")
        job = response.json()
        assert job["status"] == "succeeded"
        assert job["result"]["language"] == "en"


@pytest.mark.anyio
@pytest.mark.usefixtures("short_nap")
async def test_prefer_wait_answers_202_when_the_job_outlasts_it() -> None:
    async with asgi_client(app_for("nap")) as client:
        start = anyio.current_time()
        response = await client.post("/v1/reports", json=REPORT_BODY, headers={"Prefer": "wait=1"})
        waited = anyio.current_time() - start
        assert response.status_code == 202
        assert response.headers["Preference-Applied"] == "wait=1"
        assert response.json()["status"] in ("queued", "running")
        assert 0.9 <= waited < 2.5
        # Cancel, so that shutdown is quick.
        assert (await client.delete(response.headers["Location"])).status_code == 200


@pytest.mark.anyio
async def test_get_with_prefer_wait_returns_once_final() -> None:
    async with asgi_client(app_for("staged")) as client:
        job = (await client.post("/v1/reports", json=REPORT_BODY)).json()
        response = await client.get(f"/v1/reports/{job['id']}", headers={"Prefer": "wait=10"})
        assert response.status_code == 200
        assert response.headers["Preference-Applied"] == "wait=10"
        assert response.json()["status"] == "succeeded"


@pytest.mark.anyio
async def test_failed_job_reads_as_failed_with_a_safe_reason() -> None:
    async with asgi_client(app_for("fails")) as client:
        response = await client.post("/v1/reports", json=REPORT_BODY, headers={"Prefer": "wait=10"})
        assert response.status_code == 200
        job = response.json()
        assert job["status"] == "failed"
        assert job["error"]["code"] == "error"
        assert "failed unexpectedly" in job["error"]["message"]
        assert "stand-in failure" not in job["error"]["message"]  # internals stay in the log
        assert job["result"] is None


@pytest.mark.anyio
@pytest.mark.usefixtures("short_nap")
async def test_cancel_running_then_409_then_404() -> None:
    async with asgi_client(app_for("nap")) as client:
        job = (await client.post("/v1/reports", json=REPORT_BODY)).json()
        await until_status(client, job["id"], "running")
        cancelled = await client.delete(f"/v1/reports/{job['id']}")
        assert cancelled.status_code == 200
        assert cancelled.json()["status"] == "cancelled"
        assert cancelled.json()["error"]["code"] == "cancelled"

        again = await client.delete(f"/v1/reports/{job['id']}")
        assert again.status_code == 409
        assert again.json()["error"]["code"] == "job_final"

        unknown = await client.delete("/v1/reports/no-such-job")
        assert unknown.status_code == 404
        assert unknown.json()["error"]["code"] == "job_not_found"


@pytest.mark.anyio
async def test_unknown_job_is_404_in_the_error_shape() -> None:
    async with asgi_client(app_for("quick")) as client:
        for url in ("/v1/reports/nope", "/v1/reports/nope/events", "/v1/reports/nope/document"):
            response = await client.get(url)
            assert response.status_code == 404, url
            body = response.json()
            assert set(body) == {"error"}
            assert body["error"]["code"] == "job_not_found"
            assert "nope" in body["error"]["message"]
            assert body["error"]["details"] == []
            assert body["error"]["request_id"] == response.headers["X-Request-ID"]


@pytest.mark.anyio
async def test_list_is_newest_first_and_paginated() -> None:
    async with asgi_client(app_for("quick")) as client:
        ids = []
        for _ in range(5):
            response = await client.post(
                "/v1/reports", json=REPORT_BODY, headers={"Prefer": "wait=10"}
            )
            ids.append(response.json()["id"])
        newest_first = list(reversed(ids))

        seen: list[str] = []
        url: str | None = "/v1/reports?limit=2"
        pages = 0
        while url is not None:
            page = (await client.get(url)).json()
            pages += 1
            assert len(page["items"]) <= 2
            assert all("result" not in item for item in page["items"])
            seen += [item["id"] for item in page["items"]]
            url = page["links"]["next"]
            assert (url is None) == (page["next_cursor"] is None)
        assert seen == newest_first
        assert pages == 3

        succeeded = (await client.get("/v1/reports?status=succeeded")).json()
        assert [i["id"] for i in succeeded["items"]] == newest_first
        assert (await client.get("/v1/reports?status=failed")).json()["items"] == []


@pytest.mark.anyio
async def test_list_rejects_bad_query_parameters() -> None:
    async with asgi_client(app_for("quick")) as client:
        bad_status = await client.get("/v1/reports?status=done")
        assert bad_status.status_code == 422
        (detail,) = bad_status.json()["error"]["details"]
        assert (detail["field"], detail["location"]) == ("status", "query")

        bad_limit = await client.get("/v1/reports?limit=0")
        assert bad_limit.status_code == 422
        assert bad_limit.json()["error"]["details"][0]["field"] == "limit"

        # Characters no cursor has: invalid input (422); a well-formed cursor this server did
        # not issue: 400 invalid_cursor.
        bad_chars = await client.get("/v1/reports?cursor=garbage!")
        assert bad_chars.status_code == 422
        bad_cursor = await client.get("/v1/reports?cursor=garbage")
        assert bad_cursor.status_code == 400
        assert bad_cursor.json()["error"]["code"] == "invalid_cursor"


@pytest.mark.anyio
async def test_events_stream_status_and_progress_until_final() -> None:
    async with asgi_client(app_for("staged")) as client:
        job = (await client.post("/v1/reports", json=REPORT_BODY)).json()
        events = []
        async with aconnect_sse(client, "GET", job["links"]["events"]) as source:
            assert source.response.headers["content-type"].startswith("text/event-stream")
            async for sse in source.aiter_sse():
                events.append((sse.event, sse.json(), sse.retry))
        kinds = [kind for kind, _, _ in events]
        snapshots = [data for _, data, _ in events]
        assert kinds[0] == "status"
        assert events[0][2] == 2000  # retry: sent once, first
        assert snapshots[-1]["status"] == "succeeded"
        assert snapshots[-1]["result"] == {"stages": 4}
        assert "progress" in kinds
        stages = [s["progress"]["stage"] for s in snapshots]
        assert {"hazards", "narrative"} <= set(stages)
        fractions = [s["progress"]["fraction"] for s in snapshots if s["status"] == "running"]
        assert fractions == sorted(fractions)
        # A status event marks each change of status, and only those.
        statuses = [s["status"] for s in snapshots]
        for i, kind in enumerate(kinds[1:], start=1):
            assert (kind == "status") == (statuses[i] != statuses[i - 1])


@pytest.mark.anyio
async def test_events_of_a_finished_job_is_one_final_event() -> None:
    async with asgi_client(app_for("quick")) as client:
        job = (
            await client.post("/v1/reports", json=REPORT_BODY, headers={"Prefer": "wait=10"})
        ).json()
        async with aconnect_sse(client, "GET", job["links"]["events"]) as source:
            events = [sse async for sse in source.aiter_sse()]
        assert [(e.event, e.json()["status"]) for e in events] == [("status", "succeeded")]


@pytest.mark.anyio
async def test_documents_by_format_and_by_accept() -> None:
    async with asgi_client(app_for("with_documents")) as client:
        job = (
            await client.post("/v1/reports", json=REPORT_BODY, headers={"Prefer": "wait=10"})
        ).json()
        url = job["links"]["document"]

        pdf = await client.get(url, params={"format": "pdf"})
        assert pdf.status_code == 200
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        assert f"report-{job['id']}.pdf" in pdf.headers["content-disposition"]

        html = await client.get(url, headers={"Accept": "text/html,*/*;q=0.8"})
        assert html.headers["content-type"].startswith("text/html")
        assert html.text == "<h1>report</h1>"

        md = await client.get(url, headers={"Accept": "text/markdown"})
        assert md.text == "# 보고서\n"

        as_json = await client.get(url)
        assert as_json.headers["content-type"] == "application/json"
        assert as_json.json() == {"summary": {"dominant_hazards": ["heat_wave"]}}

        # format= wins over Accept.
        forced = await client.get(url, params={"format": "md"}, headers={"Accept": "text/html"})
        assert forced.text == "# 보고서\n"

        refused = await client.get(url, headers={"Accept": "image/png"})
        assert refused.status_code == 406
        assert refused.json()["error"]["code"] == "not_acceptable"

        bad_format = await client.get(url, params={"format": "docx"})
        assert bad_format.status_code == 422
        assert bad_format.json()["error"]["details"][0]["field"] == "format"


@pytest.mark.anyio
@pytest.mark.usefixtures("short_nap")
async def test_document_is_409_until_succeeded_and_404_when_missing() -> None:
    async with asgi_client(app_for("nap")) as client:
        job = (await client.post("/v1/reports", json=REPORT_BODY)).json()
        early = await client.get(job["links"]["document"], params={"format": "pdf"})
        assert early.status_code == 409
        assert early.json()["error"]["code"] == "job_not_succeeded"
        await client.delete(job["links"]["self"])
        cancelled = await client.get(job["links"]["document"])
        assert cancelled.status_code == 409

    async with asgi_client(app_for("quick")) as client:
        job = (
            await client.post("/v1/reports", json=REPORT_BODY, headers={"Prefer": "wait=10"})
        ).json()
        missing = await client.get(job["links"]["document"], params={"format": "pdf"})
        assert missing.status_code == 404
        assert missing.json()["error"]["code"] == "document_not_found"


@pytest.mark.anyio
async def test_statuses_in_the_schema_match_the_engine() -> None:
    async with asgi_client(app_for("quick")) as client:
        spec = (await client.get("/openapi.json")).json()
    statuses = spec["components"]["schemas"]["JobStatus"]["enum"]
    assert statuses == [s.value for s in JobStatus]
