"""Browser fixtures: Debian's Chromium driven by Playwright, and the real app on a loopback port.

Playwright never downloads a browser here: it drives the system Chromium (``make system-deps``
installs the Debian package) through ``executable_path``, headless, without a sandbox (tests run
as root in containers), with a fresh profile, and with every background network feature off so
the tests talk to nothing but the test server.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, sync_playwright

from riskreport.bootstrap import report_initializer, report_renderers
from riskreport.engine.spec import JobSpec
from riskreport.interfaces.api.app import create_app
from tests.interfaces.cli.live_server import live_server, server_settings

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PACED = "tests.interfaces.web.paced_report:run_paced"
SLOW = "tests.interfaces.web.paced_report:run_slow"


def chromium_path() -> str:
    """The system Chromium: ``$RISKREPORT_CHROMIUM``, else ``chromium`` on the PATH."""
    found = os.environ.get("RISKREPORT_CHROMIUM") or shutil.which("chromium")
    if not found or not Path(found).exists():
        pytest.fail(
            "Chromium is missing: the browser tests need the Debian package `chromium` "
            "(/usr/bin/chromium). Install it with `make system-deps` "
            "(apt-get install chromium), or point RISKREPORT_CHROMIUM at a Chromium binary.",
            pytrace=False,
        )
    return found


@pytest.fixture(scope="module")
def browser() -> Iterator[BrowserContext]:
    # Module scope, not session: Playwright's sync API keeps an event loop running in this
    # thread while it is open, and other tests (anyio.run in the CLI) need the thread free.
    executable = chromium_path()
    with (
        tempfile.TemporaryDirectory(prefix="riskreport-chromium-") as profile,
        sync_playwright() as playwright,
    ):
        context = playwright.chromium.launch_persistent_context(
            profile,
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS,
            accept_downloads=True,
            viewport={"width": 1200, "height": 900},
            locale="ko-KR",
        )
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser: BrowserContext) -> Iterator[Page]:
    page = browser.new_page()
    page.set_default_timeout(20_000)
    try:
        yield page
    finally:
        page.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app with the real report job, paced so that its stages can be seen."""
    settings = server_settings(tmp_path_factory.mktemp("web"))
    app = create_app(
        settings,
        specs=[JobSpec("report", PACED)],
        initializer=report_initializer(settings),
        renderers=report_renderers(settings),
    )
    with live_server(app) as base_url:
        yield base_url


@pytest.fixture(scope="module")
def busy_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One slot, no queue and a 2-second timeout: a second report is refused (429), and a slow
    report times out."""
    settings = server_settings(
        tmp_path_factory.mktemp("busy"), concurrency=1, queue_limit=0, job_timeout=2.0
    )
    app = create_app(
        settings, specs=[JobSpec("report", SLOW)], initializer=report_initializer(settings)
    )
    with live_server(app) as base_url:
        yield base_url
