"""The report as a typed, frozen tree: report -> hazards -> cases -> figures.

Every figure is a :class:`~riskreport.domain.quantity.Quantity` (value, unit, provenance,
source). The domain builds the tree once (:func:`riskreport.domain.report.build_report`); the
analysis turns it into JSON once, at the job boundary, with :meth:`Report.as_dict` (the lean form
of :mod:`riskreport.domain.lean_json`; :meth:`Report.as_verbose_dict` gives every figure as a
quantity object). The JSON shape is documented in docs/report-schema.md::

    report = build_report(inputs, results, cases)
    report.summary.headline.grade          # "C"
    report.hazards[0].results[0].score     # Quantity(3.0, "score", ...)
    report.as_dict()["summary"]["overall_grade"]    # "C"
    report.as_dict()["summary"]["overall_score"]    # [3, "q7"]: value and kind (quantity_kinds)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

from riskreport.domain.hazards.base import Measure
from riskreport.domain.lean_json import compact
from riskreport.domain.quantity import Label, Quantity
from riskreport.domain.sources import Source

Curve = Mapping[str, Quantity]  # return period ("100") -> figure
ByCase = Mapping[str, Mapping[str, Quantity]]  # scenario -> horizon ("2050") -> figure
InputFigure = Quantity | Curve | Mapping[str, Quantity]


def to_json(node: Any) -> Any:
    """The JSON form of any part of the tree (figures become quantity objects)."""
    if node is None or isinstance(node, str | int | float | bool):
        return node
    if isinstance(node, Quantity | Label):
        return node.as_dict()
    if hasattr(node, "as_dict"):
        return node.as_dict()
    if isinstance(node, Mapping):
        return {str(k): to_json(v) for k, v in node.items()}
    if isinstance(node, tuple | list):
        return [to_json(v) for v in node]
    raise TypeError(f"not part of a report: {type(node).__name__}")


def _by_case(table: ByCase) -> dict[str, dict[str, object]]:
    return {s: {h: q.as_dict() for h, q in row.items()} for s, row in table.items()}


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence in English and Korean."""

    en: str
    ko: str

    def as_dict(self) -> dict[str, str]:
        return {"en": self.en, "ko": self.ko}


@dataclass(frozen=True, slots=True)
class KeyedText:
    """A sentence in both languages under a stable key (a driver, a note)."""

    key: str
    text_en: str
    text_ko: str

    def as_dict(self) -> dict[str, str]:
        return {"key": self.key, "text_en": self.text_en, "text_ko": self.text_ko}


Driver = KeyedText  # why a hazard scores as it does
Note = KeyedText  # a remark on the whole report


@dataclass(frozen=True, slots=True)
class Range:
    """Low and high ends of a figure whose inputs carry a range (the central value is beside)."""

    low: Quantity
    high: Quantity

    def as_dict(self) -> dict[str, object]:
        return {"low": self.low.as_dict(), "high": self.high.as_dict()}


@dataclass(frozen=True, slots=True)
class AcuteLoss:
    eal: Quantity
    eal_pct: Quantity
    eal_range: Range | None  # where the inputs carry a range (coastal sea level)
    return_period_losses: Curve


@dataclass(frozen=True, slots=True)
class ChronicCost:
    annual_cost: Quantity
    revenue_share_pct: Quantity
    annual_cost_today: Quantity  # today's level, apart from the change
    added_annual_cost: Quantity  # the change from today, KRW
    added_revenue_share_pct: Quantity  # the change from today, % of revenue


@dataclass(frozen=True, slots=True)
class Case:
    """One hazard in one case (scenario x horizon, or today's baseline)."""

    scenario: str
    horizon: str | int
    warming_c: Quantity
    intensity: Mapping[str, Quantity]
    annual_probability: Quantity
    loss: AcuteLoss | ChronicCost
    change_vs_baseline_pct: Quantity | None  # None when the baseline is 0
    change_vs_baseline_krw: Quantity
    score: Quantity
    level_en: str
    level_ko: str
    drivers: tuple[Driver, ...]
    # With hazard maps: "hazard_maps", "hazard_maps_interpolated" or "built_in_model".
    hazard_data: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scenario": self.scenario,
            "horizon": self.horizon,
            "warming_c": self.warming_c.as_dict(),
            "intensity": {k: q.as_dict() for k, q in self.intensity.items()},
            "annual_probability": self.annual_probability.as_dict(),
        }
        if self.hazard_data is not None:
            out["hazard_data"] = self.hazard_data
        loss = self.loss
        if isinstance(loss, AcuteLoss):
            out["eal"] = loss.eal.as_dict()
            out["eal_pct"] = loss.eal_pct.as_dict()
            out["eal_range"] = loss.eal_range.as_dict() if loss.eal_range else None
            out["return_period_losses"] = {
                k: q.as_dict() for k, q in loss.return_period_losses.items()
            }
        else:
            out["annual_cost"] = loss.annual_cost.as_dict()
            out["revenue_share_pct"] = loss.revenue_share_pct.as_dict()
            out["annual_cost_today"] = loss.annual_cost_today.as_dict()
            out["added_annual_cost"] = loss.added_annual_cost.as_dict()
            out["added_revenue_share_pct"] = loss.added_revenue_share_pct.as_dict()
        change = self.change_vs_baseline_pct
        out["change_vs_baseline_pct"] = change.as_dict() if change else None
        out["change_vs_baseline_krw"] = self.change_vs_baseline_krw.as_dict()
        out["score"] = self.score.as_dict()
        out["level_en"] = self.level_en
        out["level_ko"] = self.level_ko
        out["drivers"] = [d.as_dict() for d in self.drivers]
        return out


@dataclass(frozen=True, slots=True)
class HazardReport:
    hazard: str
    kind: str
    method_source: str
    inputs: Mapping[str, InputFigure]
    baseline: Case
    results: tuple[Case, ...]
    # Where the intensity came from: hazard maps (their files) or the built-in model.
    hazard_data: Mapping[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "hazard": self.hazard,
            "kind": self.kind,
            "method_source": self.method_source,
            "inputs": to_json(self.inputs),
        }
        if self.hazard_data is not None:
            out["hazard_data"] = dict(self.hazard_data)
        out["baseline"] = self.baseline.as_dict()
        out["results"] = [c.as_dict() for c in self.results]
        return out


@dataclass(frozen=True, slots=True)
class FamilyCase:
    eal: Quantity
    return_period_losses: Curve

    def as_dict(self) -> dict[str, Any]:
        return {
            "eal": self.eal.as_dict(),
            "return_period_losses": {k: q.as_dict() for k, q in self.return_period_losses.items()},
        }


@dataclass(frozen=True, slots=True)
class Headline:
    """The grade of one scenario and horizon the user picked (default SSP2-4.5, 2050)."""

    scenario: str
    horizon: int
    requested: bool  # False when computed only for the headline
    grade: str
    score: Quantity
    hazard_scores: Mapping[str, Quantity]
    total_eal: Quantity
    total_annual_cost: Quantity

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "horizon": self.horizon,
            "requested": self.requested,
            "grade": self.grade,
            "score": self.score.as_dict(),
            "hazard_scores": {k: q.as_dict() for k, q in self.hazard_scores.items()},
            "total_eal": self.total_eal.as_dict(),
            "total_annual_cost": self.total_annual_cost.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class WorstCase:
    """The worst grade over every requested case, shown beside the headline."""

    scenario: str
    horizon: str | int
    grade: str
    score: Quantity

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "horizon": self.horizon,
            "grade": self.grade,
            "score": self.score.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class Summary:
    overall_grade: str  # the headline's grade
    overall_score: Quantity
    dominant_hazards: tuple[str, ...]
    hazard_scores: Mapping[str, Quantity]  # worst over the requested cases
    score_bands: Mapping[str, tuple[Quantity, ...]]  # thresholds of the scores, by measure
    total_eal: ByCase
    total_eal_retained: ByCase
    total_annual_cost: ByCase
    flood_family: Mapping[str, Mapping[str, FamilyCase]]
    flood_family_note: Text
    storm_note: Text
    headline: Headline
    worst_case: WorstCase
    total_annual_cost_today: Quantity
    total_added_annual_cost: ByCase
    contents_eal: ByCase | None  # estimated contents, not in total_eal (None: contents given)
    contents_note: Text

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall_grade": self.overall_grade,
            "overall_score": self.overall_score.as_dict(),
            "dominant_hazards": list(self.dominant_hazards),
            "hazard_scores": {k: q.as_dict() for k, q in self.hazard_scores.items()},
            "score_bands": {k: [q.as_dict() for q in v] for k, v in self.score_bands.items()},
            "total_eal": _by_case(self.total_eal),
            "total_eal_retained": _by_case(self.total_eal_retained),
            "total_annual_cost": _by_case(self.total_annual_cost),
            "flood_family": {
                s: {h: f.as_dict() for h, f in row.items()} for s, row in self.flood_family.items()
            },
            "flood_family_note": self.flood_family_note.as_dict(),
            "storm_note": self.storm_note.as_dict(),
            "headline": self.headline.as_dict(),
            "worst_case": self.worst_case.as_dict(),
            "total_annual_cost_today": self.total_annual_cost_today.as_dict(),
            "total_added_annual_cost": _by_case(self.total_added_annual_cost),
            "contents_eal": _by_case(self.contents_eal) if self.contents_eal is not None else None,
            "contents_note": self.contents_note.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class Parameters:
    """The request's choices, echoed (plain numbers here are labels, not figures)."""

    scenarios: tuple[str, ...]
    horizons: tuple[int, ...]
    hazards: tuple[str, ...]
    return_periods: tuple[int, ...]
    headline: tuple[str, int]
    narrative: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scenarios": list(self.scenarios),
            "horizons": list(self.horizons),
            "hazards": list(self.hazards),
            "return_periods": list(self.return_periods),
            "headline": {"scenario": self.headline[0], "horizon": self.headline[1]},
        }
        if self.narrative is not None:
            out["narrative"] = self.narrative
        return out


@dataclass(frozen=True, slots=True)
class Report:
    schema_version: str
    model_version: str
    language: str
    location: Mapping[str, Any]  # already in JSON form (see report._location)
    building: Mapping[str, Quantity | Label]
    asset: Mapping[str, Quantity]
    site: Mapping[str, Quantity]
    parameters: Parameters
    hazards: tuple[HazardReport, ...]
    summary: Summary
    recommendations: tuple[Measure, ...]
    assumptions: tuple[Note, ...]
    sources: tuple[Source, ...]

    def as_dict(self) -> dict[str, Any]:
        """The JSON form, lean (docs/report-schema.md); call it once, at the boundary."""
        return compact(self.as_verbose_dict())

    def as_verbose_dict(self) -> dict[str, Any]:
        """The verbose JSON form: every figure a ``{"value", "unit", "provenance", "source"}``
        object (``riskreport.domain.lean_json.expand`` of :meth:`as_dict`)."""
        return {
            "schema_version": self.schema_version,
            "model_version": self.model_version,
            "language": self.language,
            "location": dict(self.location),
            "building": to_json(self.building),
            "asset": to_json(self.asset),
            "site": to_json(self.site),
            "parameters": self.parameters.as_dict(),
            "hazards": [h.as_dict() for h in self.hazards],
            "summary": self.summary.as_dict(),
            "recommendations": [m.as_dict() for m in self.recommendations],
            "assumptions": [n.as_dict() for n in self.assumptions],
            "sources": [s.as_dict() for s in self.sources],
        }


def _case_sources(case: Case, found: set[str]) -> None:
    # The bulk of a report's figures: read directly rather than by walking every field.
    found.add(case.warming_c.source)
    found.add(case.annual_probability.source)
    found.add(case.score.source)
    found.update(q.source for q in case.intensity.values())
    loss = case.loss
    if isinstance(loss, AcuteLoss):
        found.add(loss.eal.source)
        found.update(q.source for q in loss.return_period_losses.values())
        if loss.eal_range is not None:
            found.update((loss.eal_range.low.source, loss.eal_range.high.source))
    else:
        found.add(loss.annual_cost.source)


# The field names of each dataclass met in a report, looked up once per class.
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def source_keys(node: Any, out: set[str] | None = None) -> set[str]:
    """Every source key of the figures under ``node`` (echoes of the request hold none)."""
    found = set() if out is None else out
    kind = type(node)
    # The parts a report is made of by their exact type first (this visits every part of a
    # report); a figure inside a mapping or a list is read there, without a call of its own.
    if kind is Quantity or kind is Label:
        found.add(node.source)
    elif kind is str or kind is float or kind is int or node is None:
        pass
    elif kind is Case:
        _case_sources(node, found)
    elif kind is dict:
        if isinstance(node.get("source"), str) and "provenance" in node:
            found.add(node["source"])  # a figure already in JSON form (location)
        else:
            _sources_of(node.values(), found)
    elif kind is tuple or kind is list:
        _sources_of(node, found)
    elif isinstance(node, Case):
        _case_sources(node, found)
    elif isinstance(node, Quantity | Label):
        found.add(node.source)
    elif isinstance(node, Parameters | str | int | float | bool) or node is None:
        pass
    elif isinstance(node, Mapping):
        if isinstance(node.get("source"), str) and "provenance" in node:
            found.add(node["source"])  # a figure already in JSON form (location)
        else:
            _sources_of(node.values(), found)
    elif isinstance(node, tuple | list):
        _sources_of(node, found)
    elif is_dataclass(node):
        names = _FIELD_NAMES.get(kind)
        if names is None:
            names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(node))
        for name in names:
            source_keys(getattr(node, name), found)
    return found


def _sources_of(values: Iterable[Any], found: set[str]) -> None:
    for value in values:
        if type(value) is Quantity:
            found.add(value.source)
        else:
            source_keys(value, found)
