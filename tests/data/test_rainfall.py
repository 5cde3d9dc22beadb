"""Rainfall extremes: the station check values and the scaled ERA5 Gumbel per cell."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scripts.data.observations import annual_maxima, read_cities, read_seoul_station
from scripts.data.rainfall import (
    ATLAS_HEAVY_DAYS,
    gumbel_moments,
    gumbel_quantile,
    heavy_day_mean,
    heavy_days,
)

from riskreport.domain.geodata.grid import load_grid
from riskreport.domain.geodata.rainfall import daily_max_rain_mm
from riskreport.domain.sources import SOURCES


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


def test_heavy_days_read_as_a_mean_annual_maximum_close_to_seouls_own(
    shared_data: Path,
) -> None:
    """The reading the atlas stations get, tried where the answer is known: Seoul's days of 50,
    80 and 100 mm or more in 1991-2019 give a mean annual maximum within 6 % of its maxima's
    mean (the exponential tail runs a little low; the derivation corrects by this ratio)."""
    s = read_seoul_station(shared_data).between(1991, 2019)
    maxima = annual_maxima(s.rain_mm, s.years)
    days = heavy_days(s.rain_mm, maxima.size)
    assert days[0] > days[1] > days[2] > 1.0
    reading = heavy_day_mean(days)
    assert reading == pytest.approx(float(maxima.mean()), rel=0.06)
    assert reading < float(maxima.mean())
    meta = load_grid("rainfall.npz").meta
    assert meta["heavy_day_reading_fix"] == pytest.approx(float(maxima.mean()) / reading, rel=1e-3)


def test_each_anchor_station_reaches_its_own_level_and_jeju_agrees_with_its_records() -> None:
    """One Seoul ratio for every city had put Seogwipo's 2-year day at 341 mm and its 50-year
    day at 821 mm, against the station's wettest day on record, 365.5 mm (1995)."""
    meta = load_grid("rainfall.npz").meta
    cities = {c["city"]: c for c in meta["cities"]}
    fix = meta["heavy_day_reading_fix"]
    for name, days in ATLAS_HEAVY_DAYS.items():
        assert cities[name]["scaled_mean_annual_max_mm"] == pytest.approx(
            heavy_day_mean(days) * fix, rel=0.01
        )
    assert set(meta["anchor_ratios"]) == {"Seoul", *ATLAS_HEAVY_DAYS}
    assert all(key in SOURCES for key in meta["sources"])
    # At the Seogwipo station: 2.7 days a year of 100 mm or more make the yearly maximum pass
    # 100 mm in most years, and the record sits between the 30- and the 100-year day.
    seogwipo = daily_max_rain_mm(np.array([33.2462]), np.array([126.5653]), np.array([2, 30, 100]))
    two, thirty, hundred = seogwipo[0]
    assert 100 < two < 200
    assert thirty < 365.5 < hundred * 1.05
