"""Heat and cold days: the raw check values, the station adjustment and the contrasts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scripts.data.climate import COLD_C, HEAT_C, StationMaps, apply_map, quantile_map
from scripts.data.observations import days_per_year, read_cities, read_seoul_station

from riskreport.domain.geodata.climate import cold_days, heat_days
from riskreport.domain.geodata.grid import load_grid


def test_station_check_values_1991_2019(shared_data: Path) -> None:
    s = read_seoul_station(shared_data).between(1991, 2019)
    assert days_per_year(s.tmax, s.years, True, HEAT_C) == pytest.approx(8.9, abs=0.05)
    assert days_per_year(s.tmin, s.years, False, COLD_C) == pytest.approx(3.4, abs=0.05)


@pytest.mark.parametrize(("city", "heat", "cold"), [("Seoul", 7.1, 5.1), ("Busan", 6.9, 0.4)])
def test_era5_raw_check_values_2016_2025(
    shared_data: Path, city: str, heat: float, cold: float
) -> None:
    c = next(c for c in read_cities(shared_data) if c.name == city)
    assert days_per_year(c.tmax, c.years, True, HEAT_C) == pytest.approx(heat, abs=0.05)
    assert days_per_year(c.tmin, c.years, False, COLD_C) == pytest.approx(cold, abs=0.05)


def test_quantile_map_moves_a_sample_onto_the_target() -> None:
    rng = np.random.default_rng(1)
    source, target = rng.normal(20, 5, 5000), rng.normal(22, 6, 5000)
    moved = apply_map(source, *quantile_map(source, target))
    assert np.mean(moved) == pytest.approx(22, abs=0.2)
    assert np.std(moved) == pytest.approx(6, abs=0.2)
    assert np.all(np.diff(moved[np.argsort(source)]) >= 0)  # order kept


def test_seoul_adjusted_to_the_station_climate(shared_data: Path) -> None:
    """Raw ERA5 Seoul 7.1 / 5.1 days; the station's 1995-2014 climate 6.5 / 3.55 days.

    The ERA5 -> station map warms Tmax by ~2.7 C at 33 C (reanalysis bias), the 2016-2020 ->
    1995-2014 map cools it by ~2.7 C: the two cancel for heat; cold days fall to the station's.
    """
    cities = read_cities(shared_data)
    station = read_seoul_station(shared_data)
    seoul = next(c for c in cities if c.name == "Seoul")
    maps = StationMaps(seoul, station)
    deltas = maps.deltas_at(HEAT_C, COLD_C)
    assert deltas["tmax_bias_c"] > 2.0
    assert deltas["tmax_baseline_c"] < -2.0
    tmax, tmin = maps.adjust(seoul)
    assert days_per_year(tmax, seoul.years, True, HEAT_C) == pytest.approx(7.1, abs=0.5)
    assert days_per_year(tmin, seoul.years, False, COLD_C) == pytest.approx(3.4, abs=0.5)
    base = station.between(1995, 2014)
    assert days_per_year(base.tmin, base.years, False, COLD_C) == pytest.approx(3.55, abs=0.01)


def test_packaged_table_records_its_adjusted_city_values() -> None:
    meta = load_grid("climate.npz").meta
    seoul = next(c for c in meta["cities"] if c["city"] == "Seoul")
    assert seoul["heat_era5"] == 7.1
    assert seoul["cold_era5"] == 5.1
    assert 5.0 < seoul["heat_adjusted"] < 9.0  # station: 6.5 (1995-2014), 8.9 (1991-2019)
    assert 3.0 < seoul["cold_adjusted"] < 4.0  # station: 3.55 (1995-2014), 3.4 (1991-2019)


SITES = {
    "seoul": (37.5665, 126.978),
    "busan": (35.1796, 129.0756),
    "daegu": (35.8714, 128.6014),
    "taebaek": (37.16, 128.99),
    "cheorwon": (38.15, 127.31),
    "gangneung": (37.7519, 128.8761),
}


def _at(fn: str) -> dict[str, float]:
    lat = np.array([p[0] for p in SITES.values()])
    lon = np.array([p[1] for p in SITES.values()])
    values = (heat_days if fn == "heat" else cold_days)(lat, lon)
    return dict(zip(SITES, values.tolist(), strict=True))


def test_contrasts_the_record_makes_plain() -> None:
    heat, cold = _at("heat"), _at("cold")
    assert heat["daegu"] > 20.0  # about 27 a year at the station
    assert heat["daegu"] > 10 * max(heat["taebaek"], 0.1)
    assert heat["daegu"] > 2 * heat["seoul"]
    assert cold["cheorwon"] > 10 * cold["busan"]
    assert cold["taebaek"] > 2 * cold["gangneung"]
