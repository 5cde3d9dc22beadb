"""``riskreport batch``: a portfolio CSV in, one report per building and a summary CSV out.

Use::

    riskreport batch examples/buildings.csv --out results/             # here, 4 at a time
    riskreport batch buildings.csv --server http://10.0.0.5:8000 -c 16  # on a server
    riskreport batch buildings.csv --check                              # validate only

Every row is validated first; if any is bad, all bad rows are listed (row number, column, field)
and nothing runs, unless ``--skip-invalid``. Finished rows are journaled in
``<out>/.journal.jsonl``: after Ctrl-C (or a crash) the same command resumes and skips them.
Output: ``<out>/<row>-<name>.json`` (and ``.md`` etc. by ``--format``) and ``<out>/summary.csv``.

Exit codes: 0 all rows succeeded, 1 some failed, 2 bad input, 3 server unreachable,
130 interrupted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import anyio
import typer
from rich.console import Console
from rich.progress import TaskID
from rich.table import Table

from riskreport.bootstrap import MEMORY_URL
from riskreport.interfaces.commands.batch_run import RowDisplay, Tally, run_rows
from riskreport.interfaces.commands.client import ReportClient, ServerUnreachable
from riskreport.interfaces.commands.environment import (
    Server,
    client_api_key,
    err_console,
    server_url,
    settings_or_exit,
)
from riskreport.interfaces.commands.exit_codes import ExitCode
from riskreport.interfaces.commands.journal import Entry, Journal
from riskreport.interfaces.commands.portfolio import Portfolio, PortfolioRow, read_portfolio
from riskreport.interfaces.commands.progress import LiveProgress, describe, fraction_of
from riskreport.interfaces.commands.runs import RemoteReports, Reports, local_reports
from riskreport.interfaces.commands.summary_csv import SUMMARY_NAME, write_summary
from riskreport.settings import BackendName, Settings

BATCH_FORMATS = ("json", "md", "html", "pdf")
# Seconds running jobs get at Ctrl-C before the local engine gives up on them: short, because
# the person wants the prompt back and the journal makes the rows rerun anyway.
INTERRUPT_GRACE = 5.0

CsvPath = Annotated[
    Path,
    typer.Argument(help="Portfolio CSV (see examples/buildings.csv).", exists=True, dir_okay=False),
]
OutDir = Annotated[
    Path, typer.Option("--out", "-o", help="Folder for the reports, summary.csv and the journal.")
]
Concurrency = Annotated[
    int | None,
    typer.Option(
        "--concurrency",
        "-c",
        min=1,
        max=256,
        help="Reports running at once (default: RISKREPORT_CONCURRENCY).",
        show_default=False,
    ),
]
SkipInvalid = Annotated[
    bool, typer.Option("--skip-invalid", help="Run the valid rows even if some are invalid.")
]
Formats = Annotated[
    list[str] | None,
    typer.Option(
        "--format",
        "-f",
        help="Files per building: json, md, html, pdf; repeat for several (default: json, md).",
        show_default=False,
    ),
]
Check = Annotated[bool, typer.Option("--check", help="Validate the CSV and stop.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]


class BatchDisplay(RowDisplay, LiveProgress):
    """An overall bar, one line per running building, and a line per finished one."""

    def __init__(self, console: Console, total: int) -> None:
        LiveProgress.__init__(self, console)
        self._console = console
        self._overall = self._progress.add_task("portfolio", total=max(total, 1))
        self._rows: dict[int, TaskID] = {}

    @staticmethod
    def _title(row: PortfolioRow) -> str:
        return f"row {row.row} {row.name}".strip()

    def started(self, row: PortfolioRow) -> None:
        self._rows[row.row] = self._progress.add_task(f"  {self._title(row)}", total=1.0)

    def progressed(self, row: PortfolioRow, snapshot: Mapping[str, Any]) -> None:
        if snapshot.get("status") == "busy":
            pause = snapshot.get("retry_after")
            self._console.print(
                f"[yellow]… {self._title(row)}: the service is busy; retrying in {pause:g} s[/]"
            )
        task = self._rows.get(row.row)
        if task is not None:
            self._progress.update(
                task,
                completed=fraction_of(snapshot),
                description=f"  {self._title(row)}: {describe(snapshot)}",
            )

    def skipped(self, row: PortfolioRow) -> None:
        self._progress.advance(self._overall)
        self._console.print(f"[dim]· {self._title(row)}: done in an earlier run[/]")

    def finished(self, row: PortfolioRow, entry: Entry) -> None:
        task = self._rows.pop(row.row, None)
        if task is not None:
            self._progress.remove_task(task)
        self._progress.advance(self._overall)
        if entry.status == "succeeded":
            grade = entry.summary.get("grade") or "–"
            self._console.print(f"[green]✓[/] {self._title(row)}: grade {grade}")
        else:
            self._console.print(f"[red]✗[/] {self._title(row)}: {entry.status} {entry.error or ''}")


def _print_problems(portfolio: Portfolio, console: Console) -> None:
    table = Table(title="Invalid rows", title_justify="left", title_style="bold red")
    for column in ("row", "column", "field", "problem"):
        table.add_column(column)
    for p in portfolio.problems:
        table.add_row(str(p.row), p.column or "–", p.field or "–", p.message)
    console.print(table)


def _formats_or_exit(formats: Sequence[str] | None, console: Console) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(f.lower().lstrip(".") for f in (formats or ["json", "md"])))
    unknown = [f for f in chosen if f not in BATCH_FORMATS]
    if unknown:
        console.print(f"[red]unknown format {', '.join(unknown)}; use {', '.join(BATCH_FORMATS)}")
        raise typer.Exit(ExitCode.BAD_INPUT)
    return chosen


async def _run(
    rows: Sequence[PortfolioRow],
    journal: Journal,
    out_dir: Path,
    formats: Sequence[str],
    concurrency: int,
    server: str | None,
    settings: Settings,
    display: RowDisplay,
    console: Console,
) -> Tally:
    async def with_reports(reports: Reports) -> Tally:
        try:
            return await run_rows(
                rows,
                reports,
                journal,
                out_dir=out_dir,
                formats=formats,
                concurrency=concurrency,
                display=display,
                on_skip=display.skipped,
            )
        except* ServerUnreachable as group:
            # One row found the server gone; the others would too. Report it once.
            raise group.exceptions[0] from None

    if server is not None:
        async with ReportClient(server, api_key=client_api_key()) as client:
            return await with_reports(RemoteReports(client))
    console.print("starting the engine (loading data and models)…")
    async with local_reports(settings, formats=formats) as reports:
        return await with_reports(reports)


def batch(
    csv_path: CsvPath,
    out: OutDir = Path("results"),
    server: Server = None,
    concurrency: Concurrency = None,
    skip_invalid: SkipInvalid = False,
    formats: Formats = None,
    check: Check = False,
    quiet: Quiet = False,
) -> None:
    """Run a report for every building of a CSV; resumable (rerun to continue after Ctrl-C)."""
    console = err_console()
    chosen = _formats_or_exit(formats, console)
    try:
        portfolio = read_portfolio(csv_path)
    except (OSError, UnicodeDecodeError) as exc:
        console.print(f"[red]cannot read {csv_path}:[/] {exc}")
        raise typer.Exit(ExitCode.BAD_INPUT) from exc
    if portfolio.problems:
        _print_problems(portfolio, console)
        bad_rows = len({p.row for p in portfolio.problems})
        header_bad = any(p.row == 1 for p in portfolio.problems)
        if not skip_invalid or header_bad or not portfolio.rows:
            console.print(
                f"[red]{bad_rows} row(s) of {csv_path} are invalid; no row was processed[/]"
                + ("" if header_bad else " (fix them, or pass --skip-invalid)")
            )
            raise typer.Exit(ExitCode.BAD_INPUT)
        console.print(f"[yellow]skipping {bad_rows} invalid row(s)[/]")
    if check:
        console.print(f"{len(portfolio.rows)} of {portfolio.total} rows are valid")
        return
    settings = settings_or_exit(console)
    workers = concurrency or settings.concurrency
    url = None
    if server is not None:
        url = server_url(server, console)
    local = settings.model_copy(
        update={
            "backend": BackendName.LOCAL,
            "database_url": MEMORY_URL,
            # No more worker processes than rows: each warms up for seconds.
            "concurrency": max(1, min(workers, len(portfolio.rows))),
            "queue_limit": max(settings.queue_limit, workers),
            "shutdown_grace": min(settings.shutdown_grace, INTERRUPT_GRACE),
        }
    )
    journal = Journal.open(out)
    display: RowDisplay = RowDisplay() if quiet else BatchDisplay(console, len(portfolio.rows))
    code = ExitCode.OK
    try:
        if isinstance(display, BatchDisplay):
            with display:
                tally = anyio.run(
                    _run,
                    portfolio.rows,
                    journal,
                    out,
                    chosen,
                    workers,
                    url,
                    local,
                    display,
                    console,
                )
        else:
            tally = anyio.run(
                _run, portfolio.rows, journal, out, chosen, workers, url, local, display, console
            )
    except KeyboardInterrupt:
        done = sum(1 for e in journal.entries() if e.status == "succeeded")
        console.print(
            f"[yellow]interrupted: {done} of {len(portfolio.rows)} rows are done; "
            "run the same command again to resume[/]"
        )
        code = ExitCode.INTERRUPTED
    except ServerUnreachable as exc:
        console.print(f"[red]{exc}[/]; finished rows are kept, rerun to resume")
        code = ExitCode.UNREACHABLE
    else:
        console.print(
            f"{tally.succeeded} succeeded, {tally.failed} failed, "
            f"{tally.skipped} already done (of {len(portfolio.rows)})"
        )
        if tally.failed:
            code = ExitCode.JOB_FAILED
    finally:
        write_summary(out / SUMMARY_NAME, portfolio, journal)
        journal.close()
    console.print(f"summary: {out / SUMMARY_NAME}")
    if code:
        raise typer.Exit(code)
