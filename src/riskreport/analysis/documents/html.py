"""The HTML document: one self-contained, print-friendly page with the charts inline.

The narrative's Markdown becomes HTML with raw HTML and images switched off; text from a request
(an address) or from an LLM reaches it already escaped (:mod:`..narrative.inert`), so it can never
inject markup, a link or a remote image. The page carries a Content-Security-Policy that lets it
load nothing but its inline style and ``data:`` images. Charts are SVG ``data:`` URIs::

    page = to_html(report)  # "<!doctype html>..."
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from typing import Any, Final

import jinja2
from markdown_it import MarkdownIt

from riskreport.analysis.documents.charts import Chart, draw_charts
from riskreport.analysis.documents.fonts import css_font_stack
from riskreport.analysis.documents.markdown import writer_note
from riskreport.analysis.documents.narrative import narrative_of
from riskreport.analysis.documents.page import CHART_PLACES, place_of
from riskreport.analysis.narrative.environment import labels
from riskreport.analysis.narrative.view import ReportView
from riskreport.analysis.narrative.writer import SECTIONS

PACKAGE: Final = "riskreport.analysis.documents"


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader(PACKAGE, "templates"),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@functools.cache
def _css() -> str:
    return (resources.files(PACKAGE) / "templates" / "report.css").read_text("utf-8")


# What a served page may load: its own inline style and data: images, nothing remote; no
# script, no form; only the service's own pages may frame it (the web page shows it in one).
# The same policy is sent as a header with the page (``riskreport.interfaces.api``) and
# written into the page for a copy opened from disk.
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'self'"
)
# In a <meta> tag browsers ignore frame-ancestors, and Chromium reports it as an error: the page
# states the rest (the header sent with it carries the whole policy).
META_POLICY: Final = CONTENT_SECURITY_POLICY.removesuffix("; frame-ancestors 'self'")


@functools.cache
def _markdown() -> MarkdownIt:
    # No raw HTML and no images: text that reaches the page can neither add markup nor make
    # the reader's browser (or the PDF renderer) fetch anything.
    return (
        MarkdownIt("commonmark", {"html": False, "typographer": False})
        .enable("table")
        .disable("image")
    )


def warm() -> None:
    """Compile the template, read the stylesheet, find the font (once per worker)."""
    _environment().get_template("report.html.j2")
    _css()
    _markdown()
    css_font_stack()


def to_html(report: Mapping[str, Any], charts: list[Chart] | None = None) -> str:
    """The page for ``report``; pass ``charts`` to reuse ones already drawn (by the PDF)."""
    view = ReportView.of(report)
    narrative = narrative_of(report)
    words = labels(view.language)
    drawn = draw_charts(report) if charts is None else charts
    sections = []
    for name in SECTIONS:
        text = narrative["sections"].get(name, "")
        sections.append(
            {
                "name": name,
                "title": words["sections"][name],
                "html": _markdown().render(text),
                "charts": [c for c in drawn if CHART_PLACES.get(c.name) == name],
            }
        )
    grade = str(view.summary.get("overall_grade", ""))
    # The headline case the grade comes from, and the worst requested case beside it.
    headline = view.summary.get("headline") or {}
    worst = view.summary.get("worst_case") or {}
    case = f"{headline['scenario']} · {headline['horizon']}" if headline else ""
    worst_case = f"{worst['scenario']} · {worst['horizon']}" if worst else ""
    return (
        _environment()
        .get_template("report.html.j2")
        .render(
            language=view.language,
            words=words["document"],
            place=place_of(view),
            grade=grade,
            grade_word=words["grades"].get(grade, ""),
            grade_case=case,
            worst=str(worst.get("grade", "")),
            worst_word=words["grades"].get(str(worst.get("grade", "")), ""),
            worst_case=worst_case,
            sections=sections,
            writer_note=writer_note(report, narrative),
            model_version=str(report.get("model_version", "")),
            css=_css(),
            csp=META_POLICY,
            font_stack=css_font_stack(),
        )
    )
