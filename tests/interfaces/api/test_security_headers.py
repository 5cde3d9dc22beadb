"""Security headers on every HTML answer; the API docs from this server, no CDN."""

from __future__ import annotations

import re

import pytest

from riskreport.interfaces.api.security_headers import DOCUMENT_POLICY, PAGE_POLICY
from tests.interfaces.api.harness import REPORT_BODY, app_for, asgi_client

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


@pytest.mark.parametrize("path", ["/", "/reports", "/reports/0123abcd", "/docs"])
async def test_every_page_has_the_security_headers(path: str) -> None:
    async with asgi_client(app_for("quick")) as client:
        response = await client.get(path)
    assert response.headers["content-type"].startswith("text/html")
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"


async def test_a_report_document_runs_no_script_and_is_framed_only_here() -> None:
    async with asgi_client(app_for("with_documents")) as client:
        job = (
            await client.post("/v1/reports", json=REPORT_BODY, headers={"Prefer": "wait=10"})
        ).json()
        html = await client.get(job["links"]["document"], params={"format": "html"})
        as_json = await client.get(job["links"]["document"])
    assert html.status_code == 200
    assert html.headers["Content-Security-Policy"] == DOCUMENT_POLICY
    assert "script-src" not in DOCUMENT_POLICY  # default-src 'none' forbids every script
    assert html.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert html.headers["X-Content-Type-Options"] == "nosniff"
    # JSON answers get nosniff, but no page policy.
    assert as_json.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in as_json.headers


async def test_the_docs_page_loads_swagger_ui_from_this_server() -> None:
    async with asgi_client(app_for("quick")) as client:
        page = await client.get("/docs")
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assets = {src: await client.get(src) for src in sources}
        redoc = await client.get("/redoc")
    assert sources
    assert all(src.startswith("/") for src in sources), sources  # nothing from elsewhere
    assert "<script>" not in page.text  # no inline script: the policy forbids them
    assert {src: r.status_code for src, r in assets.items()} == dict.fromkeys(sources, 200)
    bundle = assets["/docs/assets/swagger-ui-bundle.js"]
    assert len(bundle.content) > 500_000
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert redoc.status_code == 404  # ReDoc only exists on a CDN
    assert PAGE_POLICY in page.headers["Content-Security-Policy"].replace(
        "style-src 'self' 'unsafe-inline'", "style-src 'self'"
    )
