"""Pieces of the report: one hazard's cases, dominant hazards, recommendations.

Each piece is part of the typed tree of :mod:`riskreport.domain.report_tree`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays, Measure
from riskreport.domain.hazards.flood_maps import MAP
from riskreport.domain.hazards.registry import REGISTRY, Registry
from riskreport.domain.losses import REPORTED_INDEX, REPORTED_RETURN_PERIODS
from riskreport.domain.quantity import Provenance, Quantity
from riskreport.domain.report_hazard_data import CASE_DATA, hazard_data
from riskreport.domain.report_inputs import ReportInputs
from riskreport.domain.report_tree import AcuteLoss, Case, ChronicCost, Driver, HazardReport, Range
from riskreport.domain.scores import LEVELS_EN, LEVELS_KO, acute_score_of, chronic_score_of
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY, USER_KEY

_D = Provenance.DERIVED
MAX_DOMINANT = 3
DOMINANT_MIN_SCORE = 3.0
MEASURES_PER_HAZARD = 3
WARMING_SOURCE = "ipcc-ar6-wg1-spm-t1"


def _q(value: float, unit: str, source: str, provenance: Provenance = _D) -> Quantity:
    return Quantity(float(value), unit, provenance, source)


def _pct_change(now: float, base: float, source: str) -> Quantity | None:
    # No baseline loss: a percentage change is undefined (null); the KRW change says it all.
    return None if base == 0.0 else _q((now - base) / base * 100.0, "%", source)


def _intensity(h: HazardArrays, c: int, overridden: bool) -> dict[str, Quantity]:
    mapped = 0 if h.map_cases is None else int(h.map_cases[0, c])
    out: dict[str, Quantity] = {}
    for name, it in h.intensity.items():
        prov, src = Provenance(it.provenance), it.source
        if overridden and prov is Provenance.ASSUMPTION:
            prov, src = Provenance.USER_INPUT, USER_KEY
        if it.mapped and mapped and h.map_source:
            prov = Provenance.DATA if mapped == MAP else _D
            src = h.map_source
        out[name] = Quantity(float(it.values[0, c]), it.unit, prov, src)
    return out


def _acute(h: HazardArrays, c: int, value: float) -> tuple[AcuteLoss, float]:
    assert h.damage is not None
    loss, src = float(h.loss[0, c]), h.source
    eal_pct = loss / value * 100.0 if value > 0 else 0.0
    rp100 = float(h.damage[0, c, REPORTED_INDEX[2]]) * 100.0
    spread = None
    if h.loss_range is not None:
        low, high = h.loss_range
        spread = Range(_q(low[0, c], "KRW", src), _q(high[0, c], "KRW", src))
    part = AcuteLoss(
        eal=_q(loss, "KRW", src),
        eal_pct=_q(eal_pct, "%", src),
        eal_range=spread,
        return_period_losses={
            str(t): _q(h.damage[0, c, i] * value, "KRW", src)
            for t, i in zip(REPORTED_RETURN_PERIODS, REPORTED_INDEX, strict=True)
        },
    )
    return part, float(acute_score_of(rp100, eal_pct))


def _chronic(h: HazardArrays, c: int, revenue: float) -> tuple[ChronicCost, float]:
    loss, today, src = float(h.loss[0, c]), float(h.loss[0, 0]), h.source

    def share(x: float) -> float:
        return x / revenue * 100.0 if revenue > 0 else 0.0

    part = ChronicCost(
        annual_cost=_q(loss, "KRW", src),
        revenue_share_pct=_q(share(loss), "%", src),
        annual_cost_today=_q(today, "KRW", src),
        added_annual_cost=_q(loss - today, "KRW", src),
        added_revenue_share_pct=_q(share(loss - today), "%", src),
    )
    return part, float(chronic_score_of(share(loss)))


def case_entry(
    h: HazardArrays,
    site: SiteBatch,
    cases: CaseGrid,
    c: int,
    inputs: ReportInputs,
    registry: Registry = REGISTRY,
    texts: Mapping[str, tuple[str, str]] | None = None,
) -> Case:
    """Hazard ``h`` in case ``c`` for building 0; ``texts`` are the registry's driver texts."""
    scenario, horizon = cases.labels[c]
    loss, base = float(h.loss[0, c]), float(h.loss[0, 0])
    part: AcuteLoss | ChronicCost
    if h.kind == "acute":
        part, score = _acute(h, c, float(site.value_krw[0]))
        score_src = "physrisk-docs"
    else:
        part, score = _chronic(h, c, float(site.revenue_krw[0]))
        score_src = ASSUMPTIONS_KEY
    texts = texts or registry.driver_texts()
    keys = registry.get(h.hazard).driver_keys(h, site, c)
    return Case(
        scenario=scenario,
        horizon=horizon,
        warming_c=_q(
            cases.warming_c[c], "degC", WARMING_SOURCE, Provenance.PUBLISHED if c == 0 else _D
        ),
        intensity=_intensity(h, c, h.hazard in inputs.overridden_hazards),
        annual_probability=_q(h.probability[0, c], "1/yr", h.source),
        loss=part,
        change_vs_baseline_pct=_pct_change(loss, base, h.source),
        change_vs_baseline_krw=_q(loss - base, "KRW", h.source),
        score=_q(score, "score", score_src),
        level_en=LEVELS_EN[int(score)],
        level_ko=LEVELS_KO[int(score)],
        drivers=tuple(Driver(k, *texts[k]) for k in keys),
        hazard_data=None if h.map_cases is None else CASE_DATA[int(h.map_cases[0, c])],
    )


def hazard_report(
    h: HazardArrays,
    cases: CaseGrid,
    inputs: ReportInputs,
    registry: Registry = REGISTRY,
) -> tuple[HazardReport, list[Case]]:
    """One hazard's report entry (requested cases) and its cases in every computed case."""
    hazard, site = registry.get(h.hazard), inputs.site
    texts = registry.driver_texts()
    every = [case_entry(h, site, cases, c, inputs, registry, texts) for c in range(cases.size)]
    entry = HazardReport(
        hazard=hazard.key,
        kind=hazard.kind,
        method_source=h.source,
        inputs=hazard.report_inputs(site, h.inputs, inputs.input_provenance),
        baseline=every[0],
        results=tuple(every[1 : cases.requested_size]),
        hazard_data=hazard_data(h, cases.requested_size),
    )
    return entry, every


def dominant_hazards(worst: Mapping[str, tuple[float, float]]) -> list[str]:
    """Hazards with the highest worst-case scores (ties: larger annual loss or cost first).

    Up to three hazards scoring at least 3; if none does, the single highest.
    """
    ranked = sorted(worst, key=lambda k: (-worst[k][0], -worst[k][1], k))
    top = [k for k in ranked if worst[k][0] >= DOMINANT_MIN_SCORE][:MAX_DOMINANT]
    return top or ranked[:1]


def recommendations(
    results: Mapping[str, HazardArrays],
    worst: Mapping[str, tuple[float, float]],
    dominant: list[str],
    site: SiteBatch,
    requested: int,
    registry: Registry = REGISTRY,
) -> tuple[Measure, ...]:
    """Measures for the dominant hazards and any other hazard scoring 3 or more.

    Each hazard's measures follow its drivers in its worst requested case.
    """
    chosen = dominant + [
        k for k in worst if worst[k][0] >= DOMINANT_MIN_SCORE and k not in dominant
    ]
    out: list[Measure] = []
    seen: set[str] = set()
    for key in chosen:
        h, hazard = results[key], registry.get(key)
        c = int(np.argmax(h.loss[0, :requested]))
        for m in hazard.measures_for(hazard.driver_keys(h, site, c))[:MEASURES_PER_HAZARD]:
            if m.key not in seen:
                seen.add(m.key)
                out.append(m)
    return tuple(out)
