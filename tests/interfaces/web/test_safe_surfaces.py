"""Under their Content-Security-Policy, in a real browser: the API docs run from local assets
only, and the job page still shows its report document."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, Request, expect

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]

JOB_URL = re.compile(r"/reports/[0-9a-f]{32}$")


def watch(page: Page, server: str) -> tuple[list[str], list[str]]:
    """Collect console errors (CSP violations land there) and requests to other origins."""
    errors: list[str] = []
    elsewhere: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    def on_request(request: Request) -> None:
        if not request.url.startswith((server, "data:")):
            elsewhere.append(request.url)

    page.on("console", on_console)
    page.on("request", on_request)
    return errors, elsewhere


def test_the_api_docs_load_from_this_server_under_the_policy(page: Page, server: str) -> None:
    errors, elsewhere = watch(page, server)
    page.goto(f"{server}/docs")
    # Swagger UI rendered the OpenAPI document: the report operations are listed.
    expect(page.locator(".opblock-summary-path").first).to_be_visible()
    expect(page.get_by_text("/v1/reports/{job_id}/events")).to_be_visible()
    assert elsewhere == []
    assert errors == []


def test_the_job_page_shows_its_document_under_the_policies(page: Page, server: str) -> None:
    errors, elsewhere = watch(page, server)
    page.goto(f"{server}/?lang=en")
    page.fill('[data-path="target_location.address"]', "부산광역시 해운대구 해운대해변로 264")
    page.click('[data-testid="submit"]')
    page.wait_for_url(JOB_URL)
    report = page.frame_locator('[data-testid="report-frame"]')
    expect(report.locator("body")).to_contain_text("Haeundae", timeout=30_000)
    expect(report.locator("img").first).to_be_visible()  # charts are data: images
    assert elsewhere == []
    assert errors == []
