"""The HTML document: one self-contained, print-friendly page with the charts inline.

The narrative's Markdown becomes HTML with raw HTML switched off, so text from a request (an
address) or from an LLM can never inject markup. Charts are SVG ``data:`` URIs::

    page = to_html(report)  # "<!doctype html>..."
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from typing import Any, Final

import jinja2
from markdown_it import MarkdownIt

from riskreport.analysis.documents.charts import Chart, ImageFormat, draw_charts
from riskreport.analysis.documents.fonts import css_font_stack
from riskreport.analysis.documents.markdown import writer_note
from riskreport.analysis.documents.narrative import narrative_of
from riskreport.analysis.narrative.environment import labels
from riskreport.analysis.narrative.view import ReportView
from riskreport.analysis.narrative.writer import SECTIONS

PACKAGE: Final = "riskreport.analysis.documents"
# Which section each chart follows.
CHART_PLACES: Final = {
    "eal_by_hazard": "discussion",
    "total_by_horizon": "scenarios",
    "score_matrix": "grade",
}


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


@functools.cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def warm() -> None:
    """Compile the template, read the stylesheet, find the font (once per worker)."""
    _environment().get_template("report.html.j2")
    _css()
    _markdown()
    css_font_stack()


def _place(view: ReportView) -> str:
    location = view.location
    given = location.get("input") or {}
    if given.get("address"):
        return str(given["address"])
    matched = location.get("matched")
    if matched:
        key = "ko" if view.language == "ko" else "en"
        return f"{matched[f'municipality_{key}']}, {matched[f'province_{key}']}"
    return f"{location.get('lat')}, {location.get('lon')}"


def to_html(
    report: Mapping[str, Any], charts: list[Chart] | None = None, image: ImageFormat = "svg"
) -> str:
    """The page for ``report``; pass ``charts`` to reuse ones already drawn, ``image="png"``
    for the page the PDF is laid out from."""
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
            place=_place(view),
            grade=grade,
            grade_word=words["grades"].get(grade, ""),
            grade_case=case,
            worst=str(worst.get("grade", "")),
            worst_word=words["grades"].get(str(worst.get("grade", "")), ""),
            worst_case=worst_case,
            sections=sections,
            writer_note=writer_note(report, narrative),
            model_version=str(report.get("model_version", "")),
            image=image,
            css=_css(),
            font_stack=css_font_stack(),
        )
    )
