"""The report's charts, drawn server-side with matplotlib, once, as SVG for the page and the PDF.

Three charts: annual loss by hazard and scenario (the headline horizon, with today's climate),
the total expected annual loss over the horizons, and the hazard score matrix (SVG written
directly, :mod:`.score_matrix`). They use
``matplotlib.figure.Figure`` directly, never pyplot: no display, no global figure registry,
safe to draw from worker threads. Text is drawn as paths, so the SVG looks the same wherever it
is shown, with or without the font::

    for chart in draw_charts(report):
        html += f'<img alt="{chart.title}" src="{chart.data_uri()}">'
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib import rc_context
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from riskreport.analysis.documents.fonts import cjk_family
from riskreport.analysis.documents.score_matrix import score_matrix_svg, text_width
from riskreport.analysis.narrative.environment import labels
from riskreport.analysis.narrative.view import HazardView, ReportView, loss_of

# Okabe-Ito colours: distinguishable with colour-blindness and in greyscale print.
_PALETTE = ("#999999", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
# Tallest chart, inches: four scenarios of nine hazards still fit half an A4 page.
_MAX_HEIGHT = 6.0


@dataclass(frozen=True, slots=True)
class Chart:
    """One drawn chart: a stable name, its title in the report's language and its SVG."""

    name: str
    title: str
    svg: bytes

    def data_uri(self) -> str:
        """The image as a ``data:`` URI, so that the page stays one self-contained file."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode("ascii")


def _fonts() -> list[str]:
    return [cjk_family()]


def _images(figure: Figure) -> bytes:
    svg = io.BytesIO()
    # One draw: bbox_inches="tight" would draw every figure twice. A fixed salt makes the
    # SVG's element ids, and so its bytes, the same at every draw of the same report.
    with rc_context({"svg.hashsalt": "riskreport"}):
        figure.savefig(svg, format="svg", metadata={"Date": None})
    return svg.getvalue()


def _loss(row: Mapping[str, Any] | None) -> float:
    loss = loss_of(row)
    return float(loss["value"]) if loss else 0.0


def draw_charts(report: Mapping[str, Any]) -> list[Chart]:
    """Every chart the report's data allows, in reading order."""
    view = ReportView.of(report)
    words = labels(view.language)["charts"]
    charts: list[Chart] = []
    if view.hazards and view.scenarios:
        charts.append(Chart("eal_by_hazard", words["eal_by_hazard"], _eal_by_hazard(view)))
    if view.scenarios and len(view.horizons) > 1:
        charts.append(Chart("total_by_horizon", words["total_by_horizon"], _total(view)))
    if view.hazards:
        charts.append(Chart("score_matrix", words["score_matrix"], _score_matrix(view)))
    return charts


# Label sizes, points; the margins below are reckoned from them.
_TICK_SIZE = 8.0


def _margins(
    figure: Figure, *, left: float, bottom: float, top: float = 8, right: float = 10
) -> None:
    """Fixed margins in points around the one axes, reckoned from the labels' sizes.

    Matplotlib's constrained layout finds them by laying every label out once more, which
    took a third of the charts' time; the labels here are few and their sizes known.
    """
    width, height = (size * 72 for size in figure.get_size_inches())
    figure.subplots_adjust(
        left=left / width, right=1 - right / width, bottom=bottom / height, top=1 - top / height
    )


def _hazard_names(view: ReportView, hazards: Sequence[HazardView]) -> list[str]:
    names = labels(view.language)["hazards"]
    return [names.get(h.key, h.key.replace("_", " ")) for h in hazards]


# Axis units by the size of the largest value: (divisor, unit word) per language.
_AXIS_UNITS = {
    "ko": ((1e12, "조원"), (1e8, "억원"), (1e4, "만원"), (1.0, "원")),
    "en": ((1e9, "KRW billion"), (1e6, "KRW million"), (1e3, "KRW thousand"), (1.0, "KRW")),
}


def _krw_axis(view: ReportView, largest: float) -> tuple[FuncFormatter, str]:
    """A tick formatter in one unit that suits ``largest``, and the axis label naming it."""
    divisor, unit = next(
        ((d, u) for d, u in _AXIS_UNITS[view.language] if largest >= d),
        _AXIS_UNITS[view.language][-1],
    )
    label = f"{labels(view.language)['charts']['loss_axis']} ({unit})"
    return FuncFormatter(lambda value, _pos: f"{value / divisor:,.4g}"), label


def _eal_by_hazard(view: ReportView) -> bytes:
    _, horizon = view.headline

    def any_loss(hazard: HazardView) -> bool:
        rows = [hazard.baseline, *(hazard.result(s, horizon) for s in view.scenarios)]
        return any(_loss(row) > 0 for row in rows)

    # Hazards with a loss, largest at the top of the horizontal bars.
    hazards = [h for h in reversed(view.ranked) if any_loss(h)] or list(reversed(view.ranked))
    series: list[tuple[str, list[float]]] = [
        (labels(view.language)["words"]["baseline"], [_loss(h.baseline) for h in hazards])
    ]
    for scenario in view.scenarios:
        series.append(
            (f"{scenario} {horizon}", [_loss(h.result(scenario, horizon)) for h in hazards])
        )
    fonts = _fonts()
    figure = Figure(figsize=(7.0, min(1.2 + 0.22 * len(hazards) * len(series), _MAX_HEIGHT)))
    names = _hazard_names(view, hazards)
    _margins(figure, left=max(text_width(n, _TICK_SIZE) for n in names) + 10, bottom=34)
    axes = figure.add_subplot()
    positions = np.arange(len(hazards))
    height = 0.8 / len(series)
    for index, (name, values) in enumerate(series):
        axes.barh(
            positions + (index - (len(series) - 1) / 2) * height,
            values,
            height=height,
            label=name,
            color=_PALETTE[index % len(_PALETTE)],
        )
    axes.set_yticks(positions, names)
    formatter, label = _krw_axis(view, max(max(v) for _, v in series))
    axes.xaxis.set_major_formatter(formatter)
    axes.set_xlabel(label, fontfamily=fonts)
    axes.tick_params(labelfontfamily=fonts, labelsize=_TICK_SIZE)
    axes.legend(prop={"family": fonts, "size": 8}, loc="lower right")
    axes.grid(axis="x", alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    return _images(figure)


def _total(view: ReportView) -> bytes:
    fonts = _fonts()
    figure = Figure(figsize=(7.0, 3.2))
    # Tick labels of at most six characters ("12,345"), the axis label beside them.
    _margins(figure, left=6 * 0.6 * _TICK_SIZE + 26, bottom=34)
    axes = figure.add_subplot()
    years = [float(h) for h in view.horizons]
    for index, scenario in enumerate(view.scenarios):
        cells = [view.total_eal(scenario, h) for h in view.horizons]
        values = [float(c["value"]) if c else np.nan for c in cells]
        axes.plot(
            years,
            values,
            marker="o",
            label=scenario,
            color=_PALETTE[(index + 1) % len(_PALETTE)],
        )
    today = view.total_eal("baseline", "baseline")
    if today:
        axes.axhline(
            float(today["value"]),
            linestyle="--",
            color=_PALETTE[0],
            label=labels(view.language)["words"]["baseline"],
        )
    axes.set_xticks(years, view.horizons)
    largest = max(
        (
            float(c["value"])
            for s in view.scenarios
            for h in view.horizons
            if (c := view.total_eal(s, h))
        ),
        default=0.0,
    )
    formatter, label = _krw_axis(view, largest)
    axes.yaxis.set_major_formatter(formatter)
    axes.set_ylabel(label, fontfamily=fonts)
    axes.set_ylim(bottom=0)
    axes.set_xlabel(labels(view.language)["charts"]["horizon_axis"], fontfamily=fonts)
    axes.tick_params(labelfontfamily=fonts, labelsize=_TICK_SIZE)
    axes.legend(prop={"family": fonts, "size": 8})
    axes.grid(alpha=0.3)
    axes.spines[["top", "right"]].set_visible(False)
    return _images(figure)


def _score_matrix(view: ReportView) -> bytes:
    hazards = list(view.ranked)
    columns: list[tuple[str, list[Mapping[str, Any] | None]]] = [
        (labels(view.language)["words"]["baseline"], [h.baseline for h in hazards])
    ]
    for scenario in view.scenarios:
        for horizon in view.horizons:
            columns.append(
                (f"{scenario}\n{horizon}", [h.result(scenario, horizon) for h in hazards])
            )
    scores: list[list[float | None]] = [[None] * len(columns) for _ in hazards]
    for col, (_, rows) in enumerate(columns):
        for row, result in enumerate(rows):
            if result and isinstance(result.get("score"), Mapping):
                scores[row][col] = float(result["score"]["value"])
    return score_matrix_svg(
        _hazard_names(view, hazards), [name for name, _ in columns], scores, fonts=_fonts()
    )
