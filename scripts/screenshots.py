"""Screenshots of the web pages for the docs: ``docs/img/{form,job-running,report,reports}.png``.

Run from the repository root (needs Debian's ``chromium``; Playwright drives it, it never
downloads a browser)::

    .venv/bin/python -m scripts.screenshots            # writes docs/img/*.png
    .venv/bin/python -m scripts.screenshots --out /tmp/shots

It starts the real app on a free loopback port with a throw-away SQLite file and the real report
job, paced (as in the browser tests) so that a running job can be caught mid-way.
"""

from __future__ import annotations

import argparse
import re
import tempfile
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, expect, sync_playwright
from tests.interfaces.cli.live_server import live_server, server_settings
from tests.interfaces.web.conftest import CHROMIUM_FLAGS, SLOW, chromium_path

from riskreport.bootstrap import report_initializer
from riskreport.engine.spec import JobSpec
from riskreport.interfaces.api.app import create_app

ROOT = Path(__file__).resolve().parents[1]
VIEWPORT = ViewportSize(width=1280, height=860)
ADDRESS = "부산광역시 해운대구 해운대해변로 264"


def shoot(page: Page, base_url: str, out: Path) -> None:
    page.goto(f"{base_url}/?lang=ko")
    page.fill('[data-path="target_location.address"]', ADDRESS)
    page.select_option('[data-path="building_info.use"]', "commercial")
    page.screenshot(path=out / "form.png", full_page=True)

    page.click('[data-testid="submit"]')
    page.wait_for_url(re.compile(r"/reports/[0-9a-f]{32}$"))
    expect(page.get_by_test_id("stage-text")).to_have_text("재해별 위험 계산", timeout=20_000)
    page.wait_for_timeout(600)  # let the bar and the elapsed time move a little
    page.screenshot(path=out / "job-running.png")

    expect(page.get_by_test_id("report-frame")).to_be_visible(timeout=60_000)
    page.wait_for_timeout(500)  # the frame sizes itself to its document on load
    page.screenshot(path=out / "report.png", clip={"x": 0, "y": 0, "width": 1280, "height": 1500})

    page.goto(f"{base_url}/reports?lang=ko")
    expect(page.locator("#reports-body tr").first).to_contain_text("완료")
    page.wait_for_timeout(300)
    page.screenshot(path=out / "reports.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="riskreport-shots-") as folder:
        settings = server_settings(Path(folder))
        app = create_app(
            settings, specs=[JobSpec("report", SLOW)], initializer=report_initializer(settings)
        )
        with (
            live_server(app) as base_url,
            tempfile.TemporaryDirectory(prefix="riskreport-chromium-") as profile,
            sync_playwright() as playwright,
        ):
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=chromium_path(),
                headless=True,
                args=CHROMIUM_FLAGS,
                viewport=VIEWPORT,
                locale="ko-KR",
                device_scale_factor=1,
            )
            try:
                shoot(context.new_page(), base_url, out)
            finally:
                context.close()
    for name in ("form", "job-running", "report", "reports"):
        print(out / f"{name}.png")


if __name__ == "__main__":
    main()
