"""Relative sea-level rise: the raw check values, the packaged table and the per-SSP values."""

from __future__ import annotations

from pathlib import Path

import h5py  # type: ignore[import-untyped]
import numpy as np
import pytest

from riskreport.domain.geodata import sea_level

CHECK_2100 = {  # shared/data/README.md: central (low-high)
    "BUSAN": (0.59, 0.33, 1.04),
    "INCHEON": (0.51, 0.25, 0.97),
}


def _raw(shared: Path, bound: str, gauge_id: int) -> float:
    with h5py.File(shared / "sea-level" / f"rsl_{bound}_d25a.nc", "r") as f:
        col = list(f["locations"][:]).index(gauge_id)
        return float(f["sea_level_change"][-1, col])


def test_raw_files_reproduce_the_check_values(shared_data: Path) -> None:
    ids = {"BUSAN": 955, "INCHEON": 956, "POHANG": 1324, "JEJU": 1066}
    for name, (central, low, high) in CHECK_2100.items():
        assert _raw(shared_data, "central", ids[name]) == pytest.approx(central, abs=0.006)
        assert _raw(shared_data, "low", ids[name]) == pytest.approx(low, abs=0.006)
        assert _raw(shared_data, "high", ids[name]) == pytest.approx(high, abs=0.006)
    assert _raw(shared_data, "central", ids["POHANG"]) == pytest.approx(0.80, abs=0.006)
    assert _raw(shared_data, "central", ids["JEJU"]) == pytest.approx(0.82, abs=0.006)


def test_packaged_table_keeps_the_check_values() -> None:
    for name, (central, low, high) in CHECK_2100.items():
        got = sea_level.gauge_rise_m(name, 2100)
        np.testing.assert_allclose(got, (low, central, high), atol=0.006)
    assert sea_level.gauge_rise_m("POHANG", 2100)[1] == pytest.approx(0.80, abs=0.006)
    assert sea_level.gauge_rise_m("JEJU", 2100)[1] == pytest.approx(0.82, abs=0.006)


def test_nearest_gauge_names_and_distance() -> None:
    names, km = sea_level.nearest_gauge(np.array([35.163, 37.5665]), np.array([129.163, 126.978]))
    assert names == ["BUSAN", "INCHEON"]
    assert 10.0 < km[0] < 15.0
    assert 30.0 < km[1] < 40.0


def test_site_rise_is_ordered_grows_with_emissions_and_keeps_regional_departures() -> None:
    lat, lon = np.array([35.163, 37.45, 36.05]), np.array([129.163, 126.59, 129.38])
    low = sea_level.relative_rise_m(lat, lon, "SSP1-2.6", 2100)
    high = sea_level.relative_rise_m(lat, lon, "SSP5-8.5", 2100)
    assert np.all(np.diff(low, axis=1) > 0.0)
    assert np.all(np.diff(high, axis=1) > 0.0)
    assert np.all(high[:, 1] > low[:, 1])
    # Pohang subsides: it rises faster than Incheon in every scenario and bound.
    assert np.all(high[2] > high[1])
    assert np.all(low[2] > low[1])
    # SSP2-4.5 central at Busan is close to the fusion's own central value (0.59 m).
    mid = sea_level.relative_rise_m(lat[:1], lon[:1], "SSP2-4.5", 2100)
    assert mid[0, 1] == pytest.approx(0.59, abs=0.05)


def test_rise_is_zero_in_the_reference_year() -> None:
    r = sea_level.relative_rise_m(np.array([35.1]), np.array([129.0]), "SSP5-8.5", 2005)
    np.testing.assert_allclose(r, 0.0, atol=1e-12)
