"""Assemble the JSON report of one building from the model's arrays (B = 1).

The schema is documented in docs/report-schema.md. Every number is a quantity
``{"value", "unit", "provenance", "source"}``; numbers outside quantities appear only in the echo
of the request (``location.input``, ``parameters``) and as the ``horizon`` label.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import numpy as np

from riskreport.domain.building import Asset, Building
from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays
from riskreport.domain.hazards.flood_family import FAMILY, flood_family
from riskreport.domain.hazards.registry import REGISTRY, Registry
from riskreport.domain.losses import REPORTED_INDEX, REPORTED_RETURN_PERIODS, eal_fraction
from riskreport.domain.quantity import Provenance, Quantity
from riskreport.domain.report_inputs import LocationInfo, ReportInputs
from riskreport.domain.report_parts import (
    assumptions_list,
    case_entry,
    dominant_hazards,
    hazard_data,
    recommendations,
)
from riskreport.domain.scores import GRADES
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY, cite

SCHEMA_VERSION = "1"
MODEL_VERSION = "riskreport-physical-1.0"
_D = Provenance.DERIVED

FLOOD_NOTE_EN = (
    "River, urban and coastal flooding can strike the same building in one event, so their "
    "losses are not added: the flood-family loss takes, at each return period, the largest of "
    "the three, and total_eal counts the flood family once."
)
FLOOD_NOTE_KO = (
    "하천·도시·해안 침수는 한 사건에서 같은 건물을 함께 덮칠 수 있어 손실을 더하지 않습니다. "
    "재현기간마다 셋 중 가장 큰 손실을 침수 전체의 손실로 보고, total_eal에는 한 번만 넣었습니다."
)


def _q(value: float, unit: str, source: str, provenance: Provenance = _D) -> dict[str, object]:
    return Quantity(float(value), unit, provenance, source).as_dict()


def build_report(
    inputs: ReportInputs,
    results: Mapping[str, HazardArrays],
    cases: CaseGrid,
    registry: Registry = REGISTRY,
) -> dict[str, Any]:
    """The report dict (JSON-able, deterministic) for one building."""
    site = inputs.site
    hazards_out = []
    worst: dict[str, tuple[float, float]] = {}
    for hazard in (hz for hz in registry if hz.key in results):
        key, h = hazard.key, results[hazard.key]
        entries = [case_entry(h, site, cases, c, inputs, registry) for c in range(cases.size)]
        score_max = max(float(e["score"]["value"]) for e in entries[1:] or entries)
        loss_max = max(float(h.loss[0, c]) for c in range(cases.size))
        worst[key] = (score_max, loss_max)
        hazards_out.append(
            {
                "hazard": key,
                "kind": hazard.kind,
                "method_source": h.source,
                "inputs": hazard.report_inputs(site, h.inputs, inputs.input_provenance),
                "hazard_data": hazard_data(h),
                "baseline": entries[0],
                "results": entries[1:],
            }
        )
    dominant = dominant_hazards(worst)
    overall = max((s for s, _ in worst.values()), default=1.0)
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "model_version": MODEL_VERSION,
        "language": inputs.language,
        "location": _location(inputs.location),
        "building": _building(inputs.building),
        "asset": _asset(inputs.asset),
        "site": _site(site, inputs),
        "parameters": {
            "scenarios": list(inputs.scenarios),
            "horizons": list(inputs.horizons),
            "hazards": list(inputs.hazards),
            "return_periods": list(REPORTED_RETURN_PERIODS),
        },
        "hazards": hazards_out,
        "summary": {
            "overall_grade": GRADES[int(overall)],
            "overall_score": _q(overall, "score", ASSUMPTIONS_KEY),
            "dominant_hazards": dominant,
            "hazard_scores": {k: _q(v[0], "score", ASSUMPTIONS_KEY) for k, v in worst.items()},
            **_totals(results, site, cases, registry),
            "flood_family_note": {"en": FLOOD_NOTE_EN, "ko": FLOOD_NOTE_KO},
        },
        "recommendations": recommendations(results, worst, dominant, site, registry),
        "assumptions": assumptions_list(inputs),
    }
    report["sources"] = cite(_source_keys(report))
    return report


def _label(case: tuple[str, str | int]) -> tuple[str, str]:
    return case[0], str(case[1])


def _totals(
    results: Mapping[str, HazardArrays], site: SiteBatch, cases: CaseGrid, registry: Registry
) -> dict[str, Any]:
    value = float(site.value_krw[0])
    acute, family_keys = registry.acute, registry.family(FAMILY)
    floods = [results[k] for k in family_keys if k in results]
    family_eal = np.zeros(cases.size)
    family: dict[str, dict[str, Any]] = {}
    if floods:
        curve = flood_family(*floods)
        family_eal = eal_fraction(curve)[0] * value
        for c, case in enumerate(cases.labels):
            s, h = _label(case)
            family.setdefault(s, {})[h] = {
                "eal": _q(family_eal[c], "KRW", "jrc-huizinga-2017"),
                "return_period_losses": {
                    str(t): _q(curve[0, c, i] * value, "KRW", "jrc-huizinga-2017")
                    for t, i in zip(REPORTED_RETURN_PERIODS, REPORTED_INDEX, strict=True)
                },
            }
    other_acute = sum(
        (results[k].loss[0] for k in results if k in acute and k not in family_keys),
        np.zeros(cases.size),
    )
    chronic = sum((results[k].loss[0] for k in results if k not in acute), np.zeros(cases.size))
    total_eal: dict[str, dict[str, Any]] = {}
    total_cost: dict[str, dict[str, Any]] = {}
    retained: dict[str, dict[str, Any]] = {}
    insured = float(site.insured_fraction[0])
    for c, case in enumerate(cases.labels):
        s, h = _label(case)
        eal = float(family_eal[c] + other_acute[c])
        total_eal.setdefault(s, {})[h] = _q(eal, "KRW", "physrisk-docs")
        retained.setdefault(s, {})[h] = _q(eal * (1.0 - insured), "KRW", "physrisk-docs")
        total_cost.setdefault(s, {})[h] = _q(float(chronic[c]), "KRW", "physrisk-docs")
    return {
        "total_eal": total_eal,
        "total_eal_retained": retained,
        "total_annual_cost": total_cost,
        "flood_family": family,
    }


def _location(loc: LocationInfo) -> dict[str, Any]:
    return {
        "lat": loc.lat.as_dict(),
        "lon": loc.lon.as_dict(),
        "input": dict(loc.input),
        "resolution": loc.resolution,
        "matched": dict(loc.matched) if loc.matched is not None else None,
        "note": loc.note_en,
        "note_en": loc.note_en,
        "note_ko": loc.note_ko,
    }


def _building(b: Building) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in (
        "structure",
        "use",
        "year_built",
        "floors_above",
        "floors_below",
        "floor_area_m2",
        "first_floor_height_m",
        "has_piloti",
        "flood_barrier_height_m",
    ):
        out[name] = getattr(b, name).as_dict()
    return out


def _asset(a: Asset) -> dict[str, Any]:
    return {
        "replacement_value_krw": a.replacement_value_krw.as_dict(),
        "contents_value_krw": a.contents_value_krw.as_dict(),
        "annual_revenue_krw": a.annual_revenue_krw.as_dict(),
        "insured_fraction": a.insured_fraction.as_dict(),
        "value_at_risk_krw": _q(a.value_at_risk_krw, "KRW", ASSUMPTIONS_KEY),
    }


def _site(site: SiteBatch, inputs: ReportInputs) -> dict[str, Any]:
    def fact(name: str, value: float, unit: str, prov: Provenance, src: str) -> dict[str, object]:
        p, s = inputs.input_provenance.get(f"site.{name}", (prov, src))
        return Quantity(float(value), unit, p, s).as_dict()

    a = Provenance.ASSUMPTION
    return {
        "distance_to_coast_m": fact(
            "distance_to_coast_m",
            max(float(site.coast_km[0]), 0.0) * 1000.0,
            "m",
            Provenance.DATA,
            "noaa-globe-landmask",
        ),
        "ground_elevation_m": fact("ground_elevation_m", site.ground_m[0], "m", a, ASSUMPTIONS_KEY),
        "distance_to_river_m": fact(
            "distance_to_river_m", site.river_m[0], "m", a, ASSUMPTIONS_KEY
        ),
        "distance_to_forest_m": fact(
            "distance_to_forest_m", site.forest_m[0], "m", a, ASSUMPTIONS_KEY
        ),
        "impervious_share": _q(
            [0.9, 0.75, 0.5, 0.25][int(site.urban_class[0])], "fraction", ASSUMPTIONS_KEY, a
        ),
    }


_SOURCE = re.compile(r'"source": "([^"\\]+)"')


def _source_keys(report: Mapping[str, Any]) -> set[str]:
    """Every quantity's source key. Serializing once and scanning is much faster than walking
    the nested dicts in Python; only quantities have a ``source`` member (echoes of the request
    are skipped)."""
    body = {k: v for k, v in report.items() if k not in ("location", "parameters")}
    keys = set(_SOURCE.findall(json.dumps(body, ensure_ascii=False)))
    loc = report["location"]
    return keys | {loc["lat"]["source"], loc["lon"]["source"]}
