"""Heat, cold, wildfire and urban flood read their site inputs from the observation tables."""

from __future__ import annotations

import numpy as np
import pytest

from riskreport.domain.cases import case_grid
from riskreport.domain.geodata.elevation import low_ground_m
from riskreport.domain.hazards.registry import REGISTRY
from riskreport.domain.hazards.seasonal_days import given_ground_m
from riskreport.domain.hazards.urban_flood import inputs as urban
from riskreport.domain.hazards.wildfire.inputs import FOREST_SHARE, given_forest_m
from riskreport.domain.losses import RETURN_PERIODS
from riskreport.domain.site import SiteBatch, site_batch

SITES = {
    "seoul": (37.5665, 126.978),
    "daegu": (35.8714, 128.6014),
    "taebaek": (37.16, 128.99),
    "cheorwon": (38.15, 127.31),
    "busan": (35.1796, 129.0756),
    "uljin": (37.0, 129.4),
    "jeju": (33.5, 126.53),
}
LAT = np.array([p[0] for p in SITES.values()])
LON = np.array([p[1] for p in SITES.values()])
N = LAT.size
CASES = case_grid(["SSP2-4.5"], [2050])


def _site(**kw: np.ndarray) -> SiteBatch:
    return site_batch(lat=LAT, lon=LON, **kw)


def _at(values: np.ndarray) -> dict[str, float]:
    return dict(zip(SITES, values.tolist(), strict=True))


def test_the_batch_default_ground_is_not_taken_for_a_measurement() -> None:
    assert np.all(np.isnan(given_ground_m(_site())))
    given = np.array([np.nan, 50.0, 712.0, np.nan, np.nan, np.nan, np.nan])
    np.testing.assert_array_equal(given_ground_m(_site(ground_m=given)), given)


def test_heat_and_cold_follow_the_record() -> None:
    heat = _at(REGISTRY.get("heat_wave").inputs(_site()).heat_days)
    cold = _at(REGISTRY.get("cold_wave").inputs(_site()).cold_days)
    assert heat["daegu"] > 20 > 10 * heat["taebaek"]
    assert heat["daegu"] > 2 * heat["seoul"]
    assert cold["cheorwon"] > 10 * cold["busan"]


def test_a_given_ground_elevation_refines_the_days() -> None:
    heat, cold = REGISTRY.get("heat_wave"), REGISTRY.get("cold_wave")
    default = heat.inputs(_site())
    np.testing.assert_allclose(default.elevation_m, low_ground_m(LAT, LON))
    high = np.full(N, 700.0)
    assert np.all(heat.inputs(_site(ground_m=high)).heat_days <= default.heat_days)
    assert np.all(cold.inputs(_site(ground_m=high)).cold_days >= cold.inputs(_site()).cold_days)
    assert heat.inputs(_site(ground_m=high)).heat_days[1] < 0.5 * default.heat_days[1]  # Daegu


def test_wildfire_from_fire_detections_with_the_user_forest_distance() -> None:
    fire = REGISTRY.get("wildfire")
    site = _site()
    assert np.all(np.isnan(given_forest_m(site)))
    base = fire.inputs(site)
    np.testing.assert_array_equal(base.forest_factor, 1.0)  # unknown: the landscape's value
    p = _at(base.landscape_probability)
    assert p["uljin"] > 10 * p["seoul"]
    near = fire.inputs(_site(forest_m=np.zeros(N)))
    np.testing.assert_allclose(near.forest_factor, 1.0 / FOREST_SHARE)
    far = fire.inputs(_site(forest_m=np.full(N, 1000.0)))
    # Jeju saw no spreading fire in 2020-2023: its landscape reads 0, near or far from forest.
    burns = base.landscape_probability != 0
    assert list(np.flatnonzero(~burns)) == [list(SITES).index("jeju")]
    assert np.all(far.fire_probability[burns] < 0.01 * near.fire_probability[burns])
    assert np.all(far.fire_probability[~burns] == 0)
    wood = fire.inputs(_site(structure=np.full(N, 3, dtype=np.int64)))
    assert np.all(wood.fire_probability[burns] > base.fire_probability[burns])  # default: concrete


def test_urban_flood_depth_is_the_rain_the_sewer_cannot_take() -> None:
    flood = REGISTRY.get("urban_flood")
    inputs = flood.inputs(_site())
    depth = urban.depth_curve(inputs)
    below = RETURN_PERIODS[None, :] <= inputs.protection_rp[:, None]
    assert np.all(depth[below] == 0.0)
    assert np.all(np.diff(depth, axis=1) >= 0.0)
    assert np.all(depth[:, -1] > 0.0)
    rp100 = int(np.flatnonzero(RETURN_PERIODS == 100)[0])
    d100 = _at(depth[:, rp100])
    # Same sewer standard (20 years), heavier rain: Busan's depth above Daegu's, the mainland
    # city with the fewest heavy-rain days (National Atlas).
    assert d100["busan"] > d100["daegu"]
    # A better sewer moves the threshold of the excess, not only the mask.
    better = flood.inputs(_site(), {"protection_rp": 100.0})
    assert np.all(urban.depth_curve(better) <= depth)
    given = flood.inputs(_site(), {"depth_m": ((10.0, 0.0), (100.0, 1.0))})
    assert urban.depth_curve(given)[0, rp100] == pytest.approx(1.0)


def _office_eal(floors_below: float, barrier_m: float) -> np.ndarray:
    site = _site(
        structure=np.zeros(N, dtype=np.int64),
        use=np.ones(N, dtype=np.int64),
        floors_above=np.full(N, 10.0),
        floors_below=np.full(N, floors_below),
        barrier_m=np.full(N, barrier_m),
    )
    result = REGISTRY.get("urban_flood").run(site, CASES)
    eal: np.ndarray = result.loss[:, 0] / site.value_krw
    return eal


def test_the_basement_rule_dominates_urban_flood_loss() -> None:
    """Sensitivity shown in docs/data/rainfall.md: a 0.30 m sill instead of 0.15 m cuts the
    expected loss of a 10-storey office with one basement about tenfold; no basement, ~40-fold."""
    default = _office_eal(1.0, 0.0)
    wet = default > 0
    assert wet.sum() >= 5
    assert np.all(_office_eal(1.0, 0.3)[wet] < 0.3 * default[wet])
    assert np.all(_office_eal(0.0, 0.0)[wet] < 0.1 * default[wet])
