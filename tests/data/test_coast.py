"""Distance to the sea and still-water levels: check values, the estuary rule, sea fronts, speed."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from scripts.data.coast import ESTUARY_CUTS
from scripts.data.polylines import FILE, drop_inside, exact_distance_km, read_lines

from riskreport.domain.geodata import coast

SEOUL = (37.5665, 126.978)
HAEUNDAE = (35.163, 129.163)
MARINE_CITY = (35.157, 129.145)


def _pt(*points: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([p[0] for p in points]), np.array([p[1] for p in points])


@pytest.fixture(scope="module")
def shoreline(shared_data: Path) -> list[np.ndarray]:
    return read_lines(shared_data / "coast-rivers" / FILE, "coast")


def test_raw_distances_match_the_shared_check_values(shoreline: list[np.ndarray]) -> None:
    # shared/data/README.md: Seoul 7.09 km, Haeundae 0.38 km (5 % tolerance).
    assert exact_distance_km(shoreline, *SEOUL) == pytest.approx(7.09, rel=0.05)
    assert exact_distance_km(shoreline, *HAEUNDAE) == pytest.approx(0.38, rel=0.05)


def test_packaged_index_agrees_with_brute_force_near_the_coast(shoreline: list[np.ndarray]) -> None:
    cut = drop_inside(shoreline, ESTUARY_CUTS)
    rng = np.random.default_rng(7)
    lat, lon = rng.uniform(34.6, 35.3, 60), rng.uniform(126.4, 129.3, 60)
    exact = np.array([exact_distance_km(cut, a, b) for a, b in zip(lat, lon, strict=True)]) * 1000
    got = coast.raw_distance_to_shoreline_m(lat, lon)
    near = exact < 1000.0
    assert near.sum() >= 5
    # Within one cell the answer is exact up to the 1/255-cell quantisation (about 5 m).
    np.testing.assert_allclose(got[near], exact[near], atol=8.0)
    # Farther out it is an upper bound, within 10 % in this island-strewn worst case.
    assert np.all(got >= exact - 8.0)
    assert np.all(got <= exact * 1.10 + 8.0)


def test_haeundae_reads_its_check_value_and_marine_city_is_a_sea_front() -> None:
    lat, lon = _pt(HAEUNDAE, MARINE_CITY)
    raw = coast.raw_distance_to_shoreline_m(lat, lon)
    assert raw[0] == pytest.approx(380.0, rel=0.05)
    # GSHHG predates the reclaimed Marine City front: it reads 0.53 km out to sea, so 0 m.
    assert coast.at_sea(lat, lon).tolist() == [False, True]
    assert coast.distance_to_coast_m(lat, lon)[1] <= 300.0


def test_central_seoul_is_not_coastal_after_the_estuary_rule() -> None:
    lat, lon = _pt(SEOUL, (37.55, 126.92))  # City Hall, and Yeouido on the Han
    d = coast.distance_to_coast_m(lat, lon)
    assert np.all(d > 15_000.0)


def test_real_sea_fronts_stay_coastal() -> None:
    # Incheon port, Gunsan port, Mokpo old port, Gangneung Anmok beach: all within 1 km.
    lat, lon = _pt((37.452, 126.608), (35.985, 126.715), (34.787, 126.385), (37.772, 128.947))
    assert np.all(coast.distance_to_coast_m(lat, lon) < 1000.0)


def test_inland_sites_are_far_from_the_sea() -> None:
    lat, lon = _pt((35.87, 128.60), (36.35, 127.38))  # Daegu, Daejeon
    assert np.all(coast.distance_to_coast_m(lat, lon) > 40_000.0)


def test_still_water_levels_rise_with_return_period_and_follow_the_tides() -> None:
    rp = np.array([2.0, 10.0, 100.0, 1000.0])
    lat, lon = _pt((37.45, 126.6), HAEUNDAE, (37.55, 129.12))  # Incheon, Busan, Mukho
    swl = coast.still_water_level_m(lat, lon, rp)
    assert swl.shape == (3, 4)
    assert np.all(np.diff(swl, axis=1) > 0.0)
    # Macro-tidal west coast above the south coast above the micro-tidal east coast.
    assert swl[0, 2] > swl[1, 2] > swl[2, 2]
    assert coast.station_names(coast.nearest_station(lat, lon)[0]) == ["INCHEON", "BUSAN", "MUKHO"]


def test_waterfront_ground_sits_above_the_highest_tide() -> None:
    lat, lon = _pt(HAEUNDAE)
    ground = coast.waterfront_ground_m(lat, lon)
    assert coast.still_water_level_m(lat, lon, np.array([2.0]))[0, 0] < ground[0]
    # ... and the rare levels overtop it: a sea front registers.
    assert coast.still_water_level_m(lat, lon, np.array([500.0]))[0, 0] > ground[0]


def test_many_points_cost_little_more_per_point_than_one() -> None:
    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(34.5, 38.0, 100_000), rng.uniform(126.3, 129.4, 100_000)
    coast.distance_to_coast_m(lat[:1], lon[:1])  # load once
    start = time.perf_counter()
    # Twenty other points: a point measured before is kept, and costs nothing the next time.
    for i in range(1, 21):
        coast.distance_to_coast_m(lat[i : i + 1], lon[i : i + 1])
    one = (time.perf_counter() - start) / 20
    start = time.perf_counter()
    coast.distance_to_coast_m(lat, lon)
    many = time.perf_counter() - start
    # Vectorised: 100,000 points cost far less than 100,000 single look-ups.
    assert many < one * 100_000 / 20
