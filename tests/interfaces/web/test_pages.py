"""The web pages in a real browser against the real app: form, progress, report, PDF, errors."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.timeout(90)]

JOB_URL = re.compile(r"/reports/[0-9a-f]{32}$")
# Records every text the stage line shows, so a test can see the stages move even if one of
# them passes between two of its own looks.
STAGE_RECORDER = """
window.__stages = [];
document.addEventListener("DOMContentLoaded", () => {
  const el = document.getElementById("stage-text");
  if (!el) return;
  const note = () => {
    const text = el.textContent.trim();
    if (window.__stages[window.__stages.length - 1] !== text) window.__stages.push(text);
  };
  new MutationObserver(note).observe(el, {childList: true, characterData: true, subtree: true});
});
"""
BODY = {
    "target_location": {"address": "부산광역시 해운대구"},
    "building_info": {"use": "commercial"},
    "language": "en",
}


def test_a_korean_address_becomes_a_report_with_a_pdf(page: Page, server: str) -> None:
    page.add_init_script(STAGE_RECORDER)
    page.goto(f"{server}/?lang=ko")
    expect(page.locator("h1")).to_have_text("새 보고서 만들기")
    page.fill('[data-path="target_location.address"]', "부산광역시 해운대구 해운대해변로 264")
    page.select_option('[data-path="building_info.use"]', "commercial")
    page.click('[data-testid="submit"]')

    page.wait_for_url(JOB_URL)
    frame = page.get_by_test_id("report-frame")
    expect(frame).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("job-status")).to_have_text("완료")

    stages: list[str] = page.evaluate("window.__stages")
    hazards, narrative = "재해별 위험 계산", "보고서 문안 작성"
    assert hazards in stages, stages
    assert stages.index(hazards) < stages.index(narrative)
    # the documents are rendered when the page asks for them, after the job is done
    assert "문서 생성 (HTML·PDF)" not in stages, stages

    # The report document (issue 4's HTML) is shown in the page, in Korean.
    report = page.frame_locator('[data-testid="report-frame"]')
    expect(report.locator("body")).to_contain_text("해운대구")

    with page.expect_download() as download:
        page.get_by_test_id("download-pdf").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 10_000


def test_the_api_422_is_shown_next_to_each_bad_field(page: Page, server: str) -> None:
    page.goto(f"{server}/?lang=ko")
    page.fill('[data-path="building_info.year_built"]', "1700")
    page.fill('[data-path="building_info.floors_above"]', "열두")
    page.click('[data-testid="submit"]')

    year = page.locator('[data-error-for="building_info.year_built"]')
    expect(year).to_be_visible()
    expect(year).to_have_text("1800 이상이어야 합니다.")
    floors = page.locator('[data-error-for="building_info.floors_above"]')
    expect(floors).to_contain_text("정수")
    expect(page.get_by_test_id("form-banner-text")).to_have_text("표시된 항목을 고쳐 주세요.")
    expect(page.locator('[data-field="building_info.year_built"]')).to_have_class(
        re.compile(r"\binvalid\b")
    )
    assert page.url.endswith("/?lang=ko")  # nothing was submitted

    # Fixing the fields clears the messages on the next try.
    page.fill('[data-path="building_info.year_built"]', "1998")
    page.fill('[data-path="building_info.floors_above"]', "12")
    page.click('[data-testid="submit"]')
    page.wait_for_url(JOB_URL)


def test_coordinates_errors_land_on_the_coordinate_fields(page: Page, server: str) -> None:
    page.goto(f"{server}/?lang=en")
    page.get_by_text("Latitude / longitude").click()
    expect(page.locator('[data-path="target_location.address"]')).to_be_hidden()
    page.fill('[data-path="target_location.lat"]', "10.5")
    page.fill('[data-path="target_location.lon"]', "129.1")
    page.click('[data-testid="submit"]')
    lat = page.locator('[data-error-for="target_location.lat"]')
    expect(lat).to_be_visible()
    expect(lat).to_contain_text("outside Korea")


def test_a_busy_service_says_so_retries_and_a_timeout_reads_well(
    page: Page, busy_server: str
) -> None:
    # Fill the only slot, so that the form's report is refused with 429 and Retry-After.
    first = httpx.post(f"{busy_server}/v1/reports", json=BODY, timeout=10).json()
    page.goto(f"{busy_server}/?lang=en")
    page.click('[data-testid="submit"]')
    banner = page.get_by_test_id("form-banner-text")
    expect(banner).to_contain_text(re.compile(r"The service is busy; retrying in \d+ s\."))
    expect(page.locator("#banner-retry")).to_be_visible()

    # The first report times out (2 s), the slot frees, the page retries by itself and lands on
    # its job page; that slow report times out too, and the page says so with a retry button.
    page.wait_for_url(JOB_URL, timeout=20_000)
    assert first["id"] not in page.url
    error = page.get_by_test_id("job-error")
    expect(error).to_contain_text("ran longer than allowed", timeout=20_000)
    expect(page.get_by_test_id("job-status")).to_have_text("Timed out")
    expect(page.get_by_test_id("retry")).to_be_visible()


def test_the_list_shows_recent_reports_with_filters(page: Page, server: str) -> None:
    done = httpx.post(
        f"{server}/v1/reports", json=BODY, headers={"Prefer": "wait=30"}, timeout=40
    ).json()
    assert done["status"] == "succeeded"
    page.goto(f"{server}/reports?lang=en")
    row = page.locator(f'tr[data-id="{done["id"]}"]')
    expect(row).to_contain_text("Finished")
    expect(row).to_contain_text("Busan Haeundae-gu")  # filled in from the finished report
    expect(row.locator("td.grade")).to_have_text(re.compile(r"^[A-E]$"))

    page.get_by_test_id("status-filter").select_option("failed")
    expect(row).to_have_count(0)
    expect(page.locator("#list-empty")).to_be_visible()
    page.get_by_test_id("status-filter").select_option("succeeded")
    expect(row).to_be_visible()

    row.get_by_role("link").click()
    expect(page.get_by_test_id("job-status")).to_have_text("Finished")


def test_the_language_choice_is_remembered(page: Page, server: str) -> None:
    page.goto(f"{server}/?lang=ko")
    expect(page.locator("h1")).to_have_text("새 보고서 만들기")
    page.get_by_test_id("lang-switch").click()
    expect(page.locator("h1")).to_have_text("Create a report")
    page.goto(f"{server}/reports")  # no ?lang: the cookie decides
    expect(page.locator("h1")).to_have_text("Recent reports")
    page.goto(f"{server}/?lang=ko")


def test_an_unknown_report_is_a_clear_message(page: Page, server: str) -> None:
    page.goto(f"{server}/reports/{'0' * 32}?lang=en")
    expect(page.get_by_test_id("job-error")).to_have_text("There is no report with this id.")


def test_the_page_reads_figures_of_both_report_schemas(page: Page, server: str) -> None:
    # A report on coordinates outside every municipality is placed by its lat/lon: a figure
    # [value, kind] in the lean JSON (schema 2), an object in results stored as schema 1.
    page.goto(f"{server}/reports?lang=en")
    lean = {"lat": [35.16, "q0"], "lon": [129.16, "q0"]}
    verbose = {
        axis: {"value": value, "unit": "deg", "provenance": "user_input", "source": "user-input"}
        for axis, value in (("lat", 35.16), ("lon", 129.16))
    }
    for location in (lean, verbose):
        place = page.evaluate("loc => RR.placeOf({result: {location: loc}})", location)
        assert place == "35.1600, 129.1600"
    assert page.evaluate("RR.num([1, 2])") is None  # a list that is no figure
