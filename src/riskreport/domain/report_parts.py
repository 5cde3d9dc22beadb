"""Pieces of the report: one case's entry, dominant hazards, recommendations, assumptions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays
from riskreport.domain.hazards.flood_maps import MAP, MapCurves
from riskreport.domain.hazards.registry import REGISTRY, Registry
from riskreport.domain.losses import REPORTED_INDEX, REPORTED_RETURN_PERIODS
from riskreport.domain.quantity import Provenance, Quantity
from riskreport.domain.report_inputs import ReportInputs
from riskreport.domain.scores import LEVELS_EN, LEVELS_KO, acute_score_of, chronic_score_of
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY, USER_KEY

_D = Provenance.DERIVED
# Where a case's hazard intensity came from, when hazard maps were given (flood_maps codes).
CASE_DATA = ("built_in_model", "hazard_maps", "hazard_maps_interpolated")
MAX_DOMINANT = 3
DOMINANT_MIN_SCORE = 3.0
MEASURES_PER_HAZARD = 3


def _q(value: float, unit: str, source: str, provenance: Provenance = _D) -> dict[str, object]:
    return Quantity(float(value), unit, provenance, source).as_dict()


def _change(now: float, base: float, unit_pct: bool, source: str) -> dict[str, object] | None:
    if not unit_pct:
        return _q(now - base, "KRW", source)
    if base == 0.0:
        # No baseline loss: a percentage change is undefined (null); the KRW change says it all.
        return None
    return _q((now - base) / base * 100.0, "%", source)


def _drivers(keys: list[str], texts: Mapping[str, tuple[str, str]]) -> list[dict[str, object]]:
    return [{"key": k, "text_en": texts[k][0], "text_ko": texts[k][1]} for k in keys]


def case_entry(
    h: HazardArrays,
    site: SiteBatch,
    cases: CaseGrid,
    c: int,
    inputs: ReportInputs,
    registry: Registry = REGISTRY,
) -> dict[str, Any]:
    scenario, horizon = cases.labels[c]
    loss, base = float(h.loss[0, c]), float(h.loss[0, 0])
    value, revenue = float(site.value_krw[0]), float(site.revenue_krw[0])
    overridden = h.hazard in inputs.overridden_hazards
    mapped = 0 if h.map_cases is None else int(h.map_cases[0, c])
    intensity: dict[str, Any] = {}
    for name, it in h.intensity.items():
        prov, src = Provenance(it.provenance), it.source
        if overridden and prov is Provenance.ASSUMPTION:
            prov, src = Provenance.USER_INPUT, USER_KEY
        if it.mapped and mapped and h.map_source:
            prov = Provenance.DATA if mapped == MAP else _D
            src = h.map_source
        intensity[name] = Quantity(float(it.values[0, c]), it.unit, prov, src).as_dict()
    warming_src = "ipcc-ar6-wg1-spm-t1"
    entry: dict[str, Any] = {
        "scenario": scenario,
        "horizon": horizon,
        "warming_c": _q(
            cases.warming_c[c], "degC", warming_src, Provenance.PUBLISHED if c == 0 else _D
        ),
        "intensity": intensity,
        "annual_probability": _q(h.probability[0, c], "1/yr", h.source),
    }
    if h.map_cases is not None:
        entry["hazard_data"] = CASE_DATA[mapped]
    if h.kind == "acute":
        assert h.damage is not None
        eal_pct = loss / value * 100.0
        rp100 = float(h.damage[0, c, REPORTED_INDEX[2]]) * 100.0
        score = float(acute_score_of(rp100, eal_pct))
        entry["eal"] = _q(loss, "KRW", h.source)
        entry["eal_pct"] = _q(eal_pct, "%", h.source)
        entry["return_period_losses"] = {
            str(t): _q(h.damage[0, c, i] * value, "KRW", h.source)
            for t, i in zip(REPORTED_RETURN_PERIODS, REPORTED_INDEX, strict=True)
        }
        score_src = "physrisk-docs"
    else:
        share = loss / revenue * 100.0 if revenue > 0 else 0.0
        score = float(chronic_score_of(share))
        entry["annual_cost"] = _q(loss, "KRW", h.source)
        entry["revenue_share_pct"] = _q(share, "%", h.source)
        score_src = ASSUMPTIONS_KEY
    entry["change_vs_baseline_pct"] = _change(loss, base, True, h.source)
    entry["change_vs_baseline_krw"] = _change(loss, base, False, h.source)
    entry["score"] = _q(score, "score", score_src)
    entry["level_en"] = LEVELS_EN[int(score)]
    entry["level_ko"] = LEVELS_KO[int(score)]
    keys = registry.get(h.hazard).driver_keys(h, site, c)
    entry["drivers"] = _drivers(keys, registry.driver_texts())
    return entry


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
    registry: Registry = REGISTRY,
) -> list[dict[str, Any]]:
    """Measures for the dominant hazards and any other hazard scoring 3 or more."""
    chosen = dominant + [
        k for k in worst if worst[k][0] >= DOMINANT_MIN_SCORE and k not in dominant
    ]
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for key in chosen:
        h, hazard = results[key], registry.get(key)
        c = int(np.argmax(h.loss[0]))
        for m in hazard.measures_for(hazard.driver_keys(h, site, c))[:MEASURES_PER_HAZARD]:
            if m.key not in seen:
                seen.add(m.key)
                out.append(m.as_dict())
    return out


_NOTES = {
    "regional-anchors": (
        "Hazard intensities come from regional anchors (heat and cold days, typhoon wind, flood "
        "depths, wildfire probabilities, water stress) chosen by the riskreport developers, not "
        "from a site study; docs/model.md gives each one and its reasoning.",
        "폭염·한파 일수, 태풍 풍속, 침수심, 산불 확률, 물 스트레스는 현장 조사값이 아니라 "
        "riskreport가 정한 지역별 기준값에서 나왔습니다. 근거는 docs/model.md에 있습니다.",
    ),
    "flood-depths": (
        "Flood depths assume an average site in its district; a local flood map or study can "
        "replace them through analysis_params.overrides.",
        "침수심은 그 지역의 평균적인 위치를 가정했습니다. 지역 침수 지도나 조사 결과가 있으면 "
        "analysis_params.overrides로 바꿀 수 있습니다.",
    ),
}


def assumptions_list(inputs: ReportInputs) -> list[dict[str, str]]:
    """Human-readable notes for every default the report used."""
    notes: list[dict[str, str]] = []
    b, a = inputs.building, inputs.asset
    fields: list[tuple[str, Any]] = [
        (n, getattr(b, n))
        for n in (
            "structure",
            "use",
            "year_built",
            "floors_above",
            "floors_below",
            "floor_area_m2",
            "first_floor_height_m",
            "has_piloti",
            "flood_barrier_height_m",
        )
    ] + [
        (n, getattr(a, n))
        for n in (
            "replacement_value_krw",
            "contents_value_krw",
            "annual_revenue_krw",
            "insured_fraction",
        )
    ]
    for name, item in fields:
        if item.provenance is Provenance.ASSUMPTION:
            shown = item.value if isinstance(item.value, str) else f"{item.value:,.6g} {item.unit}"
            notes.append(
                {
                    "key": f"default.{name}",
                    "text_en": f"{name} was not given; assumed {shown}.",
                    "text_ko": f"{name} 값이 없어 {shown}(으)로 가정했습니다.",
                }
            )
    for name in ("ground_elevation_m", "distance_to_river_m", "distance_to_forest_m"):
        if f"site.{name}" not in inputs.input_provenance:
            notes.append(
                {
                    "key": f"estimate.{name}",
                    "text_en": f"{name} was not given; estimated from the location.",
                    "text_ko": f"{name} 값이 없어 위치로부터 추정했습니다.",
                }
            )
    for key, (en, ko) in _NOTES.items():
        notes.append({"key": key, "text_en": en, "text_ko": ko})
    return notes


def hazard_data(h: HazardArrays) -> dict[str, Any]:
    """Which source gave the hazard's intensity: hazard maps (their files) or the built-in model.

    >>> import numpy as np
    >>> h = HazardArrays("x", "acute", np.zeros((1, 1)), np.zeros((1, 1)), None, {}, "k")
    >>> hazard_data(h)["used"]
    'built_in_model'
    """
    maps = getattr(h.inputs, "maps", None)
    codes = [] if h.map_cases is None else [int(v) for v in h.map_cases[0]]
    n_map = sum(1 for v in codes if v)
    if not isinstance(maps, MapCurves):
        return {"used": "built_in_model", "maps_source": None, "files": []}
    if n_map == 0:
        return {
            "used": "built_in_model",
            "maps_source": None,
            "files": [],
            "note_en": "Hazard maps were given, but none covers this site for these cases: "
            "the built-in model answered.",
            "note_ko": "재해 지도가 주어졌지만 이 위치와 시나리오를 덮는 지도가 없어 내장 모델로 "
            "계산했습니다.",
        }
    return {
        "used": "hazard_maps",
        "maps_source": maps.source,
        "files": list(maps.files),
        "note_en": f"Flood depths from hazard maps in {n_map} of {len(codes)} cases (undefended "
        "maps; the model's flood defences still apply); the other cases from the built-in model.",
        "note_ko": f"{len(codes)}개 경우 중 {n_map}개의 침수 깊이는 재해 지도에서 읽었습니다"
        "(방재시설이 없는 지도이므로 모델의 방재 기준은 그대로 적용). 나머지는 내장 모델입니다.",
    }
