"""The vectorized portfolio path agrees with the single report."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from riskreport.analysis.pipeline import analyze as lean_analyze
from riskreport.analysis.pipeline import analyze_portfolio
from riskreport.domain.hazards.registry import HAZARDS
from riskreport.domain.lean_json import expand
from tests.analysis.test_pipeline import BUSAN_WAREHOUSE, GANGWON_HOUSE, SEOUL_OFFICE


def analyze(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """``analyze`` in the verbose form (every figure a quantity object), as read here."""
    return expand(lean_analyze(*args, **kwargs))


def test_portfolio_matches_single_reports() -> None:
    bodies = [SEOUL_OFFICE, BUSAN_WAREHOUSE, GANGWON_HOUSE]
    p = analyze_portfolio(bodies)
    assert p.loss.shape == (3, 9, 7)
    assert p.cases[0] == ("baseline", "baseline")
    for b, body in enumerate(bodies):
        r = analyze(**body)
        for i, h in enumerate(HAZARDS):
            entry = next(x for x in r["hazards"] if x["hazard"] == h)
            key = "eal" if "eal" in entry["baseline"] else "annual_cost"
            got = [entry["baseline"][key]["value"]] + [c[key]["value"] for c in entry["results"]]
            np.testing.assert_allclose(p.loss[b, i], got, rtol=1e-5, atol=1e-3)
            scores = [entry["baseline"]["score"]["value"]] + [
                c["score"]["value"] for c in entry["results"]
            ]
            assert p.score[b, i].tolist() == scores
        total = r["summary"]["total_eal"]["SSP5-8.5"]["2100"]["value"]
        assert p.total_eal[b, -1] == pytest.approx(total, rel=1e-5)


def test_a_revenue_of_zero_takes_the_imputed_output_in_both_paths() -> None:
    # An owner-occupied house gives no revenue. Before, the report zeroed drought and water
    # stress (costs are a share of revenue) and scored every chronic cost 0 % of revenue, while
    # the portfolio divided the same costs by 1 KRW: heat scored 1 in one path and 5 in the other.
    unknown = {**GANGWON_HOUSE, "asset_info": {"replacement_value_krw": 3e8}}
    zero = {**GANGWON_HOUSE, "asset_info": {"replacement_value_krw": 3e8, "annual_revenue_krw": 0}}
    p = analyze_portfolio([unknown, zero])
    np.testing.assert_array_equal(p.loss[0], p.loss[1])
    np.testing.assert_array_equal(p.score[0], p.score[1])
    r = analyze(**zero)
    assert r["asset"]["annual_revenue_krw"]["value"] == pytest.approx(3e8 * 0.04)
    assert r["asset"]["annual_revenue_krw"]["provenance"] == "assumption"
    notes = {n["key"]: n for n in r["assumptions"]}
    assert "imputed.annual_revenue_krw" in notes
    assert "default.annual_revenue_krw" not in notes
    assert "4%" in notes["imputed.annual_revenue_krw"]["text_en"]
    for i, h in enumerate(HAZARDS):
        entry = next(x for x in r["hazards"] if x["hazard"] == h)
        scores = [entry["baseline"]["score"]["value"]] + [
            c["score"]["value"] for c in entry["results"]
        ]
        assert p.score[1, i].tolist() == scores, h
    drought = next(x for x in r["hazards"] if x["hazard"] == "drought")
    assert drought["results"][-1]["annual_cost"]["value"] > 0


def test_columnar_input_and_records() -> None:
    n = 50
    rng = np.random.default_rng(7)
    cols = {
        "lat": rng.uniform(34.5, 38.0, n),
        "lon": rng.uniform(126.5, 129.2, n),
        "use": rng.choice(["office", "residential", "logistics"], n),
        "structure": rng.integers(0, 6, n),
        "floors_below": np.where(rng.random(n) < 0.5, np.nan, 1.0),
    }
    p = analyze_portfolio(cols, scenarios=("SSP1-2.6", "SSP3-7.0"), horizons=(2030, 2080))
    assert p.loss.shape == (n, 9, 5)
    assert p.located[0]
    p = analyze_portfolio(
        {k: np.asarray(v)[p.located] for k, v in cols.items()},
        scenarios=("SSP1-2.6", "SSP3-7.0"),
        horizons=(2030, 2080),
    )
    assert np.all(np.isfinite(p.loss))
    assert np.all(p.loss >= 0)
    assert p.score.min() >= 1
    assert p.score.max() <= 5
    rec = p.to_records()[0]
    assert set(rec["hazards"]) == set(HAZARDS)
    assert "SSP3-7.0:2080" in rec["total_eal"]


def test_a_building_the_report_would_refuse_is_marked_not_assessed() -> None:
    # Seoul, Kaesong (North Korea), the open sea off Busan, Busan.
    lat = np.array([37.5665, 37.97, 35.1, 35.163])
    lon = np.array([126.978, 126.55, 129.35, 129.163])
    p = analyze_portfolio({"lat": lat, "lon": lon, "use": ["office"] * 4})
    assert p.located.tolist() == [True, False, False, True]
    assert np.isnan(p.loss[1:3]).all()
    assert np.isnan(p.total_eal[1:3]).all()
    assert (p.score[1:3] == 0).all()
    # The others are exactly what they are alone: rows keep their buildings.
    alone = analyze_portfolio({"lat": lat[[0, 3]], "lon": lon[[0, 3]], "use": ["office"] * 2})
    np.testing.assert_array_equal(p.loss[[0, 3]], alone.loss)
    np.testing.assert_array_equal(p.score[[0, 3]], alone.score)
    records = p.to_records()
    assert [r["located"] for r in records] == [True, False, False, True]
    assert set(records[1]) == {"located", "value_krw"}
    # The list form refuses the building like analyze.
    with pytest.raises(ValidationError, match="not within 10 km"):
        analyze_portfolio([{"target_location": {"lat": 37.97, "lon": 126.55}}])


def test_unknown_column_or_scenario_is_refused() -> None:
    with pytest.raises(KeyError, match="colour"):
        analyze_portfolio({"lat": [37.5], "lon": [127.0], "colour": ["red"]})
    with pytest.raises(ValueError, match="SSP9"):
        analyze_portfolio({"lat": [37.5], "lon": [127.0]}, scenarios=("SSP9",))
    with pytest.raises(ValueError, match="1800"):
        analyze_portfolio({"lat": [37.5], "lon": [127.0]}, horizons=(1800,))
