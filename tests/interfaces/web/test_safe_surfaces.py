"""Under their Content-Security-Policy, in a real browser: the API docs run from local assets
only, and the job page still shows its report document."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import ConsoleMessage, Dialog, Page, Request, expect

from riskreport.bootstrap import report_initializer, report_renderers
from riskreport.engine.spec import JobSpec
from riskreport.interfaces.api.app import create_app
from tests.interfaces.cli.live_server import live_server, server_settings
from tests.interfaces.web.conftest import PACED

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


KEY = "web-secret-0123456789abcdef"


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with API keys on."""
    settings = server_settings(tmp_path_factory.mktemp("keyed"), api_keys=f"web={KEY}")
    app = create_app(
        settings,
        specs=[JobSpec("report", PACED)],
        initializer=report_initializer(settings),
        renderers=report_renderers(settings),
    )
    with live_server(app) as base_url:
        yield base_url


def test_with_keys_on_the_page_asks_once_and_the_session_carries_the_key(
    page: Page, keyed_server: str
) -> None:
    asked: list[str] = []

    def answer(dialog: Dialog) -> None:
        asked.append(dialog.message)
        dialog.accept(KEY)

    page.on("dialog", answer)
    page.goto(f"{keyed_server}/?lang=en")
    page.fill('[data-path="target_location.address"]', "부산광역시 해운대구 해운대해변로 264")
    page.click('[data-testid="submit"]')
    page.wait_for_url(JOB_URL)
    # The event stream and the report frame work with the session cookie alone.
    report = page.frame_locator('[data-testid="report-frame"]')
    expect(report.locator("body")).to_contain_text("Haeundae", timeout=30_000)
    page.goto(f"{keyed_server}/reports?lang=en")
    expect(page.locator("tbody tr").first).to_be_visible()
    assert len(asked) == 1, asked  # once per browser session
    assert "API key" in asked[0]
