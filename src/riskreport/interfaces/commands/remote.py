"""``riskreport submit | status | watch | cancel | list``: a running server, from the terminal.

Use::

    id=$(riskreport submit --address "부산광역시 해운대구" --use office)   # prints the job id
    riskreport watch "$id" --out report.pdf      # live progress bar, then the summary
    riskreport status "$id" --json
    riskreport list --status running
    riskreport cancel "$id"

Exit codes: 0 success, 1 the job failed (or ended cancelled/timed out), 2 bad input or a
request the server rejected (unknown id, a job already final), 3 server unreachable or busy
beyond patience, 130 interrupted (the job keeps running on the server).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

import anyio
import typer
from rich.console import Console
from rich.table import Table

from riskreport.interfaces.commands import request_options as opt
from riskreport.interfaces.commands.analyze import (
    Out,
    Quiet,
    finish,
    formats_or_exit,
    write_outputs,
)
from riskreport.interfaces.commands.client import (
    FINAL_STATUSES,
    ApiError,
    ReportClient,
    ServerUnreachable,
)
from riskreport.interfaces.commands.environment import (
    Server,
    client_api_key,
    err_console,
    server_url,
)
from riskreport.interfaces.commands.exit_codes import ExitCode
from riskreport.interfaces.commands.outputs import format_of
from riskreport.interfaces.commands.progress import JobProgress, describe, fraction_of
from riskreport.interfaces.commands.runs import Finished, RemoteReports, StillBusy

T = TypeVar("T")

JobIdArg = Annotated[str, typer.Argument(help="The job id printed by `submit`.")]
AsJson = Annotated[bool, typer.Option("--json", help="Print the API's JSON instead of a table.")]
Watch = Annotated[bool, typer.Option("--watch", "-w", help="Follow the job to its end.")]
StatusFilter = Annotated[
    str | None,
    typer.Option(help="Only jobs in this state: queued, running, succeeded, failed, …"),
]
Limit = Annotated[int, typer.Option(min=1, max=200, help="How many jobs.")]


def call(console: Console, url: str, fn: Callable[[ReportClient], Awaitable[T]]) -> T:
    """Run ``fn(client)`` and turn the client's errors into messages and exit codes."""

    async def main() -> T:
        async with ReportClient(url, api_key=client_api_key()) as client:
            return await fn(client)

    try:
        return anyio.run(main)
    except ServerUnreachable as exc:
        console.print(f"[red]{exc}[/]\nIs `riskreport serve` running there?")
        raise typer.Exit(ExitCode.UNREACHABLE) from exc
    except StillBusy as exc:
        console.print(f"[red]the server stayed busy:[/] {exc}")
        raise typer.Exit(ExitCode.UNREACHABLE) from exc
    except ApiError as exc:
        console.print(f"[red]{exc.status} {exc.code}:[/] {exc.message}")
        for detail in exc.details:
            console.print(f"  {detail.get('field') or ''}: {detail.get('message')}")
        code = ExitCode.BAD_INPUT if exc.status < 500 else ExitCode.UNREACHABLE
        raise typer.Exit(code) from exc
    except KeyboardInterrupt:
        console.print("[yellow]interrupted[/]")
        raise typer.Exit(ExitCode.INTERRUPTED) from None


def _when(value: Any, *, short: bool = False) -> str:
    if not value:
        return "–"
    try:
        moment = datetime.fromisoformat(str(value)).astimezone()
        return moment.strftime("%m-%d %H:%M" if short else "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return str(value)


def _job_table(job: Mapping[str, Any]) -> Table:
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    table.add_row("id", str(job.get("id")))
    table.add_row("status", str(job.get("status")))
    table.add_row("stage", f"{describe(job)} ({fraction_of(job):.0%})")
    table.add_row("created", _when(job.get("created_at")))
    table.add_row("started", _when(job.get("started_at")))
    table.add_row("finished", _when(job.get("finished_at")))
    error = job.get("error")
    if error:
        table.add_row("error", f"{error.get('code')}: {error.get('message')}")
    return table


async def _watch(
    client: ReportClient,
    job_id: str,
    outs: Sequence[Path],
    console: Console,
    quiet: bool,
    *,
    body: Mapping[str, Any] | None = None,
) -> Finished:
    reports = RemoteReports(client)
    formats = {format_of(path) for path in outs}
    if body is not None:
        job = await reports.submit(
            body,
            on_busy=lambda p: console.print(f"[yellow]the service is busy; retrying in {p:g} s[/]"),
        )
        job_id = str(job["id"])
        Console().print(job_id)
    if quiet:
        finished = await reports.follow(job_id, formats=formats, on_snapshot=lambda s: None)
    else:
        with JobProgress(console, title=job_id[:8]) as bar:
            finished = await reports.follow(job_id, formats=formats, on_snapshot=bar.show)
    if finished.succeeded:
        await write_outputs(finished, outs, console)
    return finished


def submit(
    request_file: opt.RequestFile = None,
    address: opt.Address = None,
    lat: opt.Lat = None,
    lon: opt.Lon = None,
    structure: opt.Structure = None,
    year_built: opt.YearBuilt = None,
    floors_above: opt.FloorsAbove = None,
    floors_below: opt.FloorsBelow = None,
    use: opt.Use = None,
    floor_area_m2: opt.FloorArea = None,
    replacement_value_krw: opt.ReplacementValue = None,
    contents_value_krw: opt.ContentsValue = None,
    annual_revenue_krw: opt.AnnualRevenue = None,
    insured_fraction: opt.InsuredFraction = None,
    scenarios: opt.Scenarios = None,
    horizons: opt.Horizons = None,
    hazards: opt.Hazards = None,
    narrative: opt.Narrative = None,
    language: opt.Language = None,
    server: Server = None,
    watch: Watch = False,
    out: Out = None,
    quiet: Quiet = False,
) -> None:
    """Submit a report to a server and print its job id (with --watch, follow it to the end)."""
    # First, while the locals are exactly the parameters.
    params = dict(locals())
    console = err_console()
    body = opt.request_from(params, console)
    outs = list(out or [])
    formats_or_exit(outs, console)
    url = server_url(server, console)
    if watch or outs:

        async def follow(client: ReportClient) -> Finished:
            return await _watch(client, "", outs, console, quiet, body=body)

        finish(call(console, url, follow), console, quiet=quiet)
        return

    def busy(pause: float) -> None:
        console.print(f"[yellow]the service is busy; retrying in {pause:g} s[/]")

    async def send(client: ReportClient) -> dict[str, Any]:
        return await RemoteReports(client).submit(body, on_busy=busy)

    job = call(console, url, send)
    Console().print(job["id"])
    console.print(f"submitted; follow with: riskreport watch {job['id']}")


def status(job_id: JobIdArg, server: Server = None, as_json: AsJson = False) -> None:
    """Show one job. Exit code 1 if it failed, timed out or was cancelled."""
    console = err_console()

    async def get(client: ReportClient) -> dict[str, Any]:
        return await client.get(job_id)

    job = call(console, server_url(server, console), get)
    if as_json:
        typer.echo(json.dumps(job, ensure_ascii=False, indent=2))
    else:
        Console().print(_job_table(job))
    if job["status"] in FINAL_STATUSES and job["status"] != "succeeded":
        raise typer.Exit(ExitCode.JOB_FAILED)


def watch(job_id: JobIdArg, server: Server = None, out: Out = None, quiet: Quiet = False) -> None:
    """Follow a job with a live progress bar; print its summary and write --out files."""
    console = err_console()
    outs = list(out or [])
    formats_or_exit(outs, console)

    async def follow(client: ReportClient) -> Finished:
        return await _watch(client, job_id, outs, console, quiet)

    finish(call(console, server_url(server, console), follow), console, quiet=quiet)


def cancel(job_id: JobIdArg, server: Server = None) -> None:
    """Cancel a queued or running job (exit 2 if it is already over)."""
    console = err_console()

    async def delete(client: ReportClient) -> dict[str, Any]:
        return await client.cancel(job_id)

    job = call(console, server_url(server, console), delete)
    console.print(f"job {job['id']} is {job['status']}")


def list_jobs(
    server: Server = None,
    status: StatusFilter = None,
    limit: Limit = 20,
    as_json: AsJson = False,
) -> None:
    """List recent jobs, newest first."""
    console = err_console()

    async def page(client: ReportClient) -> dict[str, Any]:
        return await client.list(status=status, limit=limit)

    answer = call(console, server_url(server, console), page)
    if as_json:
        typer.echo(json.dumps(answer, ensure_ascii=False, indent=2))
        return
    table = Table(title="Reports, newest first", title_justify="left")
    table.add_column("id", no_wrap=True, min_width=32)  # whole, so it can be copied
    table.add_column("status", no_wrap=True)
    table.add_column("progress", no_wrap=True)
    table.add_column("created", no_wrap=True)
    table.add_column("error", overflow="fold")
    for job in answer.get("items", []):
        error = job.get("error") or {}
        table.add_row(
            str(job.get("id")),
            str(job.get("status")),
            f"{fraction_of(job):.0%}",
            _when(job.get("created_at"), short=True),
            str(error.get("message") or ""),
        )
    Console().print(table)
    if answer.get("next_cursor"):
        console.print("more jobs exist; raise --limit to see them")
