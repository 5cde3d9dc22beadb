"""Typhoon wind table: the README's check values, real-record contrasts, and reproducibility."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scripts.data import typhoon as derivation
from scripts.data.__main__ import DEFAULT_OUT
from scripts.data.typhoon_tracks import hourly, read_fixes

from riskreport.domain.geodata.grid import Grid, load_grid, read_npz
from riskreport.domain.geodata.typhoon import TABLE, gumbel_quantile, wind_10min_ms
from riskreport.domain.sources import SOURCES

SEOUL = (37.5665, 126.978)
HAEUNDAE = (35.163, 129.163)
SEOGWIPO = (33.2533, 126.5597)
JEJU = (33.4996, 126.5312)
RETURN_PERIODS = np.array([10.0, 50.0, 100.0])
# ../shared/data/README.md, typhoon section: 10/50/100-year and largest annual maximum 1977-2021,
# 10-minute m/s; "within about 15 % of these is plausible".
CHECK = {SEOUL: ((19.7, 28.1, 31.7), 30.7), HAEUNDAE: ((28.3, 39.1, 43.7), 33.9)}
BAND = 0.15


def _at(point: tuple[float, float]) -> tuple[np.ndarray, np.ndarray]:
    return np.array([point[0]]), np.array([point[1]])


@pytest.fixture(scope="module")
def derived(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    (path,) = derivation.derive(shared_data, tmp_path_factory.mktemp("typhoon"))
    return path


def _grid(path: Path) -> Grid:
    arrays, meta = read_npz(path)
    fields = {k: v for k, v in arrays.items() if k not in ("lat0", "lon0", "step")}
    return Grid(float(arrays["lat0"]), float(arrays["lon0"]), float(arrays["step"]), fields, meta)


@pytest.mark.parametrize("point", list(CHECK))
def test_derivation_lands_within_the_readme_band(derived: Path, point: tuple[float, float]) -> None:
    grid = _grid(derived)
    lat, lon = _at(point)
    mu, beta = grid.sample("gumbel_mu_ms", lat, lon), grid.sample("gumbel_beta_ms", lat, lon)
    curve = gumbel_quantile(mu, beta, RETURN_PERIODS)[0]
    expected, largest = CHECK[point]
    np.testing.assert_allclose(curve, expected, rtol=BAND)
    assert grid.sample("annual_max_largest_ms", lat, lon)[0] == pytest.approx(largest, rel=BAND)


def test_derivation_is_deterministic_and_matches_the_package(derived: Path) -> None:
    assert derived.read_bytes() == (DEFAULT_OUT / TABLE).read_bytes()


def test_the_record_years_stand_out(shared_data: Path) -> None:
    """Kompasu (2010) is Seoul's windiest typhoon year; Maemi (2003) is among Busan's worst."""
    track = hourly(read_fixes(shared_data / "typhoon"))
    land = derivation.Land(shared_data / "elevation" / "etopo5_korea.nc")
    maxima = derivation.annual_maxima(track, land)

    def years_by_wind(point: tuple[float, float]) -> list[int]:
        i = round((point[0] - derivation.LAT0) / derivation.STEP)
        j = round((point[1] - derivation.LON0) / derivation.STEP)
        order = np.argsort(maxima[:, i, j])[::-1]
        return [derivation.FIRST_YEAR + int(k) for k in order]

    assert years_by_wind(SEOUL)[0] == 2010
    assert 2003 in years_by_wind(HAEUNDAE)[:3]


def test_rmw_comes_from_the_archive_where_it_has_one(shared_data: Path) -> None:
    fixes = read_fixes(shared_data / "typhoon")
    recent = fixes.hour >= (np.datetime64("2010-01-01T00", "h").astype(np.int64))
    early = fixes.hour < (np.datetime64("1990-01-01T00", "h").astype(np.int64))
    assert np.isfinite(fixes.rmw_km[recent]).mean() > 0.9
    assert not np.isfinite(fixes.rmw_km[early]).any()
    assert 20.0 < np.nanmedian(fixes.rmw_km[recent]) < 80.0  # typical typhoon RMW, km


@pytest.mark.parametrize("point", list(CHECK))
def test_packaged_curve_reproduces_the_check_values(point: tuple[float, float]) -> None:
    expected, _ = CHECK[point]
    np.testing.assert_allclose(wind_10min_ms(*_at(point), RETURN_PERIODS)[0], expected, rtol=BAND)


def test_curves_rise_with_return_period_everywhere() -> None:
    grid = load_grid(TABLE)
    assert (grid.fields["gumbel_beta_ms"] > 0.0).all()
    lat0, lon0 = np.meshgrid(np.linspace(32.6, 39.4, 9), np.linspace(123.6, 132.4, 9))
    winds = wind_10min_ms(lat0.ravel(), lon0.ravel(), np.array([2.0, 10.0, 50.0, 100.0, 500.0]))
    assert (np.diff(winds, axis=1) > 0.0).all()


def test_jeju_is_windier_than_seoul() -> None:
    lat = np.array([SEOUL[0], SEOGWIPO[0], JEJU[0]])
    lon = np.array([SEOUL[1], SEOGWIPO[1], JEJU[1]])
    seoul, seogwipo, jeju = wind_10min_ms(lat, lon, np.array([100.0]))[:, 0]
    assert seogwipo > seoul + 5.0
    assert jeju > seoul + 5.0


def test_table_cites_known_sources() -> None:
    meta = load_grid(TABLE).meta
    assert {"jtwc-best-track", "wmo-harper-2010", "holland-2008"} <= set(meta["sources"])
    assert all(key in SOURCES for key in meta["sources"])
    assert load_grid(TABLE).shape == (29, 37)
