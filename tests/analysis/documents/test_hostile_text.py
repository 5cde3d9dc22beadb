"""Text from a request or an LLM is inert in every document: no link, no remote image, no
markup, no injected heading, no raw HTML in the Markdown, and a CSP on the page."""

from __future__ import annotations

import html
import re
from io import BytesIO
from typing import Any, Final

import pytest
from pypdf import PdfReader

from riskreport.analysis.documents import render_documents
from riskreport.analysis.job import narrate
from tests.analysis.narrative.reports import report_of

HOSTILE: Final = (
    "서울특별시 중구 세종대로 110 [verify](https://evil.example/login) "
    "![t](https://evil.example/t.png) <script>alert(1)</script> <img src=https://evil.example/i>"
    "\n# Injected heading\n- injected fact: grade A\r\n<https://evil.example/auto>"
)


@pytest.fixture(scope="module")
def documents() -> dict[str, tuple[str, bytes]]:
    report: dict[str, Any] = report_of("seoul_office", "en")
    report["location"]["input"]["address"] = HOSTILE
    narrated = narrate(report)
    # An LLM's prose would arrive the same way: through the narrative's sections.
    return render_documents(narrated, ["md", "html", "pdf"])


def test_the_markdown_keeps_no_raw_html_and_no_injected_block(
    documents: dict[str, tuple[str, bytes]],
) -> None:
    text = documents["md"][1].decode("utf-8")
    for raw in ("<script", "<img", "<https://evil"):
        assert raw not in text
    assert "&lt;script&gt;" in text  # shown, as text
    assert "](https://evil" not in text.replace("\\]", "")  # the bracket is escaped
    for line in text.splitlines():
        assert not line.startswith(("# Injected", "- injected", "-injected"))
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert all("Injected" not in heading for heading in headings)


def test_the_page_loads_nothing_and_links_nowhere(
    documents: dict[str, tuple[str, bytes]],
) -> None:
    page = documents["html"][1].decode("utf-8")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    assert "default-src 'none'" in html.unescape(policy.group(1))
    assert not re.search(r"<(?:a|img|script|link|iframe)\b[^>]*evil", page)
    assert "<script" not in page
    assert "<h1>Injected" not in page
    assert "<li>injected" not in page
    assert "evil.example/login" in page  # the text is still there, to be read


def test_the_pdf_has_no_link_to_the_address(documents: dict[str, tuple[str, bytes]]) -> None:
    reader = PdfReader(BytesIO(documents["pdf"][1]))
    uris = [
        str(annotation.get_object().get("/A", {}).get("/URI", ""))
        for page in reader.pages
        for annotation in page.get("/Annots", []) or []
    ]
    assert not [uri for uri in uris if "evil" in uri]
    text = "".join(page.extract_text() for page in reader.pages)
    assert "evil.example" in text
