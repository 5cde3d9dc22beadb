"""``riskreport analyze``: one report, computed here, with a progress bar and a summary table.

It runs the same engine path as the server (``open_services`` with the inline backend and an
in-memory store), so what it prints is what the API would return. Use::

    riskreport analyze --address "부산광역시 해운대구" --use commercial --lang en \\
        --out report.pdf --out report.json

Exit codes: 0 done, 1 the job failed, 2 bad input, 130 interrupted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Annotated, Any

import anyio
import typer
from rich.console import Console

from riskreport.bootstrap import MEMORY_URL
from riskreport.interfaces.commands import request_options as opt
from riskreport.interfaces.commands.environment import err_console, settings_or_exit
from riskreport.interfaces.commands.exit_codes import ExitCode
from riskreport.interfaces.commands.maps import HazardMaps, use_hazard_maps
from riskreport.interfaces.commands.outputs import (
    BadOutput,
    format_of,
    result_json,
    write_atomically,
)
from riskreport.interfaces.commands.progress import JobProgress
from riskreport.interfaces.commands.report_table import report_table
from riskreport.interfaces.commands.runs import Finished, local_reports
from riskreport.settings import BackendName, Settings

Out = Annotated[
    list[Path] | None,
    typer.Option(
        "--out",
        "-o",
        help="Write the report to this file; the extension picks the format "
        "(.json .html .pdf .md). Repeat for several.",
    ),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no table.")]


def formats_or_exit(outs: Sequence[Path], console: Console) -> list[str]:
    """The format of each output path; exit 2 on an unknown extension."""
    try:
        return [format_of(path) for path in outs]
    except BadOutput as exc:
        console.print(f"[red]{exc}[/]")
        raise typer.Exit(ExitCode.BAD_INPUT) from exc


async def write_outputs(finished: Finished, outs: Sequence[Path], console: Console) -> None:
    for path in outs:
        fmt = format_of(path)
        data = result_json(finished.result or {}) if fmt == "json" else finished.documents[fmt]
        await write_atomically(path, data)
        console.print(f"wrote [bold]{path}[/] ({len(data) / 1024:,.1f} kB)")


def finish(finished: Finished, console: Console, *, quiet: bool) -> None:
    """Print the outcome; exit 1 unless the job succeeded."""
    if finished.succeeded:
        if not quiet and finished.result is not None:
            Console().print(report_table(finished.result))
        return
    console.print(
        f"[red bold]report {finished.job_id} {finished.status}[/]"
        + (f": {finished.error}" if finished.error else "")
    )
    raise typer.Exit(ExitCode.JOB_FAILED)


async def _analyze(
    settings: Settings,
    body: Mapping[str, Any],
    outs: Sequence[Path],
    console: Console,
    quiet: bool,
) -> Finished:
    formats = {format_of(path) for path in outs}
    status = console.status("starting the engine (loading data and models)…")
    if not quiet:
        status.start()
    try:
        async with local_reports(settings, formats=formats) as reports:
            status.stop()
            if quiet:
                finished = await reports.run(body, formats=formats, on_snapshot=lambda s: None)
            else:
                with JobProgress(console) as bar:
                    finished = await reports.run(body, formats=formats, on_snapshot=bar.show)
            if finished.succeeded:
                await write_outputs(finished, outs, console)
    finally:
        status.stop()
    return finished


def analyze(
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
    out: Out = None,
    quiet: Quiet = False,
    hazard_maps: HazardMaps = None,
) -> None:
    """Compute one report here (no server) and print its summary; write files with --out."""
    # First, while the locals are exactly the parameters.
    params = dict(locals())
    params.pop("hazard_maps")
    use_hazard_maps(hazard_maps)
    console = err_console()
    body = opt.request_from(params, console)
    outs = list(out or [])
    formats_or_exit(outs, console)
    # Same settings as the server, but one report in this process: the inline backend runs it
    # in the caller, and the job needs no store beyond this run.
    settings = settings_or_exit(console).model_copy(
        update={"backend": BackendName.INLINE, "database_url": MEMORY_URL}
    )
    try:
        finished = anyio.run(_analyze, settings, body, outs, console, quiet)
    except KeyboardInterrupt:
        console.print("[yellow]interrupted[/]")
        raise typer.Exit(ExitCode.INTERRUPTED) from None
    finish(finished, console, quiet=quiet)
