"""Documents benchmark: the cost of each document of one report, and two PDF engines compared.

Run with ``python -m bench.documents [--repeat 5] [--no-write]``. The table lands in
``docs/benchmarks.md`` between the ``bench:documents`` markers.

One report of four scenarios and three horizons (the Busan warehouse of the tests, so every
table and chart is at its largest) is rendered in this process after the same warm-up a worker
does (``prepare``): the charts (drawn once, as SVG), the HTML page, the Markdown, and the PDF
typeset by Typst (the product's engine) from the same charts. WeasyPrint, the engine it
replaced, lays out the HTML page with those charts when it is installed. Each time is the
median of ``--repeat`` runs; the machine's load average is printed with them.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from bench.load import replace_section
from bench.servers import ROOT

DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:documents -->", "<!-- /bench:documents -->"
BODY: dict[str, Any] = {
    "target_location": {"address": "부산광역시 해운대구 우동 1406"},
    "building_info": {
        "structure": "steel",
        "use": "logistics",
        "year_built": 2008,
        "floors_above": 1,
        "floors_below": 1,
        "distance_to_coast_m": 150,
    },
    "analysis_params": {
        "scenarios": ["SSP1-2.6", "SSP2-4.5", "SSP3-7.0", "SSP5-8.5"],
        "horizons": [2030, 2050, 2100],
    },
    "language": "ko",
}


def median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, out


def measure(repeat: int) -> list[tuple[str, float, str]]:
    from riskreport.analysis.config import AnalysisConfig
    from riskreport.analysis.documents.charts import draw_charts
    from riskreport.analysis.documents.html import to_html
    from riskreport.analysis.documents.markdown import to_markdown
    from riskreport.analysis.documents.pdf import to_pdf
    from riskreport.analysis.job import narrate, prepare
    from riskreport.analysis.pipeline import compute
    from riskreport.analysis.request import ReportRequest

    prepare(AnalysisConfig())
    report = narrate(compute(ReportRequest.model_validate(BODY)))
    rows: list[tuple[str, float, str]] = []
    ms, charts = median_ms(lambda: draw_charts(report), repeat)
    assert isinstance(charts, list)
    rows.append(("charts (3, SVG, drawn once for HTML and PDF)", ms, f"{len(charts)} charts"))
    ms, page = median_ms(lambda: to_html(report, charts), repeat)
    rows.append(("HTML page (charts given)", ms, f"{len(str(page)) // 1024} KB"))
    ms, md = median_ms(lambda: to_markdown(report), repeat)
    rows.append(("Markdown", ms, f"{len(str(md)) // 1024} KB"))
    ms, pdf = median_ms(lambda: to_pdf(report, charts), repeat)
    assert isinstance(pdf, bytes)
    rows.append(("PDF, Typst (charts given)", ms, f"{len(pdf) // 1024} KB, {_pages(pdf)} pages"))
    ms, _ = median_ms(lambda: to_pdf(report), repeat)
    rows.append(("**PDF alone, Typst, charts included**", ms, "what a PDF request costs"))
    try:
        import weasyprint  # the engine Typst replaced; not a dependency any more
    except ImportError:
        rows.append(("PDF, WeasyPrint", float("nan"), "not installed"))
    else:
        ms, old = median_ms(lambda: weasyprint.HTML(string=str(page)).write_pdf(), repeat)
        assert isinstance(old, bytes)
        rows.append(
            ("PDF, WeasyPrint (the same page)", ms, f"{len(old) // 1024} KB, {_pages(old)} pages")
        )
    return rows


def _pages(pdf: bytes) -> int:
    from io import BytesIO

    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)


def table(rows: list[tuple[str, float, str]], command: str, load: tuple[float, float]) -> str:
    lines = [
        BEGIN,
        "## Documents: one report of four scenarios, each document's cost",
        "",
        f"`{command}` on {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, 1-minute load average {load[0]:.1f} before and "
        f"{load[1]:.1f} after (the machine is shared): medians, in one warmed-up process.",
        "",
        "| step | median (ms) | notes |",
        "|---|---:|---|",
    ]
    lines += [f"| {name} | {ms:.0f} | {notes} |" for name, ms, notes in rows]
    lines.append(END)
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.documents", description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per step (median)")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the doc")
    args = parser.parse_args(argv)
    before = os.getloadavg()[0]
    rows = measure(args.repeat)
    command = "python -m bench.documents " + " ".join(argv or sys.argv[1:])
    section = table(rows, command.strip(), (before, os.getloadavg()[0]))
    print(section)
    if not args.no_write:
        replace_section(section, BEGIN, END, DOC)


if __name__ == "__main__":
    main()
