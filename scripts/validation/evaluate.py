"""Run every hazard at every validation site through the public API and rank the sites.

Only the public surface is used (``riskreport.analyze``, ``riskreport.expand`` and the report
keys documented in docs/report-schema.md: ``hazards[*].hazard``, ``baseline``, ``results[*]``
with ``scenario``, ``horizon``, ``eal`` or ``annual_cost``, ``score``, ``intensity``), so the
table keeps working when the model's internals change.

>>> from scripts.validation.sites import load_catalogue
>>> out = evaluate(load_catalogue())                             # doctest: +SKIP
>>> ranks(out.by_hazard("heat_wave"))["daegu"]                   # doctest: +SKIP
1
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import riskreport
from scripts.validation.sites import ASSET, BUILDING, HORIZON, SCENARIO, Catalogue, Record

# The intensity shown per hazard: the first key found in today's ``intensity``, else the first
# numeric entry there (a restructured report may rename its measures).
INTENSITY_KEYS: dict[str, tuple[str, ...]] = {
    "heat_wave": ("heat_days",),
    "cold_wave": ("cold_days",),
    "wildfire": ("fire_probability",),
    "drought": ("disruption_fraction", "spei12_mean"),
    "water_stress": ("water_stress_ratio",),
    "coastal_flood": ("depth_100yr_m", "still_water_level_100yr_m"),
    "river_flood": ("depth_100yr_m",),
    "urban_flood": ("depth_100yr_m",),
    "typhoon": ("wind_10min_100yr_ms",),
}


@dataclass(frozen=True)
class Outcome:
    """One hazard at one site: today's key intensity, loss today and in SSP2-4.5 2050.

    ``loss_*`` is the expected annual loss (acute) or annual cost (chronic), KRW.
    """

    site: str
    hazard: str
    kind: str
    intensity_key: str | None
    intensity: float | None
    intensity_unit: str
    loss_today: float
    loss_future: float
    score_today: int | None


# What the report says about the site itself (docs/report-schema.md, ``site``), shown beside
# the observed geography so that a surprising flood result can be traced to its input.
SITE_KEYS = ("distance_to_coast_m", "ground_elevation_m", "distance_to_river_m")


@dataclass(frozen=True)
class Placement:
    """Where the model puts a site: the municipality it matched and its site inputs."""

    site: str
    municipality: str
    inputs: dict[str, float | None]


@dataclass(frozen=True)
class Evaluation:
    """All outcomes, in site order then hazard order, and the model version that made them."""

    model_version: str
    hazards: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    placements: tuple[Placement, ...] = ()

    def by_hazard(self, hazard: str) -> list[Outcome]:
        """The outcomes of one hazard, in site order."""
        return [o for o in self.outcomes if o.hazard == hazard]


def _number(q: Any) -> float | None:
    """A quantity's value (``{"value": x, ...}``) or a bare number; None otherwise."""
    v = q.get("value") if isinstance(q, Mapping) else q
    if isinstance(v, bool) or not isinstance(v, int | float):
        return None
    return float(v)


def _loss(case: Mapping[str, Any]) -> float:
    for key in ("eal", "annual_cost"):
        if key in case:
            v = _number(case[key])
            if v is not None:
                return v
    raise KeyError(f"case {case.get('scenario')}/{case.get('horizon')} has no eal or annual_cost")


def _intensity(hazard: str, case: Mapping[str, Any]) -> tuple[str | None, float | None, str]:
    found: Mapping[str, Any] = case.get("intensity") or {}
    for key in (*INTENSITY_KEYS.get(hazard, ()), *found):
        if key in found and _number(found[key]) is not None:
            q = found[key]
            unit = str(q.get("unit", "")) if isinstance(q, Mapping) else ""
            return key, _number(q), unit
    return None, None, ""


def _future_case(entry: Mapping[str, Any]) -> Mapping[str, Any]:
    for case in entry["results"]:
        if case["scenario"] == SCENARIO and int(case["horizon"]) == HORIZON:
            return dict(case)
    raise KeyError(f"{entry['hazard']}: no {SCENARIO} {HORIZON} case in the report")


def outcomes_of(site: str, report: Mapping[str, Any]) -> list[Outcome]:
    """The outcomes of one report, one per hazard, in the report's order."""
    report = riskreport.expand(report)  # every figure a {"value", "unit", ...} object
    out = []
    for entry in report["hazards"]:
        base = entry["baseline"]
        key, value, unit = _intensity(entry["hazard"], base)
        score = _number(base.get("score"))
        out.append(
            Outcome(
                site=site,
                hazard=entry["hazard"],
                kind=str(entry.get("kind", "acute" if "eal" in base else "chronic")),
                intensity_key=key,
                intensity=value,
                intensity_unit=unit,
                loss_today=_loss(base),
                loss_future=_loss(_future_case(entry)),
                score_today=None if score is None else int(score),
            )
        )
    return out


def placement_of(site: str, report: Mapping[str, Any]) -> Placement:
    """The matched municipality and the site inputs of one report (missing keys give None)."""
    report = riskreport.expand(report)
    matched = (report.get("location") or {}).get("matched") or {}
    name = " ".join(str(matched[k]) for k in ("province_en", "municipality_en") if matched.get(k))
    given = dict(report.get("site") or {})
    # Without the user's ground elevation the site block shows none: the one the coastal
    # flood compared with the sea is in that hazard's inputs.
    hazards: list[Mapping[str, Any]] = report.get("hazards", [])
    coastal = next((h for h in hazards if h["hazard"] == "coastal_flood"), {})
    given.setdefault("ground_elevation_m", (coastal.get("inputs") or {}).get("ground_elevation_m"))
    return Placement(site, name, {k: _number(given.get(k)) for k in SITE_KEYS})


def evaluate(catalogue: Catalogue) -> Evaluation:
    """Analyze the one validation building at every site (baseline and SSP2-4.5 2050)."""
    outcomes: list[Outcome] = []
    placements: list[Placement] = []
    version = ""
    hazards: tuple[str, ...] = ()
    for site in catalogue.sites:
        report = riskreport.analyze(
            {"lat": site.lat, "lon": site.lon},
            BUILDING,
            ASSET,
            {"scenarios": [SCENARIO], "horizons": [HORIZON]},
            language="en",
        )
        version = str(report.get("model_version", ""))
        rows = outcomes_of(site.key, report)
        hazards = hazards or tuple(o.hazard for o in rows)
        outcomes.extend(rows)
        placements.append(placement_of(site.key, report))
    return Evaluation(version, hazards, tuple(outcomes), tuple(placements))


def ranks(outcomes: Sequence[Outcome]) -> dict[str, int]:
    """Rank sites by today's loss, largest first; equal losses share a rank (1, 2, 2, 4).

    >>> o = [Outcome(k, "h", "acute", None, None, "", v, v, None)
    ...      for k, v in (("a", 1.0), ("b", 3.0), ("c", 1.0), ("d", 0.0))]
    >>> ranks(o)
    {'a': 2, 'b': 1, 'c': 2, 'd': 4}
    """
    return {o.site: 1 + sum(p.loss_today > o.loss_today for p in outcomes) for o in outcomes}


@dataclass(frozen=True)
class Verdict:
    """How the model's ranking meets the record.

    ``in_order`` / ``tied`` / ``reversed`` count the (record-high, record-low) pairs of sites by
    today's loss; ``high_ranks`` are the ranks of the record-high sites among ``n_sites``.
    """

    in_order: int
    tied: int
    reversed: int
    high_ranks: tuple[int, ...]
    n_sites: int

    @property
    def pairs(self) -> int:
        return self.in_order + self.tied + self.reversed

    @property
    def word(self) -> str:
        """``agrees``: every pair in order and every record-high site in the upper half;
        ``disagrees``: no pair in order; else ``partly``."""
        upper = all(2 * r <= self.n_sites for r in self.high_ranks)
        if self.in_order == self.pairs and upper:
            return "agrees"
        return "disagrees" if self.in_order == 0 else "partly"


def verdict(record: Record, outcomes: Sequence[Outcome]) -> Verdict:
    """Compare today's loss of every (record-high, record-low) pair of sites.

    >>> o = [Outcome(k, "h", "acute", None, None, "", v, v, None)
    ...      for k, v in (("a", 2.0), ("b", 0.0), ("c", 0.0), ("d", 1.0))]
    >>> v = verdict(Record("h", ("a", "b"), ("c",), ""), o)
    >>> v.in_order, v.tied, v.reversed, v.high_ranks, v.word
    (1, 1, 0, (1, 3), 'partly')
    """
    loss = {o.site: o.loss_today for o in outcomes}
    rank = ranks(outcomes)
    pairs = [(loss[h], loss[lo]) for h in record.high for lo in record.low]
    return Verdict(
        in_order=sum(h > lo for h, lo in pairs),
        tied=sum(h == lo for h, lo in pairs),
        reversed=sum(h < lo for h, lo in pairs),
        high_ranks=tuple(rank[h] for h in record.high),
        n_sites=len(outcomes),
    )
