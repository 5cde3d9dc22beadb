"""The packaged climate, rainfall, wildfire and elevation readers answer arrays of points."""

from __future__ import annotations

import numpy as np
import pytest

from riskreport.domain.geodata.climate import cold_days, heat_days
from riskreport.domain.geodata.coast import distance_to_coast_m
from riskreport.domain.geodata.elevation import cell_elevation_m, low_ground_m
from riskreport.domain.geodata.rainfall import daily_max_rain_mm
from riskreport.domain.geodata.rivers import distance_to_river_m
from riskreport.domain.geodata.wildfire import annual_burn_probability, fire_density

LAT = np.array([37.5665, 35.163, 35.8714, 37.16, 38.15, 33.5])
LON = np.array([126.978, 129.163, 128.6014, 128.99, 127.31, 126.53])


def test_heat_and_cold_change_with_the_ground_elevation() -> None:
    low = np.zeros(LAT.size)
    high = np.full(LAT.size, 800.0)
    assert np.all(heat_days(LAT, LON, high) <= heat_days(LAT, LON, low))
    assert np.all(cold_days(LAT, LON, high) >= cold_days(LAT, LON, low))
    assert heat_days(LAT, LON, low)[2] > heat_days(LAT, LON, high)[2] + 10  # Daegu


def test_unknown_elevation_falls_back_to_the_default_ground() -> None:
    given = np.array([np.nan, 0.0, np.nan, 712.0, np.nan, np.nan])
    mixed = heat_days(LAT, LON, given)
    default = heat_days(LAT, LON)
    np.testing.assert_allclose(mixed[[0, 2, 4, 5]], default[[0, 2, 4, 5]])
    assert mixed[3] == pytest.approx(float(heat_days(LAT[3:4], LON[3:4], 712.0)[0]))
    assert (
        heat_days(LAT, LON, 5000.0).min() >= 0.0
    )  # above the top level: clipped, not extrapolated


def test_elevation_grid() -> None:
    low = low_ground_m(LAT, LON)
    assert np.all(low >= 0.0)
    assert np.all(low <= np.maximum(cell_elevation_m(LAT, LON), 0.0) + 1.0)
    assert low[3] > 300.0  # Taebaek lies high
    assert cell_elevation_m(np.array([35.163]), np.array([129.163]))[0] < 0  # a sea cell


def test_rain_rises_with_the_return_period() -> None:
    rp = np.array([2.0, 10.0, 100.0, 500.0])
    rain = daily_max_rain_mm(LAT, LON, rp)
    assert rain.shape == (LAT.size, rp.size)
    assert np.all(np.diff(rain, axis=1) > 0)
    # Daegu has the fewest heavy-rain days of the mainland (National Atlas): lowest extremes.
    assert rain[2, 2] < rain[[0, 1, 3, 4, 5], 2].min()
    with pytest.raises(ValueError, match="exceed 1"):
        daily_max_rain_mm(LAT, LON, np.array([1.0]))


def test_fire_readers_are_vectorised_and_bounded() -> None:
    d, p = fire_density(LAT, LON), annual_burn_probability(LAT, LON)
    assert d.shape == p.shape == (LAT.size,)
    assert np.all((p >= 0) & (p < 0.05))
    assert np.all(np.argsort(d) == np.argsort(p))  # the probability follows the density


def test_a_point_measured_again_gives_what_the_batch_gives() -> None:
    # One building's distances are kept for its next report; a kept answer must be the one
    # a batch computes, and handed out as a copy the caller may change.
    lat, lon = np.array([37.5665, 35.1587, 33.2]), np.array([126.978, 129.1604, 126.5])
    batch = distance_to_coast_m(lat, lon), distance_to_river_m(lat, lon)
    for i in range(lat.size):
        for _ in range(2):
            coast = distance_to_coast_m(lat[i : i + 1], lon[i : i + 1])
            river = distance_to_river_m(lat[i : i + 1], lon[i : i + 1])
            assert (coast[0], river[0]) == (batch[0][i], batch[1][i])
            coast[0] = river[0] = -1.0
