"""Every documented override round-trips through the request and changes the result as documented.

The job validates the request a second time from its JSON dump, so an override that does not
survive ``model_dump(mode="json")`` -> ``model_validate`` fails the job after a 202; each override
is checked both ways here, through the Python API (``riskreport.analyze``).
"""

from __future__ import annotations

from typing import Any

import pytest

from riskreport.analysis.pipeline import analyze as lean_analyze
from riskreport.analysis.request import ReportRequest
from riskreport.domain.hazards.registry import REGISTRY
from riskreport.domain.lean_json import expand


def analyze(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """``analyze`` in the verbose form (every figure a quantity object), as read here."""
    return expand(lean_analyze(*args, **kwargs))


# A sea-front, riverside, forest-edge light building in Busan: every hazard has something to move.
SITE: dict[str, Any] = {"address": "부산광역시 해운대구"}
BUILDING: dict[str, Any] = {
    "structure": "light_steel",
    "use": "industrial",
    "floors_below": 1,
    "distance_to_coast_m": 50,
    "ground_elevation_m": 1.5,
    "distance_to_river_m": 20,
    "distance_to_forest_m": 30,
}
# (hazard, override, value, how the hazard's loss moves, how the inputs block shows it)
CASES: list[tuple[str, str, Any, str, tuple[str, str, float]]] = [
    ("heat_wave", "heat_days", 40.0, "up", ("heat_days_today", "", 40.0)),
    ("cold_wave", "cold_days", 40.0, "up", ("cold_days_today", "", 40.0)),
    ("wildfire", "fire_probability", 0.05, "up", ("fire_probability_today", "", 0.05)),
    ("drought", "drought_factor", 5.0, "up", ("drought_factor", "", 5.0)),
    ("water_stress", "water_stress", 0.9, "up", ("water_stress_today", "", 0.9)),
    # 20 m from a national river the derived 100-year depth is 2.5 m behind a 200-year levee.
    ("river_flood", "depth_m", {"2": 0.5, "100": 4.5}, "up", ("depth_m", "100", 4.5)),
    ("river_flood", "protection_rp", 1000.0, "down", ("protection_rp", "", 1000.0)),
    ("urban_flood", "depth_m", {"2": 0.3, "100": 2.0}, "up", ("depth_m", "100", 2.0)),
    ("urban_flood", "protection_rp", 1000.0, "down", ("protection_rp", "", 1000.0)),
    (
        "coastal_flood",
        "still_water_level_m",
        # Higher and flatter: the seawall (its 50-year level) is overtopped from the 2-year tide
        # once the sea has risen.
        {"2": 4.0, "1000": 4.5},
        "up",
        ("still_water_level_m", "1000", 4.5),
    ),
    ("coastal_flood", "protection_rp", 1.0, "up", ("protection_rp", "", 1.0)),
    ("typhoon", "wind_10min_ms", {"2": 30.0, "100": 60.0}, "up", ("wind_10min_ms", "100", 60.0)),
    ("typhoon", "v_half_ms", 40.0, "up", ("v_half_ms", "", 40.0)),
]


def test_the_cases_cover_every_documented_override() -> None:
    documented = {(h.key, ov.name) for h in REGISTRY for ov in h.overrides}
    assert {(h, o) for h, o, *_ in CASES} == documented


def _loss(report: dict[str, Any], hazard: str) -> float:
    entry = next(h for h in report["hazards"] if h["hazard"] == hazard)
    case = entry["results"][-1]
    return float((case.get("eal") or case["annual_cost"])["value"])


def _params(hazard: str, overrides: dict[str, Any]) -> dict[str, Any]:
    return {
        "scenarios": ["SSP5-8.5"],
        "horizons": [2100],
        "hazards": [hazard],
        "overrides": overrides,
    }


@pytest.mark.parametrize(
    ("hazard", "name", "value", "moves", "shown"), CASES, ids=[f"{h}.{o}" for h, o, *_ in CASES]
)
def test_override_round_trips_and_changes_the_result(
    hazard: str, name: str, value: Any, moves: str, shown: tuple[str, str, float]
) -> None:
    overrides = {hazard: {name: value}}
    body = {
        "target_location": SITE,
        "building_info": BUILDING,
        "analysis_params": _params(hazard, overrides),
        "language": "en",
    }
    request = ReportRequest.model_validate(body)
    dumped = request.model_dump(mode="json")
    assert ReportRequest.model_validate(dumped) == request
    assert dumped["analysis_params"]["overrides"][hazard][name] == value

    plain = analyze(SITE, BUILDING, analysis_params=_params(hazard, {}), language="en")
    changed = analyze(SITE, BUILDING, analysis_params=_params(hazard, overrides), language="en")
    before, after = _loss(plain, hazard), _loss(changed, hazard)
    assert (after > before) if moves == "up" else (after < before), (before, after)

    block, point, expected = shown
    entry = next(h for h in changed["hazards"] if h["hazard"] == hazard)
    quantity = entry["inputs"][block][point] if point else entry["inputs"][block]
    assert quantity["value"] == pytest.approx(expected)
    assert quantity["provenance"] == "user_input"
    assert quantity["source"] == "user-input"


def test_a_levee_of_50_years_or_less_is_named_as_a_driver_in_its_own_words() -> None:
    # The packaged national-river levees hold 100-200 years; a user's weaker one is a reason.
    params = _params("river_flood", {"river_flood": {"protection_rp": 30.0}})
    report = analyze(SITE, BUILDING, analysis_params=params, language="en")
    entry = next(h for h in report["hazards"] if h["hazard"] == "river_flood")
    drivers = {d["key"]: d["text_en"] for d in entry["results"][-1]["drivers"]}
    assert drivers["local_levee"] == "The levees here are designed for floods of 50 years or less."
