"""``summary.csv``: one line per building of the portfolio, rewritten after every batch run.

Columns: ``row, name, location, status, grade, score, dominant_hazards``, one ``eal_krw``
column per scenario and horizon (``eal_krw SSP2-4.5 2050``), then ``files, job_id, error,
finished_at``. Rows never run have status ``pending``; rows that failed validation (with
``--skip-invalid``) have status ``invalid``. The file is UTF-8 with a byte-order mark, so
spreadsheet programs show the Korean names correctly. Use::

    write_summary(out_dir / "summary.csv", portfolio, journal)
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from riskreport.interfaces.commands.journal import Journal
from riskreport.interfaces.commands.outputs import write_file_atomically
from riskreport.interfaces.commands.portfolio import Portfolio

SUMMARY_NAME = "summary.csv"
LEADING = ["row", "name", "location", "status", "grade", "score", "dominant_hazards"]
TRAILING = ["files", "job_id", "error", "finished_at"]


def _location(body: Any) -> str:
    target = body.get("target_location", {}) if isinstance(body, dict) else {}
    if target.get("address"):
        return str(target["address"])
    if "lat" in target:
        return f"{target['lat']}, {target['lon']}"
    return ""


def summary_rows(portfolio: Portfolio, journal: Journal) -> tuple[list[str], list[dict[str, Any]]]:
    """The header and the lines of the summary, by row number."""
    lines: dict[int, dict[str, Any]] = {}
    eal_columns: dict[str, None] = {}
    for row in portfolio.rows:
        line: dict[str, Any] = {
            "row": row.row,
            "name": row.name,
            "location": _location(dict(row.body)),
            "status": "pending",
        }
        entry = journal.get(row.row)
        if entry is not None and entry.key == row.key:
            summary = entry.summary
            line.update(
                status=entry.status,
                grade=summary.get("grade") or "",
                score="" if summary.get("score") is None else summary["score"],
                dominant_hazards=";".join(summary.get("dominant_hazards") or []),
                files=";".join(entry.files),
                job_id=entry.job_id or "",
                error=entry.error or "",
                finished_at=entry.finished_at,
            )
            if summary.get("place"):
                line["location"] = summary["place"]
            for label, value in (summary.get("eal") or {}).items():
                column = f"eal_krw {label}"
                eal_columns.setdefault(column, None)
                line[column] = round(float(value))
        lines[row.row] = line
    for problem in portfolio.problems:
        if problem.row > 1 and problem.row not in lines:
            lines[problem.row] = {"row": problem.row, "status": "invalid", "error": str(problem)}
        elif problem.row > 1 and lines[problem.row]["status"] == "invalid":
            lines[problem.row]["error"] += f"; {problem}"
    # Baseline first, then scenario by scenario, horizons in time order.
    ordered = sorted(eal_columns, key=lambda c: (c != "eal_krw baseline", c))
    header = [*LEADING, *ordered, *TRAILING]
    return header, [lines[n] for n in sorted(lines)]


def write_summary(path: Path, portfolio: Portfolio, journal: Journal) -> None:
    """Write the summary atomically (a crash never leaves half a file)."""
    header, lines = summary_rows(portfolio, journal)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, restval="", lineterminator="\n")
    writer.writeheader()
    writer.writerows(lines)
    write_file_atomically(path, buffer.getvalue().encode("utf-8-sig"))
