"""The PDF document: the report typeset by Typst, Korean set in the CJK font, charts as SVG.

Typst (the ``typst`` package: the Typst compiler, in Rust) lays out the narrative's sections
(:mod:`.typst_markup`) with the same charts the HTML page shows, embedded as SVG: the charts
are drawn once for both documents. It reads only the fonts of the CJK font's folder and the
in-memory sources given to it: rendering never touches the network or another file. Measured
against WeasyPrint on the same report in ``docs/benchmarks.md``::

    data = to_pdf(report, draw_charts(report))  # b"%PDF-1.7..."
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

import typst

from riskreport.analysis.documents.charts import Chart, draw_charts
from riskreport.analysis.documents.fonts import CJK_FAMILIES, cjk_family, cjk_font_file
from riskreport.analysis.documents.markdown import writer_note
from riskreport.analysis.documents.narrative import narrative_of
from riskreport.analysis.documents.page import CHART_PLACES, place_of
from riskreport.analysis.documents.typst_markup import string, typst_markup
from riskreport.analysis.narrative.environment import labels
from riskreport.analysis.narrative.view import ReportView
from riskreport.analysis.narrative.writer import SECTIONS

# The grade's colour, as on the HTML page.
_GRADE_COLOURS: Final = {
    "A": "#1a9850",
    "B": "#66bd63",
    "C": "#d9a400",
    "D": "#f46d43",
    "E": "#d73027",
}
# Page setup and styles; the body follows. Sizes match the HTML page's print stylesheet.
_PREAMBLE: Final = """#set document(title: {title})
#set page(paper: "a4", margin: (top: 18mm, bottom: 20mm, x: 16mm),
  footer: context align(right, text(size: 8pt, fill: rgb("#666666"),
    counter(page).display("1 / 1", both: true))))
#set text(font: ({fonts}), size: 9.5pt, lang: "{language}", fill: rgb("#1a1a1a"))
#set par(leading: 0.7em, spacing: 1.1em)
#show heading.where(level: 1): set text(size: 17pt)
#show heading.where(level: 2): it => block(width: 100%, below: 0.8em, above: 1.6em,
  stroke: (bottom: 0.5pt + rgb("#dddddd")), inset: (bottom: 3pt), text(size: 12.5pt, it.body))
#show heading.where(level: 3): set text(size: 10.5pt)
#set table(stroke: 0.5pt + rgb("#cccccc"), inset: (x: 4pt, y: 3pt),
  fill: (_, y) => if y == 0 {{ rgb("#f2f5f8") }})
#show table: set text(size: 8pt)
#show table: set par(justify: false)
#show link: set text(fill: rgb("#0b5394"))
#show figure.caption: set text(size: 8.5pt, fill: rgb("#555555"))
"""

# One layout at a time per process: the compiler object is shared (its fonts load once), and a
# layout holds the GIL little (Rust) but the object is not documented as thread-safe.
_LAYOUT = threading.Lock()


@functools.cache
def _compiler() -> Any:
    # Only the CJK font's own folder: scanning every system font costs a cold start, and the
    # document names no other font (Typst's embedded fonts cover Latin and symbols).
    folder = str(Path(cjk_font_file()).parent)
    return typst.Compiler(font_paths=[folder], ignore_system_fonts=True)


def warm() -> None:
    """Load the compiler and its fonts once (a first PDF costs about a tenth of a second more)."""
    with _LAYOUT:
        _compiler().compile(
            input=b'#set text(font: "' + cjk_family().encode() + b'")\n\xec\xa4\x80\xeb\xb9\x84'
        )


def _source(report: Mapping[str, Any], charts: list[Chart]) -> tuple[str, dict[str, str]]:
    """The Typst source of ``report`` and its inputs (the charts' SVG, by name)."""
    view = ReportView.of(report)
    narrative = narrative_of(report)
    words = labels(view.language)
    grade = str(view.summary.get("overall_grade", ""))
    found = cjk_family()
    fonts = ", ".join(f'"{f}"' for f in (found, *(f for f in CJK_FAMILIES if f != found)))
    title = words["document"]["title"]
    parts = [
        _PREAMBLE.format(title=string(title)[1:], fonts=fonts, language=view.language),
        f"#heading(level: 1)[{string(title)}]",
        f'#text(fill: rgb("#444444"))[{string(place_of(view))}]',
        f"#block(above: 0.8em, below: 1.2em)[{string(words['document']['grade'])} "
        f'#box(fill: rgb("{_GRADE_COLOURS.get(grade, "#777777")}"), inset: (x: 5pt, y: 2pt),'
        f' radius: 3pt, text(fill: white, weight: "bold", {string(grade)[1:]})) '
        f"{string(words['grades'].get(grade, ''))}]",
        '#line(length: 100%, stroke: 1.5pt + rgb("#0072B2"))',
    ]
    inputs: dict[str, str] = {}
    for name in SECTIONS:
        parts.append(f"#heading(level: 2)[{string(words['sections'][name])}]")
        parts.append(typst_markup(str(narrative["sections"].get(name, ""))))
        for chart in (c for c in charts if CHART_PLACES.get(c.name) == name):
            inputs[chart.name] = chart.svg.decode("utf-8")
            parts.append(
                f'#figure(image(bytes(sys.inputs.at("{chart.name}")), format: "svg",'
                f" width: 100%), caption: [{string(chart.title)}])"
            )
    note = writer_note(report, narrative)
    version = f"{words['document']['model_version']} {report.get('model_version', '')} · riskreport"
    parts.append(
        '#line(length: 100%, stroke: 0.5pt + rgb("#dddddd"))\n'
        f'#text(size: 8pt, fill: rgb("#555555"))[{string(note)} \\ {string(version)}]'
    )
    return "\n\n".join(parts) + "\n", inputs


def to_pdf(report: Mapping[str, Any], charts: list[Chart] | None = None) -> bytes:
    """The PDF of ``report``; pass ``charts`` to reuse the ones the HTML page drew."""
    source, inputs = _source(report, draw_charts(report) if charts is None else charts)
    with _LAYOUT:
        data = _compiler().compile(input=source.encode("utf-8"), sys_inputs=inputs)
    if not isinstance(data, bytes):  # one document compiles to one PDF
        raise TypeError("Typst returned no PDF bytes")
    return data
