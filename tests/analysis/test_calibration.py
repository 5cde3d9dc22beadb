"""Calibration and honesty (issue 9, item 3): headline grade, protection, chronic change,
contents, loss ranges, and one storm counted once."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from riskreport.analysis.pipeline import assess
from riskreport.analysis.pipeline import compute as lean_compute
from riskreport.analysis.request import ReportRequest
from riskreport.domain.cases import case_grid
from riskreport.domain.hazards.base import OverrideValue
from riskreport.domain.hazards.coastal_flood.inputs import CoastalInputs
from riskreport.domain.hazards.registry import REGISTRY
from riskreport.domain.lean_json import expand
from riskreport.domain.losses import RETURN_PERIODS, eal_fraction
from riskreport.domain.model import run
from riskreport.domain.report_tree import Report
from riskreport.domain.scores import GRADES
from riskreport.domain.site import site_batch


def compute(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """``compute`` in the verbose form (every figure a quantity object), as read here."""
    return expand(lean_compute(*args, **kwargs))


BUSAN: dict[str, Any] = {
    "target_location": {"address": "부산광역시 해운대구"},
    "building_info": {
        "structure": "light_steel",
        "use": "logistics",
        "floors_below": 1,
        "distance_to_coast_m": 80,
        "ground_elevation_m": 2.5,
    },
    "asset_info": {"replacement_value_krw": 1e10, "annual_revenue_krw": 2e9},
    "analysis_params": {"scenarios": ["SSP1-2.6", "SSP5-8.5"], "horizons": [2030, 2100]},
}


def _request(body: dict[str, Any], **params: Any) -> ReportRequest:
    merged = {**body, "analysis_params": {**body["analysis_params"], **params}}
    return ReportRequest.model_validate(merged)


@cache
def _busan() -> dict[str, Any]:
    return compute(_request(BUSAN))


def test_headline_is_ssp245_2050_by_default_and_computed_even_if_not_requested() -> None:
    r = _busan()
    s = r["summary"]
    assert r["parameters"]["headline"] == {"scenario": "SSP2-4.5", "horizon": 2050}
    assert s["headline"]["scenario"] == "SSP2-4.5"
    assert s["headline"]["horizon"] == 2050
    assert s["headline"]["requested"] is False
    # Not requested, so not among the results; its grade is the overall one.
    cases = {(c["scenario"], c["horizon"]) for h in r["hazards"] for c in h["results"]}
    assert ("SSP2-4.5", 2050) not in cases
    assert s["overall_grade"] == s["headline"]["grade"]
    assert s["overall_score"]["value"] == max(
        q["value"] for q in s["headline"]["hazard_scores"].values()
    )


def test_worst_case_stands_beside_the_headline() -> None:
    s = _busan()["summary"]
    worst = s["worst_case"]
    assert (worst["scenario"], worst["horizon"]) == ("SSP5-8.5", 2100)
    assert worst["score"]["value"] >= s["headline"]["score"]["value"]
    assert worst["score"]["value"] == max(q["value"] for q in s["hazard_scores"].values())
    assert worst["grade"] == GRADES[worst["score"]["value"]]


def test_the_user_picks_the_headline_case() -> None:
    mild = compute(_request(BUSAN, headline={"scenario": "SSP1-2.6", "horizon": 2030}))
    harsh = compute(_request(BUSAN, headline={"scenario": "SSP5-8.5", "horizon": 2100}))
    assert mild["summary"]["headline"]["requested"] is True
    assert mild["summary"]["overall_score"]["value"] <= harsh["summary"]["overall_score"]["value"]
    assert harsh["summary"]["overall_grade"] == harsh["summary"]["worst_case"]["grade"]
    totals = harsh["summary"]["total_eal"]["SSP5-8.5"]["2100"]
    assert harsh["summary"]["headline"]["total_eal"] == totals
    with pytest.raises(ValidationError, match=r"headline\.horizon"):
        _request(BUSAN, headline={"scenario": "SSP2-4.5", "horizon": 1990})


def test_the_report_is_a_typed_tree_serialised_once() -> None:
    tree = assess(_request(BUSAN))
    assert isinstance(tree, Report)
    assert tree.as_verbose_dict() == _busan()
    assert tree.as_dict() == lean_compute(_request(BUSAN))  # the lean form is compute()'s
    with pytest.raises(AttributeError):
        tree.summary.overall_grade = "A"  # type: ignore[misc]


def test_return_periods_hold_the_usual_protection_standards() -> None:
    assert {10, 20, 30, 50, 80, 100, 200} <= {int(t) for t in RETURN_PERIODS}


@pytest.mark.parametrize("hazard", ["river_flood", "urban_flood", "coastal_flood"])
@pytest.mark.parametrize("standard", [20.0, 50.0, 100.0])
def test_protection_holds_up_to_its_design_return_period(hazard: str, standard: float) -> None:
    site = site_batch(
        lat=np.array([35.16]),
        lon=np.array([129.16]),
        river_m=np.array([0.0]),
        coast_km=np.array([0.02]),
        ground_m=np.array([0.5]),
        floors_below=np.array([1.0]),
    )
    deep = {"2": 3.0, "1000": 6.0}
    curve = "still_water_level_m" if hazard == "coastal_flood" else "depth_m"
    given: dict[str, OverrideValue] = {
        curve: tuple((float(k), v) for k, v in deep.items()),
        "protection_rp": standard,
    }
    damage = REGISTRY.get(hazard).run(site, case_grid((), ()), given).damage
    assert damage is not None
    held = standard >= RETURN_PERIODS
    assert np.all(damage[0, 0, held] == 0.0)
    assert np.all(damage[0, 0, ~held] > 0.0)


def test_chronic_hazards_report_the_change_apart_from_todays_level() -> None:
    r = _busan()
    for h in (h for h in r["hazards"] if h["kind"] == "chronic"):
        today = h["baseline"]["annual_cost"]["value"]
        assert h["baseline"]["added_annual_cost"]["value"] == 0
        for case in h["results"]:
            assert case["annual_cost_today"]["value"] == today
            added = case["annual_cost"]["value"] - today
            assert case["added_annual_cost"]["value"] == pytest.approx(added, rel=1e-5, abs=1)
    s = r["summary"]
    today = s["total_annual_cost_today"]["value"]
    later = s["total_annual_cost"]["SSP5-8.5"]["2100"]["value"]
    assert s["total_added_annual_cost"]["SSP5-8.5"]["2100"]["value"] == pytest.approx(
        later - today, rel=1e-5
    )


def test_contents_are_not_added_silently() -> None:
    r = _busan()
    asset, s = r["asset"], r["summary"]
    assert asset["contents_value_krw"]["provenance"] == "assumption"
    assert asset["value_at_risk_krw"]["value"] == asset["replacement_value_krw"]["value"]
    coastal = next(h for h in r["hazards"] if h["hazard"] == "coastal_flood")["results"][-1]
    assert coastal["eal_pct"]["value"] == pytest.approx(coastal["eal"]["value"] / 1e8, rel=1e-5)
    # The estimated contents' loss is a separate, labelled line, not in the total.
    share = asset["contents_value_krw"]["value"] / asset["replacement_value_krw"]["value"]
    total = s["total_eal"]["SSP5-8.5"]["2100"]["value"]
    contents = s["contents_eal"]["SSP5-8.5"]["2100"]
    assert contents["value"] == pytest.approx(total * share, rel=1e-5)
    assert contents["provenance"] == "assumption"
    assert "not in total_eal" in s["contents_note"]["en"]

    given = {**BUSAN, "asset_info": {**BUSAN["asset_info"], "contents_value_krw": 5e9}}
    g = compute(_request(given))
    assert g["summary"]["contents_eal"] is None
    assert g["asset"]["value_at_risk_krw"]["value"] == 1.5e10
    with_contents = g["summary"]["total_eal"]["SSP5-8.5"]["2100"]["value"]
    assert with_contents == pytest.approx(total * 1.5, rel=1e-4)


def test_sea_level_range_gives_the_coastal_loss_a_range() -> None:
    site = site_batch(
        lat=np.array([35.16]),
        lon=np.array([129.16]),
        coast_km=np.array([0.05]),
        ground_m=np.array([1.5]),
        floors_below=np.array([1.0]),
    )
    cases = case_grid(("SSP2-4.5", "SSP5-8.5"), (2050, 2100))
    hazard = REGISTRY.get("coastal_flood")
    inputs: CoastalInputs = hazard.derive(site)
    # The packaged sea-level table carries low / central / high (docs/data/sea-level.md).
    assert inputs.slr_2100_low_m is not None
    assert inputs.slr_2100_high_m is not None
    assert np.all(inputs.slr_2100_low_m < inputs.slr_2100_m)
    assert np.all(inputs.slr_2100_m < inputs.slr_2100_high_m)
    bare = replace(inputs, slr_2100_low_m=None, slr_2100_high_m=None)
    assert hazard.model(site, bare, cases).loss_range is None  # no range in the inputs
    result = hazard.model(site, inputs, cases)
    assert result.loss_range is not None
    low, high = result.loss_range
    assert np.all(low <= result.loss + 1e-6)
    assert np.all(result.loss <= high + 1e-6)
    assert high[0, -1] > result.loss[0, -1] > low[0, -1]
    # Today's climate has no sea-level rise, so no range.
    assert low[0, 0] == pytest.approx(high[0, 0])
    # In the report every acute case has the place for it.
    coastal = next(h for h in _busan()["hazards"] if h["hazard"] == "coastal_flood")
    spread = coastal["results"][0]["eal_range"]
    assert spread is not None
    assert spread["low"]["value"] <= spread["high"]["value"]


def test_one_storms_wind_and_flood_are_counted_once() -> None:
    site = site_batch(
        lat=np.array([35.16]),
        lon=np.array([129.16]),
        coast_km=np.array([0.08]),
        ground_m=np.array([2.5]),
        floors_below=np.array([1.0]),
        structure=np.array([4]),
        contents_krw=np.array([0.0]),
    )
    cases = case_grid(("SSP5-8.5",), (2100,))
    results = run(site, cases)
    value = site.value_krw[0]
    floods = [results[k].damage for k in REGISTRY.family("flood")]
    typhoon = results["typhoon"].damage
    assert typhoon is not None
    assert all(f is not None for f in floods)
    storm = np.maximum.reduce([*floods, typhoon])  # type: ignore[arg-type]
    expected = eal_fraction(storm)[0] * value + results["wildfire"].loss[0]
    r = _busan()
    s = r["summary"]
    assert "typhoon" in s["storm_note"]["en"]
    total = s["total_eal"]["SSP5-8.5"]["2100"]["value"]
    parts = {
        h["hazard"]: h["results"][-1]["eal"]["value"]
        for h in r["hazards"]
        if "eal" in h["baseline"]
    }
    family = s["flood_family"]["SSP5-8.5"]["2100"]["eal"]["value"]
    assert total < family + parts["typhoon"] + parts["wildfire"]
    assert total >= max(family, parts["typhoon"]) + parts["wildfire"] - 1.0
    # The same rule on arrays: the larger of typhoon and flood family at each return period.
    from riskreport.domain.totals import total_losses

    got = total_losses(results, site.value_krw).acute_eal[0]
    np.testing.assert_allclose(got, expected, rtol=1e-12)
