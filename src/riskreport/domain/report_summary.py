"""The report's summary: the headline grade, the worst case beside it, and the totals.

The headline grade comes from one scenario and horizon (``parameters.headline``, default
SSP2-4.5 in 2050), computed even when not otherwise requested; the worst grade over every
requested case is shown beside it. ``hazard_scores`` and ``dominant_hazards`` look at the worst
requested case, so that no hazard that matters later is left out of the advice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays
from riskreport.domain.hazards.registry import REGISTRY, Registry
from riskreport.domain.losses import REPORTED_INDEX, REPORTED_RETURN_PERIODS, eal_fraction
from riskreport.domain.quantity import Provenance, Quantity
from riskreport.domain.report_notes import CONTENTS_APART, CONTENTS_IN, FLOOD_NOTE, STORM_NOTE
from riskreport.domain.report_parts import dominant_hazards
from riskreport.domain.report_tree import ByCase, Case, FamilyCase, Headline, Summary, WorstCase
from riskreport.domain.scores import (
    CHRONIC_BANDS,
    EAL_BANDS,
    GRADES,
    PHYSRISK_RP100_BANDS,
    RP100_BANDS,
)
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY
from riskreport.domain.totals import total_losses

_D = Provenance.DERIVED
_TOTALS = "physrisk-docs"
_JRC = "jrc-huizinga-2017"


def _q(value: float, unit: str, source: str, provenance: Provenance = _D) -> Quantity:
    return Quantity(float(value), unit, provenance, source)


def _by_case(cases: CaseGrid, values: Array, source: str, prov: Provenance = _D) -> ByCase:
    out: dict[str, dict[str, Quantity]] = {}
    for c in range(cases.requested_size):
        s, h = cases.labels[c]
        out.setdefault(s, {})[str(h)] = _q(values[c], "KRW", source, prov)
    return out


def _bands(
    values: tuple[float, ...], published: frozenset[float] = frozenset()
) -> tuple[Quantity, ...]:
    return tuple(
        _q(b, "%", _TOTALS, Provenance.PUBLISHED)
        if b in published
        else _q(b, "%", ASSUMPTIONS_KEY, Provenance.ASSUMPTION)
        for b in values
    )


# The thresholds of the scores, each with its source, the same in every report: a score is 1 plus
# the number of bands its measure exceeds (an acute hazard's, the higher of its two measures').
SCORE_BANDS: dict[str, tuple[Quantity, ...]] = {
    "acute_rp100_loss_pct_of_value": _bands(RP100_BANDS, PHYSRISK_RP100_BANDS),
    "acute_eal_pct_of_value": _bands(EAL_BANDS),
    "chronic_cost_pct_of_revenue": _bands(CHRONIC_BANDS),
}


def _score(value: float) -> Quantity:
    return _q(value, "score", ASSUMPTIONS_KEY)


def build_summary(
    results: Mapping[str, HazardArrays],
    every: Mapping[str, Sequence[Case]],
    cases: CaseGrid,
    site: SiteBatch,
    headline: tuple[str, int],
    registry: Registry = REGISTRY,
) -> tuple[Summary, dict[str, tuple[float, float]]]:
    """The summary, and each hazard's (worst score, worst loss) over the requested cases."""
    n = cases.requested_size
    scored = range(1, n) if n > 1 else range(n)
    worst: dict[str, tuple[float, float]] = {}
    for key, entries in every.items():
        score_max = max(float(entries[c].score.value) for c in scored)
        worst[key] = (score_max, float(np.max(results[key].loss[0, :n])))

    totals = total_losses(results, site.value_krw, registry)
    acute, chronic = totals.acute_eal[0], totals.chronic_cost[0]

    def overall(c: int) -> float:
        return max((float(e[c].score.value) for e in every.values()), default=1.0)

    w = max(scored, key=lambda c: (overall(c), acute[c] + chronic[c]))
    if headline not in cases.labels:
        raise ValueError(f"the headline case {headline} is not among the computed cases")
    top = cases.index(*headline)
    top_score = overall(top)
    value = float(site.value_krw[0])
    insured = float(site.insured_fraction[0])
    summary = Summary(
        overall_grade=GRADES[int(top_score)],
        overall_score=_score(top_score),
        dominant_hazards=tuple(dominant_hazards(worst)),
        hazard_scores={k: _score(v[0]) for k, v in worst.items()},
        score_bands=SCORE_BANDS,
        total_eal=_by_case(cases, acute, _TOTALS),
        total_eal_retained=_by_case(cases, acute * (1.0 - insured), _TOTALS),
        total_annual_cost=_by_case(cases, chronic, _TOTALS),
        flood_family=_family(cases, totals.family_curve, value),
        flood_family_note=FLOOD_NOTE,
        storm_note=STORM_NOTE,
        headline=Headline(
            scenario=headline[0],
            horizon=headline[1],
            requested=top < n,
            grade=GRADES[int(top_score)],
            score=_score(top_score),
            hazard_scores={k: e[top].score for k, e in every.items()},
            total_eal=_q(acute[top], "KRW", _TOTALS),
            total_annual_cost=_q(chronic[top], "KRW", _TOTALS),
        ),
        worst_case=WorstCase(
            scenario=cases.labels[w][0],
            horizon=cases.labels[w][1],
            grade=GRADES[int(overall(w))],
            score=_score(overall(w)),
        ),
        total_annual_cost_today=_q(chronic[0], "KRW", _TOTALS),
        total_added_annual_cost=_by_case(cases, chronic - chronic[0], _TOTALS),
        contents_eal=_contents(cases, site, acute, value),
        contents_note=CONTENTS_IN if site.contents_given[0] > 0 else CONTENTS_APART,
    )
    return summary, worst


def _family(cases: CaseGrid, curve: Array | None, value: float) -> dict[str, dict[str, FamilyCase]]:
    out: dict[str, dict[str, FamilyCase]] = {}
    if curve is None:
        return out
    eal = eal_fraction(curve)[0] * value
    for c in range(cases.requested_size):
        s, h = cases.labels[c]
        out.setdefault(s, {})[str(h)] = FamilyCase(
            eal=_q(eal[c], "KRW", _JRC),
            return_period_losses={
                str(t): _q(curve[0, c, i] * value, "KRW", _JRC)
                for t, i in zip(REPORTED_RETURN_PERIODS, REPORTED_INDEX, strict=True)
            },
        )
    return out


def _contents(cases: CaseGrid, site: SiteBatch, acute: Array, value: float) -> ByCase | None:
    """Acute loss on the estimated contents, apart from the totals; None if contents were given.

    The same damage fractions as the building, applied to the contents share of its use
    (assumption), so the user sees what contents could add without it entering total_eal.
    """
    if site.contents_given[0] > 0:
        return None
    share = acute / value if value > 0 else np.zeros_like(acute)
    return _by_case(
        cases, share * float(site.contents_krw[0]), ASSUMPTIONS_KEY, Provenance.ASSUMPTION
    )
