"""Running a portfolio: every row not already done, ``concurrency`` at a time, journaled.

Use::

    with Journal.open(out_dir) as journal:
        tally = await run_rows(rows, reports, journal, out_dir=out_dir, formats=("json", "md"),
                               concurrency=4, display=display)

Each finished row writes its files first and its journal line second, so a row is either
complete on disk or runs again on the next attempt. A failure of one building (a failed job, a
request the server rejects) is that row's result; an unreachable server stops the batch.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread

from riskreport.interfaces.commands.client import ApiError
from riskreport.interfaces.commands.journal import Entry, Journal
from riskreport.interfaces.commands.outputs import result_json, write_atomically
from riskreport.interfaces.commands.portfolio import PortfolioRow
from riskreport.interfaces.commands.report_table import place_of, quantity
from riskreport.interfaces.commands.runs import Finished, Reports, StillBusy


class RowDisplay:
    """What the batch tells the person; the default says nothing (tests, ``--quiet``)."""

    def started(self, row: PortfolioRow) -> None:
        """A row began running."""

    def progressed(self, row: PortfolioRow, snapshot: Mapping[str, Any]) -> None:
        """A running row's job moved on."""

    def finished(self, row: PortfolioRow, entry: Entry) -> None:
        """A row ended (its journal line is written)."""

    def skipped(self, row: PortfolioRow) -> None:
        """A row was done in an earlier run and is not run again."""


@dataclass(slots=True)
class Tally:
    skipped: int = 0  # done in an earlier run
    succeeded: int = 0
    failed: int = 0


def summary_of(result: Mapping[str, Any] | None) -> dict[str, Any]:
    """The few numbers of a report the summary CSV shows (kept in the journal)."""
    if not result:
        return {}
    summary = result.get("summary") or {}
    eal: dict[str, float] = {}
    totals = summary.get("total_eal") if isinstance(summary, Mapping) else None
    if isinstance(totals, Mapping):
        for scenario, by_horizon in totals.items():
            if isinstance(by_horizon, Mapping):
                for horizon, q in by_horizon.items():
                    value = quantity(q)
                    if value is not None:
                        label = "baseline" if scenario == "baseline" else f"{scenario} {horizon}"
                        eal[label] = value
    return {
        "place": place_of(result),
        "grade": summary.get("overall_grade") if isinstance(summary, Mapping) else None,
        "score": quantity(summary.get("overall_score")) if isinstance(summary, Mapping) else None,
        "dominant_hazards": list(summary.get("dominant_hazards") or [])
        if isinstance(summary, Mapping)
        else [],
        "eal": eal,
    }


async def _write_files(
    row: PortfolioRow, finished: Finished, out_dir: Path, formats: Sequence[str]
) -> tuple[str, ...]:
    written = []
    for fmt in formats:
        name = f"{row.slug}.{fmt}"
        data = result_json(finished.result or {}) if fmt == "json" else finished.documents[fmt]
        await write_atomically(out_dir / name, data)
        written.append(name)
    return tuple(written)


async def run_row(
    row: PortfolioRow,
    reports: Reports,
    journal: Journal,
    *,
    out_dir: Path,
    formats: Sequence[str],
    display: RowDisplay,
) -> Entry:
    """Run one row to its end and journal it; returns the journal entry."""
    display.started(row)

    def on_snapshot(snapshot: Mapping[str, Any]) -> None:
        display.progressed(row, snapshot)

    try:
        finished = await reports.run(row.body, formats=formats, on_snapshot=on_snapshot)
    except ApiError as exc:
        # The server refused this building (e.g. a rule it has and this client does not):
        # the row fails, the batch goes on.
        details = "; ".join(
            f"{d.get('field') or ''}: {d.get('message') or ''}".strip(": ") for d in exc.details
        )
        error = exc.message + (f" ({details})" if details else "")
        entry = Entry(row=row.row, key=row.key, status="rejected", name=row.name, error=error)
    except StillBusy as exc:
        error = f"the service stayed busy: {exc}"
        entry = Entry(row=row.row, key=row.key, status="busy", name=row.name, error=error)
    else:
        files: tuple[str, ...] = ()
        if finished.succeeded:
            files = await _write_files(row, finished, out_dir, formats)
        entry = Entry(
            row=row.row,
            key=row.key,
            status=finished.status,
            name=row.name,
            job_id=finished.job_id,
            files=files,
            error=finished.error,
            summary=summary_of(finished.result),
        )
    await anyio.to_thread.run_sync(journal.record, entry)
    display.finished(row, entry)
    return entry


async def run_rows(
    rows: Sequence[PortfolioRow],
    reports: Reports,
    journal: Journal,
    *,
    out_dir: Path,
    formats: Sequence[str],
    concurrency: int,
    display: RowDisplay,
    on_skip: Callable[[PortfolioRow], None] | None = None,
) -> Tally:
    """Run every row the journal does not have as done, at most ``concurrency`` at once."""
    tally = Tally()
    todo = []
    for row in rows:
        if journal.is_done(row.row, row.key):
            tally.skipped += 1
            if on_skip is not None:
                on_skip(row)
        else:
            todo.append(row)
    slots = anyio.Semaphore(concurrency)

    async def one(row: PortfolioRow) -> None:
        async with slots:
            entry = await run_row(
                row, reports, journal, out_dir=out_dir, formats=formats, display=display
            )
        if entry.status == "succeeded":
            tally.succeeded += 1
        else:
            tally.failed += 1

    async with anyio.create_task_group() as group:
        for row in todo:
            group.start_soon(one, row)
    return tally
