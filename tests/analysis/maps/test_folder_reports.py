"""Reports with a hazard-map folder: the maps' depths drive river and coastal flood where they
cover the site, for the scenarios they have; elsewhere the built-in model answers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from riskreport.analysis.maps.raster import clear_caches
from riskreport.analysis.pipeline import analyze as lean_analyze
from riskreport.domain.lean_json import expand
from tests.analysis.maps.geotiff import coast_set, depth_of_rp, river_set


def analyze(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """``analyze`` in the verbose form (every figure a quantity object), as read here."""
    return expand(lean_analyze(*args, **kwargs))


SEOUL = {"lat": 37.5665, "lon": 126.978}  # inside the test block
BUSAN = {"lat": 35.1796, "lon": 129.0756}  # outside it
BUILDING = {"floors_below": 1, "use": "office"}
PARAMS: dict[str, Any] = {
    "hazards": ["river_flood"],
    "scenarios": ["SSP2-4.5", "SSP5-8.5"],
    "horizons": [2050],
}


@pytest.fixture(autouse=True)
def _fresh_caches() -> None:
    clear_caches()


def _river(report: dict[str, Any]) -> dict[str, Any]:
    (h,) = [h for h in report["hazards"] if h["hazard"] == "river_flood"]
    found: dict[str, Any] = h
    return found


def _case(h: dict[str, Any], scenario: str) -> dict[str, Any]:
    (e,) = [e for e in h["results"] if e["scenario"] == scenario]
    found: dict[str, Any] = e
    return found


def _full_set(folder: Path, h100_today: float, h100_future: float) -> Path:
    river_set(folder, "historical", 0, depth_of_rp(h100_today))
    for climate in ("rcp4p5", "rcp8p5"):
        for year in (2030, 2050, 2080):
            river_set(folder, climate, year, depth_of_rp(h100_future))
    return folder


def test_a_site_in_a_wet_block_gets_the_maps_depths_and_a_loss_that_follows_them(
    tmp_path: Path,
) -> None:
    shallow = _river(
        analyze(
            SEOUL, BUILDING, analysis_params=PARAMS, hazard_maps=_full_set(tmp_path / "a", 1.0, 1.0)
        )
    )
    deep = _river(
        analyze(
            SEOUL, BUILDING, analysis_params=PARAMS, hazard_maps=_full_set(tmp_path / "b", 2.0, 2.0)
        )
    )
    base = shallow["baseline"]
    assert base["intensity"]["depth_100yr_m"]["value"] == pytest.approx(1.0, abs=1e-6)
    assert base["intensity"]["depth_100yr_m"]["provenance"] == "data"
    assert base["intensity"]["depth_100yr_m"]["source"] == "wri-aqueduct-floods-v2"
    assert deep["baseline"]["intensity"]["depth_100yr_m"]["value"] == pytest.approx(2.0, abs=1e-6)
    assert 0 < base["eal"]["value"] < deep["baseline"]["eal"]["value"]
    assert shallow["hazard_data"]["used"] == "hazard_maps"
    assert "inunriver_historical_000000000WATCH_1980_rp00100.tif" in shallow["hazard_data"]["files"]
    assert base["hazard_data"] == "hazard_maps"


def test_the_maps_baseline_equals_the_same_curve_given_as_an_override(tmp_path: Path) -> None:
    # Maps enter the model exactly where a user's depth curve would: behind the same levee.
    folder = _full_set(tmp_path, 1.4, 1.4)
    curve = {str(rp): depth_of_rp(1.4)(rp) for rp in (2, 5, 10, 25, 50, 100, 250, 500, 1000)}
    mapped = _river(analyze(SEOUL, BUILDING, analysis_params=PARAMS, hazard_maps=folder))
    given = _river(
        analyze(
            SEOUL,
            BUILDING,
            analysis_params={**PARAMS, "overrides": {"river_flood": {"depth_m": curve}}},
        )
    )
    assert mapped["baseline"]["eal"]["value"] == pytest.approx(given["baseline"]["eal"]["value"])
    assert mapped["baseline"]["eal"]["value"] > 0


def test_future_maps_move_the_future_numbers_only(tmp_path: Path) -> None:
    same = _river(
        analyze(
            SEOUL, BUILDING, analysis_params=PARAMS, hazard_maps=_full_set(tmp_path / "a", 1.0, 1.0)
        )
    )
    wetter = _river(
        analyze(
            SEOUL, BUILDING, analysis_params=PARAMS, hazard_maps=_full_set(tmp_path / "b", 1.0, 1.6)
        )
    )
    assert wetter["baseline"]["eal"]["value"] == pytest.approx(same["baseline"]["eal"]["value"])
    for scenario in ("SSP2-4.5", "SSP5-8.5"):
        now, later = _case(same, scenario), _case(wetter, scenario)
        assert later["intensity"]["depth_100yr_m"]["value"] == pytest.approx(1.6, abs=1e-6)
        assert later["eal"]["value"] > 1.5 * now["eal"]["value"]
        # Maps with no change keep the future at today's loss: no rain multiplier on top.
        assert now["eal"]["value"] == pytest.approx(same["baseline"]["eal"]["value"])


def test_a_site_outside_the_maps_keeps_the_built_in_result(tmp_path: Path) -> None:
    folder = _full_set(tmp_path, 2.0, 3.0)
    built_in = _river(analyze(BUSAN, BUILDING, analysis_params=PARAMS))
    outside = _river(analyze(BUSAN, BUILDING, analysis_params=PARAMS, hazard_maps=folder))
    assert outside["results"] == [
        {**e, "hazard_data": "built_in_model"} for e in built_in["results"]
    ]
    assert outside["hazard_data"]["used"] == "built_in_model"
    assert outside["hazard_data"]["files"] == []
    assert "none covers this site" in outside["hazard_data"]["note_en"]


def test_a_scenario_without_maps_is_answered_by_the_built_in_model(tmp_path: Path) -> None:
    river_set(tmp_path, "historical", 0, depth_of_rp(1.0))
    for year in (2030, 2050, 2080):
        river_set(tmp_path, "rcp8p5", year, depth_of_rp(1.5))
    h = _river(analyze(SEOUL, BUILDING, analysis_params=PARAMS, hazard_maps=tmp_path))
    assert _case(h, "SSP5-8.5")["hazard_data"] == "hazard_maps"
    assert _case(h, "SSP2-4.5")["hazard_data"] == "built_in_model"
    assert _case(h, "SSP2-4.5")["intensity"]["depth_100yr_m"]["provenance"] == "assumption"


def test_ssp3_and_later_horizons_are_interpolated_and_tagged_derived(tmp_path: Path) -> None:
    river_set(tmp_path, "historical", 0, depth_of_rp(1.0))
    for year in (2030, 2050, 2080):
        river_set(tmp_path, "rcp4p5", year, depth_of_rp(1.2))
        river_set(tmp_path, "rcp8p5", year, depth_of_rp(2.0))
    params = {**PARAMS, "scenarios": ["SSP3-7.0"], "horizons": [2060]}
    (case,) = _river(analyze(SEOUL, BUILDING, analysis_params=params, hazard_maps=tmp_path))[
        "results"
    ]
    depth = case["intensity"]["depth_100yr_m"]
    assert 1.2 < depth["value"] < 2.0
    assert (depth["provenance"], case["hazard_data"]) == ("derived", "hazard_maps_interpolated")


def test_a_users_curve_wins_over_the_maps(tmp_path: Path) -> None:
    folder = _full_set(tmp_path, 2.0, 2.0)
    params = {**PARAMS, "overrides": {"river_flood": {"depth_m": {"100": 0.5}}}}
    with_maps = _river(analyze(SEOUL, BUILDING, analysis_params=params, hazard_maps=folder))
    without = _river(analyze(SEOUL, BUILDING, analysis_params=params))
    assert with_maps["baseline"]["eal"] == without["baseline"]["eal"]
    assert with_maps["baseline"]["intensity"]["depth_100yr_m"]["provenance"] == "user_input"


def test_coastal_maps_give_the_coastal_flood_depths(tmp_path: Path) -> None:
    coast_set(tmp_path, "historical", 0, depth_of_rp(0.8))
    for year in (2030, 2050, 2080):
        coast_set(tmp_path, "rcp4p5", year, depth_of_rp(0.8 + (year - 2000) / 100))
        coast_set(tmp_path, "rcp8p5", year, depth_of_rp(0.8 + (year - 2000) / 50))
    params = {**PARAMS, "hazards": ["coastal_flood", "river_flood"]}
    report = analyze(SEOUL, BUILDING, analysis_params=params, hazard_maps=tmp_path)
    (coast,) = [h for h in report["hazards"] if h["hazard"] == "coastal_flood"]
    assert coast["baseline"]["intensity"]["depth_100yr_m"]["value"] == pytest.approx(0.8, abs=1e-6)
    assert coast["baseline"]["eal"]["value"] > 0
    assert _case(coast, "SSP5-8.5")["eal"]["value"] > _case(coast, "SSP2-4.5")["eal"]["value"]
    # River maps are absent: the river hazard is the built-in model's, and says so.
    assert _river(report)["hazard_data"]["used"] == "built_in_model"
    assert "wri-aqueduct-floods-v2" in {s["key"] for s in report["sources"]}


def test_a_missing_return_period_is_read_from_the_others(tmp_path: Path) -> None:
    # The test curve is linear in ln(T), so reading a sparse set in ln(T) loses nothing.
    river_set(tmp_path / "sparse", "historical", 0, depth_of_rp(1.0), rps=(2, 10, 100, 1000))
    river_set(tmp_path / "full", "historical", 0, depth_of_rp(1.0))
    sparse = _river(
        analyze(SEOUL, BUILDING, analysis_params=PARAMS, hazard_maps=tmp_path / "sparse")
    )
    full = _river(analyze(SEOUL, BUILDING, analysis_params=PARAMS, hazard_maps=tmp_path / "full"))
    assert sparse["baseline"]["eal"]["value"] == pytest.approx(full["baseline"]["eal"]["value"])
    assert sparse["baseline"]["eal"]["value"] > 0
    assert len(sparse["hazard_data"]["files"]) == 4


def test_a_portfolio_reads_the_maps_like_single_reports(tmp_path: Path) -> None:
    from riskreport.analysis.pipeline import analyze_portfolio

    folder = _full_set(tmp_path, 1.0, 1.6)
    cols = {
        "lat": np.array([SEOUL["lat"], BUSAN["lat"]]),
        "lon": np.array([SEOUL["lon"], BUSAN["lon"]]),
        "floors_below": np.array([1.0, 1.0]),
    }
    plain = analyze_portfolio(cols, ("SSP5-8.5",), (2050,))
    mapped = analyze_portfolio(cols, ("SSP5-8.5",), (2050,), hazard_maps=folder)
    river = plain.hazards.index("river_flood")
    assert mapped.loss[0, river, 1] > 1.5 * mapped.loss[0, river, 0] > 0  # Seoul: the maps
    assert mapped.loss[0, river, 0] != plain.loss[0, river, 0]
    np.testing.assert_array_equal(mapped.loss[1], plain.loss[1])  # Busan: outside them


def test_windows_read_side_by_side_give_the_same_curves_as_one_by_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from riskreport.analysis.maps import raster
    from riskreport.analysis.maps.folder import MapFolder
    from riskreport.analysis.maps.names import RIVER
    from tests.analysis.maps.geotiff import write_map

    rng = np.random.default_rng(7)
    for climate, year in (("historical", 0), ("rcp8p5", 2050)):
        river_set(tmp_path, climate, year, depth_of_rp(1.0))
        for path in tmp_path.glob(f"inunriver_{climate}_*.tif"):  # a different field per map
            write_map(path, rng.uniform(0.0, 3.0, (120, 120)))
    lat = rng.uniform(37.1, 37.95, 500)
    lon = rng.uniform(126.55, 127.45, 500)
    folder = MapFolder.scan(tmp_path)
    side_by_side = folder.curves(RIVER, lat, lon)
    clear_caches()
    monkeypatch.setattr(raster, "READ_THREADS", 1)  # the path of a one-core machine
    one_by_one = folder.curves(RIVER, lat, lon)
    assert side_by_side is not None
    assert one_by_one is not None
    np.testing.assert_array_equal(side_by_side.today, one_by_one.today)
    np.testing.assert_array_equal(side_by_side.future, one_by_one.future)
    assert np.isfinite(side_by_side.today).all()
