"""The building options shared by ``analyze`` and ``submit``, and how they become a request.

Options name the same fields as the portfolio CSV's columns (``--year-built`` is
``year_built``); ``--request FILE`` starts from a full JSON body, and options override it::

    riskreport analyze --address "부산광역시 해운대구" --use commercial --scenario SSP5-8.5
    riskreport submit --request building.json --lang en

The body is checked with the API's own model before anything runs: a bad field is reported with
its option name and the command exits with code 2.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console

from riskreport.analysis.request import ReportRequest
from riskreport.interfaces.commands.exit_codes import ExitCode
from riskreport.interfaces.commands.portfolio import COLUMNS, error_path

_LOC = "Location"
_BUILDING = "Building"
_ASSET = "Asset"
_ANALYSIS = "Analysis"

RequestFile = Annotated[
    Path | None,
    typer.Option(
        "--request",
        help="A JSON request body to start from (options override its fields).",
        exists=True,
        dir_okay=False,
        rich_help_panel=_LOC,
    ),
]
Address = Annotated[
    str | None,
    typer.Option(help="Korean address, e.g. '부산광역시 해운대구'.", rich_help_panel=_LOC),
]
Lat = Annotated[float | None, typer.Option(help="Latitude (WGS84).", rich_help_panel=_LOC)]
Lon = Annotated[float | None, typer.Option(help="Longitude (WGS84).", rich_help_panel=_LOC)]
Structure = Annotated[
    str | None, typer.Option(help="e.g. reinforced_concrete.", rich_help_panel=_BUILDING)
]
YearBuilt = Annotated[
    int | None, typer.Option(help="Year of completion.", rich_help_panel=_BUILDING)
]
FloorsAbove = Annotated[
    int | None, typer.Option(help="Floors above ground.", rich_help_panel=_BUILDING)
]
FloorsBelow = Annotated[
    int | None, typer.Option(help="Basement floors.", rich_help_panel=_BUILDING)
]
Use = Annotated[
    str | None,
    typer.Option(help="e.g. office, residential, commercial.", rich_help_panel=_BUILDING),
]
FloorArea = Annotated[
    float | None,
    typer.Option("--floor-area", help="Gross floor area in m².", rich_help_panel=_BUILDING),
]
ReplacementValue = Annotated[
    float | None,
    typer.Option(
        "--replacement-value", help="Building replacement value, KRW.", rich_help_panel=_ASSET
    ),
]
ContentsValue = Annotated[
    float | None,
    typer.Option("--contents-value", help="Contents value, KRW.", rich_help_panel=_ASSET),
]
AnnualRevenue = Annotated[
    float | None,
    typer.Option("--annual-revenue", help="Annual revenue, KRW.", rich_help_panel=_ASSET),
]
InsuredFraction = Annotated[
    float | None, typer.Option(help="Insured share of losses, 0 to 1.", rich_help_panel=_ASSET)
]
Scenarios = Annotated[
    list[str] | None,
    typer.Option("--scenario", help="SSP scenario; repeat for several.", rich_help_panel=_ANALYSIS),
]
Horizons = Annotated[
    list[int] | None,
    typer.Option("--horizon", help="Horizon year; repeat for several.", rich_help_panel=_ANALYSIS),
]
Hazards = Annotated[
    list[str] | None,
    typer.Option("--hazard", help="Hazard key; repeat for several.", rich_help_panel=_ANALYSIS),
]
Narrative = Annotated[
    str | None, typer.Option(help="Narrative writer: template or llm.", rich_help_panel=_ANALYSIS)
]
Language = Annotated[
    str | None, typer.Option("--lang", help="Report language: ko or en.", rich_help_panel=_ANALYSIS)
]

# CLI option spelling of each request field, for error messages.
OPTION_NAMES: Mapping[str, str] = {
    **{path: "--" + name.replace("_", "-") for name, path in COLUMNS.items()},
    COLUMNS["floor_area_m2"]: "--floor-area",
    COLUMNS["replacement_value_krw"]: "--replacement-value",
    COLUMNS["contents_value_krw"]: "--contents-value",
    COLUMNS["annual_revenue_krw"]: "--annual-revenue",
    COLUMNS["scenarios"]: "--scenario",
    COLUMNS["horizons"]: "--horizon",
    COLUMNS["hazards"]: "--hazard",
    COLUMNS["language"]: "--lang",
}


def _set(body: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = body
    for part in parents:
        child = node.get(part)
        if not isinstance(child, dict):
            child = node[part] = {}
        node = child
    node[leaf] = value


def build_body(
    request_file: Path | None, options: Mapping[str, Any], console: Console
) -> dict[str, Any]:
    """The request body: the file's JSON (if any) with every given option set on top.

    ``options`` are keyed by column name (``year_built``); ``None`` and empty lists are "not
    given". Exits with code 2 on an unreadable file.
    """
    body: dict[str, Any] = {}
    if request_file is not None:
        try:
            loaded = json.loads(request_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            console.print(f"[red]cannot read {request_file}:[/] {exc}")
            raise typer.Exit(ExitCode.BAD_INPUT) from exc
        if not isinstance(loaded, dict):
            console.print(f"[red]{request_file} must hold a JSON object[/]")
            raise typer.Exit(ExitCode.BAD_INPUT)
        body = loaded
    if options.get("address") is not None or options.get("lat") is not None:
        # A location given on the command line replaces the file's, whatever its kind.
        body.pop("target_location", None)
    for name, value in options.items():
        if value is None or value == [] or name not in COLUMNS:
            continue
        _set(body, COLUMNS[name], value)
    return body


def request_from(params: Mapping[str, Any], console: Console) -> dict[str, Any]:
    """The validated request body of a command that takes every building option.

    ``params`` are the command's arguments by name (its ``locals()`` on entry): typer needs
    each option as an explicit parameter of ``analyze`` and ``submit``, so the parameter lists
    stay, but the options are picked out here once, by the columns they fill, in column order.
    A command missing one of them raises ``KeyError``, not a silently ignored option.
    """
    options = {name: params[name] for name in COLUMNS}
    return validated(build_body(params["request_file"], options, console), console)


def validated(body: Mapping[str, Any], console: Console) -> dict[str, Any]:
    """``body`` checked by ``ReportRequest`` (as JSON); exit 2 with every problem listed."""
    try:
        request = ReportRequest.model_validate(body)
    except ValidationError as exc:
        console.print("[red bold]The request is not valid:[/]")
        for error in exc.errors(include_url=False):
            path = error_path(error["loc"])
            parts = path.split(".")
            # A list item (analysis_params.scenarios.0) belongs to its list's option.
            option = next(
                (
                    OPTION_NAMES[".".join(parts[:n])]
                    for n in range(len(parts), 0, -1)
                    if ".".join(parts[:n]) in OPTION_NAMES
                ),
                None,
            )
            where = f"{option} ({path})" if option else path or "request"
            console.print(f"  {where}: {error['msg']}")
        raise typer.Exit(ExitCode.BAD_INPUT) from exc
    return request.model_dump(mode="json", exclude_unset=True)
