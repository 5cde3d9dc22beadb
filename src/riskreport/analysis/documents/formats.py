"""Document formats and their media types, and rendering a report into any of them.

    artifacts = render_documents(report, ("html", "md", "pdf"))
    artifacts["pdf"]  # ("application/pdf", b"%PDF-...")

The HTML and the PDF share one drawing of the charts, as SVG.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from enum import StrEnum
from typing import Any, Final

from riskreport.analysis.documents.charts import Chart, draw_charts
from riskreport.analysis.documents.html import to_html
from riskreport.analysis.documents.markdown import to_markdown
from riskreport.analysis.documents.narrative import verbose_report
from riskreport.analysis.documents.pdf import to_pdf
from riskreport.analysis.documents.structured import to_json


class DocumentFormat(StrEnum):
    """A document a report can be rendered to; the value is the ``?format=`` name."""

    JSON = "json"  # the structured report
    HTML = "html"  # one self-contained, print-friendly page with SVG charts
    PDF = "pdf"  # the report typeset for A4 by Typst, with the same SVG charts
    MD = "md"  # the narrative as Markdown

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self]


MEDIA_TYPES: Final[Mapping[DocumentFormat, str]] = {
    DocumentFormat.JSON: "application/json",
    DocumentFormat.HTML: "text/html; charset=utf-8",
    DocumentFormat.PDF: "application/pdf",
    DocumentFormat.MD: "text/markdown; charset=utf-8",
}


def render_documents(
    report: Mapping[str, Any],
    formats: Iterable[str | DocumentFormat],
    before_each: Callable[[DocumentFormat], None] | None = None,
) -> dict[str, tuple[str, bytes]]:
    """``{format: (media_type, data)}`` for each of ``formats``, in the order given.

    ``before_each(format)`` runs before each document: a job reports progress and checks for
    cancellation there (a PDF takes about a second).
    """
    wanted = [DocumentFormat(f) for f in formats]
    documents: dict[str, tuple[str, bytes]] = {}
    charts: list[Chart] | None = None
    full: Mapping[str, Any] | None = None  # the verbose report, made once for the layouts
    for fmt in wanted:
        if before_each is not None:
            before_each(fmt)
        if fmt is DocumentFormat.JSON:
            data = to_json(report)  # the report JSON as the API gives it
            documents[fmt.value] = (fmt.media_type, data)
            continue
        full = full if full is not None else verbose_report(report)
        if fmt is DocumentFormat.MD:
            data = to_markdown(full).encode("utf-8")
        else:
            charts = charts if charts is not None else draw_charts(full)
            if fmt is DocumentFormat.HTML:
                data = to_html(full, charts).encode("utf-8")
            else:
                data = to_pdf(full, charts)
        documents[fmt.value] = (fmt.media_type, data)
    return documents
