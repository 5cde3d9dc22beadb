"""Properties of the damage functions and losses (hypothesis)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from riskreport.domain.cases import case_grid
from riskreport.domain.damage import building_flood_damage, emanuel_wind, jrc_flood, storey_shares
from riskreport.domain.hazards.registry import REGISTRY
from riskreport.domain.model import run
from riskreport.domain.quantity import significant
from riskreport.domain.site import SiteBatch, site_batch

heat_wave, river_flood, urban_flood, coastal_flood = (
    REGISTRY.get(k).run for k in ("heat_wave", "river_flood", "urban_flood", "coastal_flood")
)

FAST = settings(max_examples=60, deadline=None)
depths = st.floats(-2.0, 12.0, allow_nan=False)


@FAST
@given(depths, depths, st.integers(0, 2))
def test_jrc_monotone_and_bounded(a: float, b: float, cls: int) -> None:
    lo, hi = sorted((a, b))
    d = jrc_flood(np.array([lo, hi]), np.array([cls, cls]))
    assert 0.0 <= d[0] <= d[1] <= 1.0


@FAST
@given(
    st.floats(0, 120, allow_nan=False),
    st.floats(0, 120, allow_nan=False),
    st.floats(30, 200, allow_nan=False),
)
def test_emanuel_monotone_and_bounded(a: float, b: float, v_half: float) -> None:
    lo, hi = sorted((a, b))
    d = emanuel_wind(np.array([lo, hi]), np.array(v_half))
    assert 0.0 <= d[0] <= d[1] <= 1.0


building = st.tuples(
    st.integers(0, 2),  # JRC class
    st.floats(0, 3),  # first floor
    st.sampled_from([0.0, 1.0]),  # piloti
    st.floats(0, 1.5),  # barrier
    st.integers(1, 30),  # floors above
    st.integers(0, 5),  # floors below
)


def _flood(depth: np.ndarray, b: tuple[int, float, float, float, int, int]) -> np.ndarray:
    cls, ff, piloti, barrier, fa, fb = b
    above, below = storey_shares(np.array(float(fa)), np.array(float(fb)))
    return building_flood_damage(
        depth, np.array(cls), np.array(ff), np.array(piloti), np.array(barrier), above, below
    )


@FAST
@given(depths, depths, building)
def test_building_flood_damage_monotone_and_bounded(
    a: float, b: float, bld: tuple[int, float, float, float, int, int]
) -> None:
    lo, hi = sorted((a, b))
    d = _flood(np.array([lo, hi]), bld)
    assert 0.0 <= d[0] <= d[1] <= 1.0 + 1e-12


@FAST
@given(depths, building, st.floats(0, 2))
def test_higher_first_floor_never_raises_flood_damage(
    depth: float, bld: tuple[int, float, float, float, int, int], raise_by: float
) -> None:
    higher = (bld[0], bld[1] + raise_by, *bld[2:])
    assert _flood(np.array(depth), higher) <= _flood(np.array(depth), bld)


lats = st.floats(34.5, 38.0)
lons = st.floats(126.3, 129.3)


def _site(lat: float, lon: float, **kw: float) -> SiteBatch:
    arrays = {k: np.array([v]) for k, v in kw.items()}
    return site_batch(lat=np.array([lat]), lon=np.array([lon]), **arrays)


@FAST
@given(lats, lons, st.floats(0, 3000), st.floats(0, 20_000), st.floats(0, 2))
def test_eal_rises_with_warming_for_heat_and_flood(
    lat: float, lon: float, river_m: float, coast_m: float, ground_m: float
) -> None:
    site = _site(
        lat, lon, river_m=river_m, coast_km=coast_m / 1000.0, ground_m=ground_m, floors_below=1.0
    )
    cases = case_grid(("SSP1-2.6", "SSP2-4.5", "SSP5-8.5"), (2030, 2050, 2100))
    order = np.argsort(cases.warming_c, kind="stable")
    for fn in (heat_wave, river_flood, urban_flood, coastal_flood):
        loss = fn(site, cases).loss[0]
        # Sorted by warming; coastal follows sea level, which is not sorted by warming across
        # scenarios, so it is checked along each scenario instead.
        if fn is coastal_flood:
            for s in range(3):
                idx = [0, *range(1 + 3 * s, 4 + 3 * s)]
                assert np.all(np.diff(loss[idx]) >= -1e-9)
        else:
            assert np.all(np.diff(loss[order]) >= -1e-9 * max(loss.max(), 1.0))


@FAST
@given(lats, lons, st.floats(0, 500))
def test_protection_above_every_event_gives_zero_loss(lat: float, lon: float, dist: float) -> None:
    site = _site(lat, lon, river_m=dist, coast_km=dist / 1000.0, ground_m=0.0, floors_below=2.0)
    walls = {"protection_rp": 1e6}  # levee, sewer and seawall, each in its hazard's inputs
    cases = case_grid(("SSP5-8.5",), (2100,))
    for fn in (river_flood, urban_flood):
        assert fn(site, cases, walls).loss.max() == 0.0
    # A sea wall designed for 1,000,000 years sits above every still-water level today; sea-level
    # rise may still overtop it, so only the baseline must be dry.
    assert coastal_flood(site, cases, walls).loss[0, 0] == 0.0


@FAST
@given(lats, lons)
def test_results_are_deterministic(lat: float, lon: float) -> None:
    cases = case_grid(("SSP2-4.5", "SSP5-8.5"), (2050,))
    a = run(_site(lat, lon), cases)
    b = run(_site(lat, lon), cases)
    for key in a:
        np.testing.assert_array_equal(a[key].loss, b[key].loss)
        assert np.all(np.isfinite(a[key].loss))
        assert np.all(a[key].loss >= 0.0)


@FAST
@given(st.floats(0, 100), st.floats(0, 10), st.floats(0, 20))
def test_scalar_and_array_scores_agree(rp100: float, eal: float, share: float) -> None:
    from riskreport.domain.scores import (
        acute_score,
        acute_score_of,
        chronic_score,
        chronic_score_of,
    )

    assert acute_score_of(rp100, eal) == float(acute_score(np.array(rp100), np.array(eal)))
    assert chronic_score_of(share) == float(chronic_score(np.array(share)))


@FAST
@given(lats, lons, st.floats(0, 2), st.floats(0, 2), st.integers(0, 3), st.sampled_from([0.0, 1.0]))
def test_higher_first_floor_never_raises_any_flood_eal(
    lat: float, lon: float, ff: float, raise_by: float, basements: int, piloti: float
) -> None:
    common = {"river_m": 50.0, "coast_km": 0.05, "ground_m": 1.0, "floors_below": float(basements)}
    low = _site(lat, lon, first_floor_m=ff, piloti=piloti, **common)
    high = _site(lat, lon, first_floor_m=ff + raise_by, piloti=piloti, **common)
    cases = case_grid(("SSP5-8.5",), (2050, 2100))
    for fn in (river_flood, urban_flood, coastal_flood):
        assert np.all(fn(high, cases).loss <= fn(low, cases).loss + 1e-9)


@FAST
@given(st.integers(1, 5), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_buildings_last_helpers_match(n_b: int, n_c: int, seed: int) -> None:
    from riskreport.domain.losses import (
        RETURN_PERIODS,
        damaging_probability,
        damaging_probability_rows,
        eal_fraction,
        eal_fraction_rows,
    )

    rng = np.random.default_rng(seed)
    shape = (n_b, n_c, len(RETURN_PERIODS))
    curve = np.sort(rng.random(shape) * (rng.random(shape) > 0.5), axis=-1)
    rows = np.ascontiguousarray(curve.transpose(1, 2, 0))
    np.testing.assert_allclose(eal_fraction_rows(rows), eal_fraction(curve))
    np.testing.assert_array_equal(damaging_probability_rows(rows), damaging_probability(curve))


def _reference_significant(value: float, digits: int = 6) -> float | int:
    # The rounding as first written, which the quicker one must match to the bit.
    v = float(value)
    if v == 0.0:
        return 0
    rounded = round(v, digits - 1 - math.floor(math.log10(abs(v))))
    if rounded == int(rounded) and abs(rounded) < 2**53:
        return int(rounded)
    return rounded


@settings(max_examples=2000)
@given(
    value=st.floats(allow_nan=False, allow_infinity=False)
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats(min_value=-1e7, max_value=1e7).map(lambda v: round(v, 2))
)
def test_significant_rounds_as_it_always_did(value: float) -> None:
    made, expected = significant(value), _reference_significant(value)
    assert (type(made), repr(made)) == (type(expected), repr(expected))
