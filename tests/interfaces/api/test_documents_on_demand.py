"""Documents on request: a report is done with its result; each document renders on its first
request in a runner, once however many clients ask at the same time, then comes from the store
with an ETag, a file name, its media type and (for the page) a Content-Security-Policy."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from riskreport.analysis.documents.html import CONTENT_SECURITY_POLICY as PAGE_POLICY
from riskreport.bootstrap import Services
from riskreport.engine.errors import ArtifactNotFound
from riskreport.interfaces.api.app import create_app
from riskreport.interfaces.api.security_headers import DOCUMENT_POLICY as CONTENT_SECURITY_POLICY
from tests.interfaces.api.harness import REPORT_BODY, asgi_client, settings

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(120)]


def services_of(app: FastAPI) -> Services:
    services: Services = app.state.services
    return services


async def finished_report(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.post("/v1/reports", json=REPORT_BODY, headers={"Prefer": "wait=60"})
    job: dict[str, Any] = response.json()
    assert job["status"] == "succeeded", job
    return job


@pytest.fixture
def app() -> FastAPI:
    return create_app(settings(runner="thread", job_timeout=60.0))


async def test_the_first_request_renders_and_the_second_comes_from_the_store(app: FastAPI) -> None:
    async with asgi_client(app) as client:
        job = await finished_report(client)
        engine, store = services_of(app).engine, services_of(app).store
        # done without documents: nothing rendered yet
        with pytest.raises(ArtifactNotFound):
            await store.get_artifact(job["id"], "pdf")
        assert engine.renders_started == 0

        first = await client.get(job["links"]["document"], params={"format": "pdf"})
        assert first.status_code == 200
        assert first.content.startswith(b"%PDF-")
        assert first.headers["content-type"] == "application/pdf"
        assert first.headers["content-disposition"] == f'inline; filename="report-{job["id"]}.pdf"'
        assert engine.renders_started == 1
        assert (await store.get_artifact(job["id"], "pdf")).data == first.content

        second = await client.get(job["links"]["document"], params={"format": "pdf"})
        assert second.content == first.content
        assert second.headers["etag"] == first.headers["etag"]
        assert engine.renders_started == 1  # from the store
        # the page shares the PDF's charts: it was made with it, drawn once
        page = await client.get(job["links"]["document"], params={"format": "html"})
        assert page.status_code == 200
        assert engine.renders_started == 1

        unchanged = await client.get(
            job["links"]["document"],
            params={"format": "pdf"},
            headers={"If-None-Match": first.headers["etag"]},
        )
        assert unchanged.status_code == 304
        assert unchanged.content == b""


async def test_two_concurrent_requests_render_once(app: FastAPI) -> None:
    async with asgi_client(app) as client:
        job = await finished_report(client)
        url = job["links"]["document"]
        pages = await asyncio.gather(
            client.get(url, params={"format": "html"}),
            client.get(url, headers={"Accept": "text/html"}),
        )
        assert [p.status_code for p in pages] == [200, 200]
        assert pages[0].content == pages[1].content
        assert services_of(app).engine.renders_started == 1
        page = pages[0]
        assert page.headers["content-type"] == "text/html; charset=utf-8"
        assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert page.headers["x-content-type-options"] == "nosniff"


async def test_the_page_and_its_header_state_the_same_policy() -> None:
    assert PAGE_POLICY == CONTENT_SECURITY_POLICY


async def test_eager_rendering_stores_the_documents_with_the_report() -> None:
    app = create_app(settings(runner="thread", job_timeout=60.0, documents_eager=True))
    async with asgi_client(app) as client:
        job = await finished_report(client)
        stored = await services_of(app).store.get_artifact(job["id"], "md")
        md = await client.get(job["links"]["document"], params={"format": "md"})
        assert md.content == stored.data
        assert md.headers["content-type"] == "text/markdown; charset=utf-8"
        assert services_of(app).engine.renders_started == 0


async def test_a_document_not_offered_is_404() -> None:
    app = create_app(settings(runner="thread", job_timeout=60.0, documents="md"))
    async with asgi_client(app) as client:
        job = await finished_report(client)
        pdf = await client.get(job["links"]["document"], params={"format": "pdf"})
        assert pdf.status_code == 404
        assert pdf.json()["error"]["code"] == "document_not_found"
        as_json = await client.get(job["links"]["document"], params={"format": "json"})
        assert as_json.headers["etag"].startswith('"')
        assert as_json.json()["summary"] == job["result"]["summary"]
