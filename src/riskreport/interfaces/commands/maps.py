"""``riskreport maps``: fetch the published flood hazard maps, check a map folder.

Use::

    riskreport maps fetch aqueduct --hazard river_flood --bbox 124.5,33,132,38.75 --dest maps
    riskreport maps check maps        # exit 2 naming each bad file
    RISKREPORT_HAZARD_MAPS=maps riskreport serve      # or: riskreport serve --hazard-maps maps

Only ``maps fetch`` downloads anything, and only when run. See docs/hazard-maps.md.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from riskreport.bootstrap import fetch_hazard_maps, hazard_map_problems
from riskreport.interfaces.commands.environment import err_console
from riskreport.interfaces.commands.exit_codes import ExitCode

HAZARD_MAPS_ENV = "RISKREPORT_HAZARD_MAPS"

HazardMaps = Annotated[
    Path | None,
    typer.Option(
        "--hazard-maps",
        help="Folder of flood hazard maps (GeoTIFF, Aqueduct names) [default: "
        "RISKREPORT_HAZARD_MAPS]; see `riskreport maps`.",
        show_default=False,
    ),
]


def use_hazard_maps(folder: Path | None) -> None:
    """Make ``--hazard-maps`` the setting of this process and of the servers it starts."""
    if folder is not None:
        os.environ[HAZARD_MAPS_ENV] = str(folder)


class Publisher(StrEnum):
    AQUEDUCT = "aqueduct"  # WRI Aqueduct Floods v2 (CC BY 4.0)


app = typer.Typer(
    name="maps",
    help="Flood hazard maps: fetch the published ones, check a folder.",
    no_args_is_help=True,
)


@app.command()
def check(folder: Annotated[Path, typer.Argument(help="The hazard-map folder.")]) -> None:
    """Check names, CRS, extent and nodata of every map; exit 2 naming each bad file."""
    console = err_console()
    problems = hazard_map_problems(folder)
    for problem in problems:
        console.print(f"[red]{escape(problem)}[/]")
    if problems:
        raise typer.Exit(ExitCode.BAD_INPUT)
    count = sum(1 for f in folder.iterdir() if f.suffix.lower() in (".tif", ".tiff"))
    typer.echo(f"{folder}: {count} map(s), all usable")


@app.command()
def fetch(
    publisher: Annotated[Publisher, typer.Argument(help="Who publishes the maps.")],
    hazard: Annotated[str, typer.Option(help="Which hazard's maps: river_flood or coastal_flood.")],
    bbox: Annotated[str, typer.Option(help="Box to keep: W,S,E,N in degrees.")],
    dest: Annotated[Path, typer.Option(help="Folder to write the clipped maps to.")],
    scenario: Annotated[
        list[str] | None,
        typer.Option(help="historical, rcp4p5, rcp8p5 (repeat) [default: all three]"),
    ] = None,
    year: Annotated[
        list[int] | None, typer.Option(help="2030, 2050, 2080 (repeat) [default: all]")
    ] = None,
    model: Annotated[
        list[str] | None,
        typer.Option(help="River climate models, e.g. 00000NorESM1-M (repeat) [default: all five]"),
    ] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help="Download location [default: the public Aqueduct v2 bucket]"),
    ] = None,
) -> None:
    """Download the published global maps (resuming), verify sizes, clip them to --bbox."""
    console = err_console()
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
    )
    tasks: dict[str, TaskID] = {}
    with Progress(*columns, console=console, transient=False) as bars:

        def progress(name: str, done: int, total: int | None) -> None:
            if name not in tasks:
                tasks[name] = bars.add_task(name, total=total)
            bars.update(tasks[name], completed=done, total=total)

        def on_file(i: int, n: int, name: str, fetched: bool) -> None:
            if not fetched:
                console.print(f"[dim]{i}/{n} {name}: already in {dest}[/]")
            elif name in tasks:
                bars.update(tasks[name], description=f"{i}/{n} {name} (clipped)")

        try:
            names = fetch_hazard_maps(
                hazard,
                bbox,
                dest,
                scenarios=scenario,
                years=year,
                models=model,
                base_url=base_url,
                progress=progress,
                on_file=on_file,
            )
        except ValueError as exc:
            console.print(f"[red]{escape(str(exc))}[/]")
            raise typer.Exit(ExitCode.BAD_INPUT) from exc
        except RuntimeError as exc:
            console.print(f"[red]{escape(str(exc))}[/] (run again to resume)")
            raise typer.Exit(ExitCode.UNREACHABLE) from exc
    typer.echo(f"{dest}: {len(names)} {publisher.value} map(s) for {hazard}")
