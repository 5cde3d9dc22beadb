"""The terminal summary of a report: grade, then per scenario one row per hazard with its score
and expected annual loss (EAL) at baseline and each horizon, then the building's total EAL. Use::

    console.print(report_table(result))

It reads the report JSON (docs/report-schema.md), expanded to its verbose form, defensively, so
an added field never breaks the CLI, and shows "–" for what a report does not have.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from riskreport.domain.lean_json import expand

DASH = "–"


def quantity(value: Any) -> float | None:
    """The number of a figure, ``[value, kind]`` (lean, schema 2) or ``{"value": ..}`` (schema
    1), or a bare number; None if there is none."""
    if isinstance(value, Mapping):
        value = value.get("value")
    elif isinstance(value, list) and len(value) == 2 and isinstance(value[1], str):
        value = value[0]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def krw(value: float | None) -> str:
    """Won in a compact form: ``₩1.23B``, ``₩45.6M``, ``₩187K``, ``₩780``."""
    if value is None:
        return DASH
    size = abs(value)
    for threshold, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M")):
        if size >= threshold:
            return f"₩{value / threshold:.2f}{suffix}"
    if size >= 1e3:
        return f"₩{value / 1e3:.0f}K"
    return f"₩{value:.0f}"


def _score(value: float | None) -> str:
    return DASH if value is None else f"{value:g}"


def _scenarios(hazards: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Scenario -> its horizons, in the order the report lists them."""
    found: dict[str, dict[str, None]] = {}
    for hazard in hazards:
        for item in hazard.get("results") or []:
            if isinstance(item, Mapping):
                horizons = found.setdefault(str(item.get("scenario")), {})
                horizons.setdefault(str(item.get("horizon")), None)
    return {scenario: list(horizons) for scenario, horizons in found.items()}


def _cell(item: Mapping[str, Any] | None) -> Text:
    if item is None:
        return Text(DASH, style="dim")
    score = quantity(item.get("score"))
    eal = quantity(item.get("eal"))
    if eal is None:
        eal = quantity(item.get("annual_cost"))
    style = "bold red" if score is not None and score >= 4 else ""
    text = Text(_score(score), style=style)
    text.append(f" {krw(eal)}")
    return text


def hazard_tables(result: Mapping[str, Any]) -> list[RenderableType]:
    """One table per scenario: hazards by row, "score EAL" at baseline and each horizon."""
    hazards = [h for h in result.get("hazards") or [] if isinstance(h, Mapping)]
    has_baseline = any(isinstance(h.get("baseline"), Mapping) for h in hazards)
    tables: list[RenderableType] = []
    for scenario, horizons in _scenarios(hazards).items():
        # A heading line, not a table title: titles wrap at the (narrow) table's width.
        tables.append(Text(f"{scenario}: score (1–5) and expected annual loss per hazard", "bold"))
        table = Table()
        table.add_column("hazard", style="bold")
        if has_baseline:
            table.add_column("baseline", justify="right")
        for horizon in horizons:
            table.add_column(horizon, justify="right")
        for hazard in hazards:
            by_horizon = {
                str(i.get("horizon")): i
                for i in hazard.get("results") or []
                if isinstance(i, Mapping) and str(i.get("scenario")) == scenario
            }
            cells: list[RenderableType] = [str(hazard.get("hazard", DASH))]
            if has_baseline:
                baseline = hazard.get("baseline")
                cells.append(_cell(baseline if isinstance(baseline, Mapping) else None))
            cells.extend(_cell(by_horizon.get(h)) for h in horizons)
            table.add_row(*cells)
        tables.append(table)
    return tables


def totals_table(result: Mapping[str, Any]) -> Table | None:
    """Total EAL of the building: one row per scenario, baseline then each horizon."""
    summary = result.get("summary") or {}
    totals = summary.get("total_eal") if isinstance(summary, Mapping) else None
    if not isinstance(totals, Mapping) or not totals:
        return None
    base = totals.get("baseline")
    baseline = quantity(base.get("baseline")) if isinstance(base, Mapping) else None
    scenarios = {
        str(s): {str(h): quantity(q) for h, q in by_horizon.items()}
        for s, by_horizon in totals.items()
        if s != "baseline" and isinstance(by_horizon, Mapping)
    }
    horizons = list(dict.fromkeys(h for by_horizon in scenarios.values() for h in by_horizon))
    table = Table()
    table.add_column("scenario", style="bold")
    table.add_column("baseline", justify="right")
    for horizon in horizons:
        table.add_column(horizon, justify="right")
    for scenario, values in scenarios.items():
        table.add_row(scenario, krw(baseline), *(krw(values.get(h)) for h in horizons))
    return table


def headline(result: Mapping[str, Any]) -> Text:
    """``Grade C (score 2.8) · 부산광역시 해운대구 · dominant: typhoon, urban_flood``."""
    summary = result.get("summary") or {}
    grade = summary.get("overall_grade", DASH) if isinstance(summary, Mapping) else DASH
    score = quantity(summary.get("overall_score")) if isinstance(summary, Mapping) else None
    text = Text("Grade ", style="bold")
    text.append(str(grade), style="bold magenta")
    text.append(f" (score {_score(score)})")
    place = place_of(result)
    if place:
        text.append(f" · {place}")
    dominant = summary.get("dominant_hazards") if isinstance(summary, Mapping) else None
    if dominant:
        text.append(" · dominant: " + ", ".join(str(d) for d in dominant))
    return text


def place_of(result: Mapping[str, Any]) -> str:
    """The matched municipality, else what was sent, in the report's language."""
    location = result.get("location") or {}
    if not isinstance(location, Mapping):
        return ""
    matched = location.get("matched")
    suffix = "ko" if result.get("language") == "ko" else "en"
    if isinstance(matched, Mapping):
        parts = [matched.get(f"province_{suffix}"), matched.get(f"municipality_{suffix}")]
        return " ".join(str(p) for p in parts if p)
    given = location.get("input")
    if isinstance(given, Mapping) and given.get("address"):
        return str(given["address"])
    lat, lon = quantity(location.get("lat")), quantity(location.get("lon"))
    return f"{lat:.4f}, {lon:.4f}" if lat is not None and lon is not None else ""


def report_table(result: Mapping[str, Any]) -> RenderableType:
    """Everything the CLI prints about a finished report (lean, schema 2, or verbose)."""
    result = expand(result)  # every figure a {"value": ..} object, as read here
    parts: list[RenderableType] = [headline(result), *hazard_tables(result)]
    totals = totals_table(result)
    if totals is not None:
        parts.extend([Text("Total expected annual loss of the building", "bold"), totals])
    return Group(*parts)
