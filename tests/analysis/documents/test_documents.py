"""Documents from one report: Markdown, a self-contained HTML page with charts, a PDF with
Korean text, and the JSON itself."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from io import BytesIO
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from riskreport.analysis.documents import MEDIA_TYPES, DocumentFormat, render_documents
from riskreport.analysis.documents.charts import draw_charts
from riskreport.analysis.documents.html import to_html
from riskreport.analysis.documents.markdown import to_markdown
from riskreport.analysis.documents.narrative import narrative_of
from riskreport.analysis.job import narrate
from riskreport.analysis.narrative.environment import labels
from tests.analysis.narrative.reports import report_of


def narrated(name: str, language: str) -> dict[str, Any]:
    return narrate(report_of(name, language))


@pytest.fixture(scope="module")
def busan_ko_pdf() -> tuple[dict[str, Any], bytes]:
    report = narrated("busan_warehouse", "ko")
    documents = render_documents(report, ["pdf"])
    return report, documents["pdf"][1]


def test_media_types() -> None:
    assert DocumentFormat.PDF.media_type == "application/pdf"
    assert MEDIA_TYPES[DocumentFormat.HTML] == "text/html; charset=utf-8"
    assert MEDIA_TYPES[DocumentFormat.MD] == "text/markdown; charset=utf-8"
    assert MEDIA_TYPES[DocumentFormat.JSON] == "application/json"


def test_every_format_renders_in_the_order_asked() -> None:
    report = narrated("seoul_office", "en")
    seen: list[DocumentFormat] = []
    documents = render_documents(report, ["md", "json", "html", "pdf"], before_each=seen.append)
    assert list(documents) == ["md", "json", "html", "pdf"]
    assert seen == [DocumentFormat(f) for f in documents]
    for name, (media_type, data) in documents.items():
        assert media_type == DocumentFormat(name).media_type
        assert data
    assert json.loads(documents["json"][1]) == report
    assert documents["pdf"][1].startswith(b"%PDF-")


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="docx"):
        render_documents(narrated("seoul_office", "en"), ["docx"])


def test_markdown_is_the_narrative_and_who_wrote_it() -> None:
    report = narrated("seoul_office", "ko")
    text = to_markdown(report)
    assert text.startswith(narrative_of(report)["markdown"].rstrip())
    assert labels("ko")["document"]["written_by_template"] in text


def test_markdown_says_why_an_llm_answer_was_refused() -> None:
    report = narrated("seoul_office", "en")
    report["narrative"] = {
        **report["narrative"],
        "fallback_reason": "number_mismatch: 99.9% not in result",
        "model": "some-model",
    }
    text = to_markdown(report)
    assert "some-model" in text
    # the reason may quote the model: it is escaped like any outside text
    assert "number\\_mismatch: 99.9% not in result" in text


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_html_page_is_self_contained_with_three_charts(language: str) -> None:
    report = narrated("gangwon_house", language)
    page = to_html(report)
    assert page.startswith("<!doctype html>")
    assert f'<html lang="{language}">' in page
    # no external resource: every src is a data: URI
    sources = re.findall(r'src="([^"]+)"', page)
    assert len(sources) == 3
    assert all(s.startswith("data:image/svg+xml;base64,") for s in sources)
    assert "<link" not in page
    assert "<script" not in page
    titles = labels(language)["charts"]
    for name in ("eal_by_hazard", "total_by_horizon", "score_matrix"):
        assert f'id="chart-{name}"' in page
        assert titles[name] in page
    for section in labels(language)["sections"].values():
        assert f"<h2>{section}</h2>" in page
    assert "<table>" in page
    assert "@media print" in page


def test_text_from_the_request_or_an_llm_cannot_inject_markup() -> None:
    report = narrated("seoul_office", "en")
    report["narrative"]["sections"] = {
        **report["narrative"]["sections"],
        "summary": "Risky <script>alert(1)</script> **bold**",
    }
    report["location"]["input"] = {"address": "<img src=x onerror=alert(1)>"}
    page = to_html(report, charts=[])
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<strong>bold</strong>" in page
    assert "<img src=x" not in page


def test_charts_are_drawn_once_as_svg() -> None:
    charts = draw_charts(narrated("busan_warehouse", "ko"))
    assert [c.name for c in charts] == ["eal_by_hazard", "total_by_horizon", "score_matrix"]
    for chart in charts:
        assert chart.svg.lstrip().startswith(b"<?xml")
        assert b"<svg" in chart.svg
        assert chart.data_uri().startswith("data:image/svg+xml;base64,")


def test_the_pdf_embeds_the_charts_the_page_shows() -> None:
    report = narrated("seoul_office", "en")
    charts = draw_charts(report)
    documents = render_documents(report, ["html", "pdf"])
    page = documents["html"][1].decode("utf-8")
    assert all(chart.data_uri() in page for chart in charts)
    reader = PdfReader(BytesIO(documents["pdf"][1]))
    text = "".join(p.extract_text() for p in reader.pages)
    for chart in charts:
        assert chart.title in text  # each chart's caption, under its figure


def test_the_pdf_has_korean_headings_and_the_overall_grade(
    busan_ko_pdf: tuple[dict[str, Any], bytes],
) -> None:
    report, pdf = busan_ko_pdf
    text = "\n".join(page.extract_text() or "" for page in PdfReader(BytesIO(pdf)).pages)
    for heading in (
        "물리적 기후 위험 보고서",
        "요약",
        "종합 등급",
        "재해별 분석",
        "권고 사항",
        "출처",
    ):
        assert heading in text, heading
    grade = report["summary"]["overall_grade"]
    assert re.search(rf"종합\s*등급\s*{grade}", text)
    assert labels("ko")["grades"][grade] in text


def test_the_pdf_embeds_a_korean_font(busan_ko_pdf: tuple[dict[str, Any], bytes]) -> None:
    _, pdf = busan_ko_pdf
    reader = PdfReader(BytesIO(pdf))
    fonts: set[str] = set()
    for page in reader.pages:
        resources = page["/Resources"].get_object()
        assert isinstance(resources, DictionaryObject)
        page_fonts = resources["/Font"].get_object()
        assert isinstance(page_fonts, DictionaryObject)
        for font in page_fonts.values():
            described = font.get_object()
            assert isinstance(described, DictionaryObject)
            fonts.add(str(described["/BaseFont"]))
    assert any("Nanum" in f or "CJK" in f or "NotoSansKR" in f for f in fonts), fonts


def test_pdftotext_reads_the_korean_text_too(busan_ko_pdf: tuple[dict[str, Any], bytes]) -> None:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is missing: install poppler-utils (make system-deps)")
    _, pdf = busan_ko_pdf
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode("utf-8")
    assert "주요 위험과 원인" in text
    assert "데이터와 가정" in text
