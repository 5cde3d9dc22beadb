"""Rainfall extremes: the station check values and the scaled ERA5 Gumbel per cell."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scripts.data.observations import annual_maxima, read_cities, read_seoul_station
from scripts.data.rainfall import gumbel_moments, gumbel_quantile

from riskreport.domain.geodata.grid import load_grid
from riskreport.domain.geodata.rainfall import daily_max_rain_mm


def test_station_check_values_1991_2019(shared_data: Path) -> None:
    s = read_seoul_station(shared_data).between(1991, 2019)
    maxima = annual_maxima(s.rain_mm, s.years)
    assert maxima.size == 29
    assert maxima.mean() == pytest.approx(156, abs=0.5)
    assert gumbel_quantile(*gumbel_moments(maxima), 100.0) == pytest.approx(386, rel=0.01)


def test_era5_smooths_seoul_rain(shared_data: Path) -> None:
    seoul = next(c for c in read_cities(shared_data) if c.name == "Seoul")
    assert annual_maxima(seoul.rain_mm, seoul.years).mean() == pytest.approx(84, abs=1.0)


def test_packaged_seoul_reaches_station_level() -> None:
    """Derived Seoul: mean 156 mm and 100-year 386 mm at the city point (by the station ratio and
    growth curve); the 0.1-degree cell blends neighbours, within 3 %."""
    meta = load_grid("rainfall.npz").meta
    seoul = next(c for c in meta["cities"] if c["city"] == "Seoul")
    assert seoul["scaled_mean_annual_max_mm"] == pytest.approx(156.2, abs=0.5)
    assert seoul["rain_100yr_mm"] == pytest.approx(386, rel=0.01)
    assert 1.1 < meta["overlap_ratio_annual_max_2016_2019"] < meta["station_ratio"]
    cell = daily_max_rain_mm(np.array([37.5665]), np.array([126.978]), np.array([100.0]))
    assert cell[0, 0] == pytest.approx(386, rel=0.03)
