"""Report size: bytes of one report's JSON, lean (schema 2) against verbose (schema 1).

Run with ``python -m bench.report_size [--no-write]``. The table lands in
``docs/report-schema.md`` between the ``bench:report_size`` markers; byte counts do not depend on
the machine. The CPU time of the conversions (``expand``, the narrative's rebuild) is printed,
not written: it is a figure of this machine.

The report is the Busan office of docs/report-schema.md (35.16 N 129.16 E, ten floors, one
below, KRW 10 billion, ``en``) with the template's narrative, for 2 scenarios (the default) and
4 scenarios x 3 horizons. The verbose form is what the service stored and served as schema 1:
every figure a quantity object, the narrative with every section and its Markdown.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from bench.load import replace_section
from bench.servers import ROOT
from riskreport.analysis.narrative.template import TemplateWriter
from riskreport.analysis.narrative.writer import Unlimited
from riskreport.analysis.pipeline import assess
from riskreport.analysis.request import ReportRequest
from riskreport.domain.lean_json import expand

DOC = ROOT / "docs" / "report-schema.md"
BEGIN, END = "<!-- bench:report_size -->", "<!-- /bench:report_size -->"
BODY: dict[str, Any] = {
    "target_location": {"lat": 35.16, "lon": 129.16},
    "building_info": {
        "structure": "reinforced_concrete",
        "floors_above": 10,
        "floors_below": 1,
        "use": "office",
    },
    "asset_info": {"replacement_value_krw": 1e10},
    "language": "en",
}
SCENARIOS = {
    "2 scenarios x 3 horizons": ["SSP2-4.5", "SSP5-8.5"],
    "4 scenarios x 3 horizons": ["SSP1-2.6", "SSP2-4.5", "SSP3-7.0", "SSP5-8.5"],
}


def size(report: Any, *, compact: bool) -> int:
    """Bytes of ``report`` as JSON: with ``json.dumps``'s default separators, or compact (as
    the API and the JSON document write it)."""
    separators = (",", ":") if compact else None
    return len(json.dumps(report, ensure_ascii=False, separators=separators).encode())


def forms(scenarios: list[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(verbose, lean) results of one report with the template's narrative."""
    body = {**BODY, "analysis_params": {"scenarios": scenarios}}
    tree = assess(ReportRequest.model_validate(body))
    verbose = tree.as_verbose_dict()
    narrative = TemplateWriter().write(verbose, Unlimited())
    verbose_result = {**verbose, "schema_version": "1", "narrative": narrative.to_full_dict()}
    lean_result = {**tree.as_dict(), "narrative": narrative.to_dict()}
    return verbose_result, lean_result


def cpu_ms(call: Callable[[], object], repeat: int = 20) -> float:
    """CPU time of one ``call()`` in this process, the mean of ``repeat``."""
    start = time.process_time()
    for _ in range(repeat):
        call()
    return (time.process_time() - start) / repeat * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    lines = [
        "| request | separators | schema 1 (verbose) | schema 2 (lean) | ratio |",
        "|---|---|---|---|---|",
    ]
    for label, scenarios in SCENARIOS.items():
        verbose, lean = forms(scenarios)
        for compact, name in ((False, '`", "`, `": "`'), (True, '`","`, `":"` (the API)')):
            before, after = size(verbose, compact=compact), size(lean, compact=compact)
            lines.append(f"| {label} | {name} | {before:,} | {after:,} | {before / after:.2f}x |")
        expanding = cpu_ms(partial(expand, lean))
        rebuilding = cpu_ms(partial(TemplateWriter().complete, lean, lean["narrative"]))
        print(
            f"{label}: CPU per call: expand {expanding:.1f} ms, "
            f"the narrative's sections and Markdown rebuilt {rebuilding:.1f} ms"
        )
    table = "\n".join(lines)
    print(table)
    if not args.no_write:
        replace_section(f"{BEGIN}\n{table}\n{END}\n", BEGIN, END, DOC)


if __name__ == "__main__":
    main()
