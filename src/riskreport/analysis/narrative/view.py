"""What the templates see: the report's result arranged for reading, values untouched.

The view picks, orders and groups; it never computes a new figure, so that every number a
template prints is a number of the result (the number check relies on it)::

    view = ReportView.of(report)
    view.headline  # ("SSP5-8.5", "2050"): the case the summary speaks of
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from riskreport.analysis.request import AssetInfo, BuildingInfo
from riskreport.domain.hazards.registry import FLOOD_FAMILY, REGISTRY
from riskreport.domain.lean_json import expand

JSON = Mapping[str, Any]
# The building, asset and site facts a request may give (building_info, asset_info).
REQUEST_FACTS = frozenset((*BuildingInfo.model_fields, *AssetInfo.model_fields))


def _horizon_key(horizon: object) -> str:
    return str(horizon)


def _member(node: JSON, key: str) -> JSON:
    """``node[key]`` when it is an object, else an empty one (a part the report lacks)."""
    value = node.get(key)
    return value if isinstance(value, Mapping) else {}


@dataclass(frozen=True, slots=True)
class HazardView:
    """One hazard: its results by (scenario, horizon), the baseline, and the headline case."""

    key: str
    kind: str
    baseline: JSON | None
    results: tuple[JSON, ...]
    headline: JSON | None
    worst: JSON | None  # the case with the highest loss

    def result(self, scenario: str, horizon: object) -> JSON | None:
        for row in self.results:
            if row.get("scenario") == scenario and _horizon_key(row.get("horizon")) == str(horizon):
                return row
        return None

    @property
    def worst_score(self) -> float:
        """The highest score over the baseline and every requested case."""
        scores = [
            float(row["score"]["value"])
            for row in (self.baseline, *self.results)
            if row and isinstance(row.get("score"), Mapping)
        ]
        return max(scores, default=0.0)

    @property
    def drivers(self) -> tuple[JSON, ...]:
        source = self.headline or self.worst or self.baseline or {}
        return tuple(source.get("drivers", ()))

    @property
    def without_loss(self) -> bool:
        """No loss in any requested case, nor in today's climate."""
        rows = (self.baseline, *self.results)
        return bool(self.results) and all(_loss_value(row) == 0 for row in rows if row)

    @property
    def peak(self) -> JSON | None:
        """The case of highest loss where it scores above the headline case (the hazard is
        among the dominant ones for it); None where the headline case scores as high."""
        top, now = self.worst, self.headline
        if top is None or now is None or _score_value(top) <= _score_value(now):
            return None
        return top

    @property
    def rarer_than_reported(self) -> str | None:
        """The longest reported return period when the headline case has an expected loss but
        every reported return-period loss is 0: all of that loss comes from rarer events."""
        row = self.headline or {}
        losses = row.get("return_period_losses") or {}
        if not losses or _loss_value(row) <= 0 or "eal" not in row:
            return None
        if any(float(q["value"]) for q in losses.values()):
            return None
        return str(list(losses)[-1])


def loss_of(row: JSON | None) -> JSON | None:
    """The loss quantity of a result row: expected annual loss (acute) or annual cost (chronic)."""
    if row is None:
        return None
    for key in ("eal", "annual_cost"):
        value = row.get(key)
        if isinstance(value, Mapping):
            return value
    return None


def loss_share_of(row: JSON | None) -> JSON | None:
    """The loss as a share: of the value at risk (acute) or of revenue (chronic)."""
    if row is None:
        return None
    for key in ("eal_pct", "revenue_share_pct"):
        value = row.get(key)
        if isinstance(value, Mapping):
            return value
    return None


def _loss_value(row: JSON) -> float:
    loss = loss_of(row)
    return float(loss["value"]) if loss else 0.0


def _score_value(row: JSON) -> float:
    return float(row["score"]["value"])


@dataclass(frozen=True, slots=True)
class ReportView:
    """The report arranged for the templates."""

    report: JSON
    language: str
    scenarios: tuple[str, ...]
    horizons: tuple[str, ...]
    headline: tuple[str, str]
    hazards: tuple[HazardView, ...]
    dominant: tuple[HazardView, ...]

    @classmethod
    def of(cls, report: JSON) -> ReportView:
        # The templates read figures as quantity objects: a lean report (schema 2) is expanded.
        report = expand(report)
        params = report.get("parameters", {})
        scenarios = tuple(str(s) for s in params.get("scenarios", ()))
        horizons = tuple(_horizon_key(h) for h in params.get("horizons", ()))
        headline = _headline(report, scenarios, horizons)
        hazards = tuple(
            _hazard_view(entry, headline) for entry in report.get("hazards", ()) if entry
        )
        by_key = {h.key: h for h in hazards}
        dominant_keys = report.get("summary", {}).get("dominant_hazards", ())
        dominant = tuple(by_key[k] for k in dominant_keys if k in by_key)
        return cls(
            report=report,
            language=str(report.get("language", "ko")),
            scenarios=scenarios,
            horizons=horizons,
            headline=headline,
            hazards=hazards,
            dominant=dominant,
        )

    @property
    def summary(self) -> JSON:
        return _member(self.report, "summary")

    @property
    def location(self) -> JSON:
        return _member(self.report, "location")

    @property
    def building(self) -> JSON:
        return _member(self.report, "building")

    @property
    def asset(self) -> JSON:
        return _member(self.report, "asset")

    @property
    def site(self) -> JSON:
        return _member(self.report, "site")

    @property
    def notable(self) -> tuple[HazardView, ...]:
        """Hazards scoring above the lowest score in some case, by headline loss."""
        return tuple(h for h in self.ranked if h.worst_score > 1)

    @property
    def minor(self) -> tuple[HazardView, ...]:
        """Hazards at the lowest score in every case."""
        return tuple(h for h in self.ranked if h.worst_score <= 1)

    def total_eal(self, scenario: str, horizon: str) -> JSON | None:
        """The total expected annual loss of a case (``"baseline", "baseline"`` for today):
        the acute hazards' damage."""
        cell = _member(_member(self.summary, "total_eal"), scenario).get(str(horizon))
        return cell if isinstance(cell, Mapping) else None

    def total_cost(self, scenario: str, horizon: str) -> JSON | None:
        """The chronic hazards' annual cost of a case together, as ``total_eal``; None when no
        chronic hazard was assessed."""
        if not any(h.kind == "chronic" for h in self.hazards):
            return None
        cell = _member(_member(self.summary, "total_annual_cost"), scenario).get(str(horizon))
        return cell if isinstance(cell, Mapping) else None

    @property
    def total_notes(self) -> tuple[str, ...]:
        """How the acute total was added up, in the report's language, where it matters: the
        flood note with two flood hazards or more (their losses are not added), the storm note
        with a typhoon and a flood hazard (nor are theirs). Without them a reader adding the
        hazards' losses finds more than the total, and cannot tell why."""
        keys = {h.key for h in self.hazards}
        floods = keys & set(FLOOD_FAMILY)
        wind = (keys & set(REGISTRY.storm)) - floods  # the storm's hazards that are no flood
        applies = {"flood_family_note": len(floods) > 1, "storm_note": bool(floods and wind)}
        notes = (self.summary.get(name) for name, wanted in applies.items() if wanted)
        return tuple(
            str(n[self.language]) for n in notes if isinstance(n, Mapping) and n.get(self.language)
        )

    @property
    def ranked(self) -> tuple[HazardView, ...]:
        """Hazards from the highest loss in the headline case to the lowest."""
        return tuple(sorted(self.hazards, key=lambda h: -_loss_value(h.headline or {})))

    @property
    def warming(self) -> tuple[tuple[str, str, JSON], ...]:
        """Global warming of each (scenario, horizon), as the hazard results state it."""
        found: dict[tuple[str, str], JSON] = {}
        for hazard in self.hazards:
            for row in hazard.results:
                q = row.get("warming_c")
                key = (str(row.get("scenario")), _horizon_key(row.get("horizon")))
                if isinstance(q, Mapping) and key not in found:
                    found[key] = q
        return tuple(
            (s, h, found[(s, h)]) for s in self.scenarios for h in self.horizons if (s, h) in found
        )

    @property
    def assumed(self) -> tuple[tuple[str, JSON], ...]:
        """Facts a request can give that were not given and carry a default (``assumption``)."""
        return tuple((n, q) for n, q in self._assumptions() if n in REQUEST_FACTS)

    @property
    def fixed(self) -> tuple[tuple[str, JSON], ...]:
        """Assumed facts no request can change (the district's impervious share): the
        documents must not invite the reader to give them."""
        return tuple((n, q) for n, q in self._assumptions() if n not in REQUEST_FACTS)

    def _assumptions(self) -> list[tuple[str, JSON]]:
        found: list[tuple[str, JSON]] = []
        for group in (self.building, self.asset, self.site):
            for name, item in group.items():
                if isinstance(item, Mapping) and item.get("provenance") == "assumption":
                    found.append((name, item))
        return found

    @property
    def recommendations(self) -> Sequence[JSON]:
        return tuple(self.report.get("recommendations", ()))

    @property
    def sources(self) -> Sequence[JSON]:
        return tuple(self.report.get("sources", ()))

    @property
    def hazard_maps(self) -> tuple[tuple[str, int], ...]:
        """(hazard key, map files read) of each hazard that hazard maps answered."""
        out = []
        for entry in self.report.get("hazards", ()):
            data = entry.get("hazard_data") or {}
            if data.get("used") == "hazard_maps":
                out.append((str(entry["hazard"]), len(data.get("files", ()))))
        return tuple(out)

    @property
    def assumptions(self) -> tuple[str, ...]:
        """The model's general assumption notes in the report's language.

        Notes on single facts that were defaulted or estimated from the location (keys
        ``default.*``, ``estimate.*``) are left out where the facts table shows the fact with
        its provenance; a fact the table does not show (the ground elevation nobody gave) keeps
        its note.
        """
        shown = {*self.building, *self.asset, *self.site}
        notes: list[str] = []
        for note in self.report.get("assumptions", ()):
            if isinstance(note, Mapping):
                kind, _, fact = str(note.get("key", "")).partition(".")
                if kind in ("default", "estimate") and fact in shown:
                    continue
                text = note.get(f"text_{self.language}") or note.get(self.language)
                notes.append(str(text if text is not None else note))
            else:
                notes.append(str(note))
        return tuple(notes)


def _headline(
    report: JSON, scenarios: tuple[str, ...], horizons: tuple[str, ...]
) -> tuple[str, str]:
    """The case the summary speaks of: mid-century if asked for, under the highest-loss scenario."""
    if not scenarios or not horizons:
        return ("", "")
    # The report's own headline case (the grade's) when it is among the requested ones.
    picked = report.get("summary", {}).get("headline")
    if isinstance(picked, Mapping) and picked.get("requested"):
        return (str(picked["scenario"]), str(picked["horizon"]))
    horizon = "2050" if "2050" in horizons else horizons[len(horizons) // 2]
    table = report.get("summary", {}).get("total_eal", {})

    def loss(scenario: str) -> float:
        cell = table.get(scenario, {}).get(horizon)
        return float(cell["value"]) if isinstance(cell, Mapping) else 0.0

    return (max(scenarios, key=loss), horizon)


def _hazard_view(entry: JSON, headline: tuple[str, str]) -> HazardView:
    results = tuple(entry.get("results", ()))
    view = HazardView(
        key=str(entry.get("hazard")),
        kind=str(entry.get("kind", "")),
        baseline=entry.get("baseline"),
        results=results,
        headline=None,
        worst=max(results, key=_loss_value) if results else None,
    )
    return HazardView(
        key=view.key,
        kind=view.kind,
        baseline=view.baseline,
        results=view.results,
        headline=view.result(*headline),
        worst=view.worst,
    )
