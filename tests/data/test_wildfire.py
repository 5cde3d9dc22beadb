"""Wildfire: the raw detection counts, the kernel density and the burn-probability calibration."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scripts.data.interpolation import grid_axes, km_between
from scripts.data.wildfire import (
    KFS_BURNT_HA,
    LAT0,
    LAT1,
    LON0,
    LON1,
    STEP,
    density,
    read_detections,
    south_of_mdl,
    spreading_fires,
    static_sources,
)

from riskreport.domain.geodata.grid import load_grid
from riskreport.domain.geodata.wildfire import annual_burn_probability, fire_density

Detections = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


@pytest.fixture(scope="module")
def detections(shared_data: Path) -> Detections:
    return read_detections(shared_data)


@pytest.mark.parametrize(
    ("lat", "lon", "within_10", "within_25"),
    [(37.5665, 126.978, 20, 141), (35.163, 129.163, 19, 763), (37.0, 129.4, 815, None)],
)
def test_raw_counts_check_values(
    detections: Detections,
    lat: float,
    lon: float,
    within_10: int,
    within_25: int | None,
) -> None:
    """The README's Uljin point is (37.0, 129.4); at (36.99, 129.40) the count is 718."""
    d = km_between(lat, lon, detections[0], detections[1])
    assert int((d <= 10).sum()) == within_10
    if within_25 is not None:
        assert int((d <= 25).sum()) == within_25


def test_kernel_density_keeps_the_count(
    detections: Detections,
) -> None:
    lat, lon, *_ = detections
    lats, lons = grid_axes(LAT0, LAT1, LON0, LON1, STEP)
    d = density(lat, lon, lats, lons, 10.0)
    cell_km2 = (STEP * 111.195) ** 2 * np.cos(np.radians(lats))[:, None]
    # Mass lost off the grid's edges only (the box holds every detection).
    assert float((d * cell_km2).sum()) == pytest.approx(lat.size, rel=0.03)


def test_contrast_uljin_far_above_central_seoul() -> None:
    lat, lon = np.array([37.5665, 37.0]), np.array([126.978, 129.4])
    density_seoul, density_uljin = fire_density(lat, lon)
    assert density_uljin > 10 * density_seoul
    p_seoul, p_uljin = annual_burn_probability(lat, lon)
    assert p_uljin > 10 * p_seoul


def test_burn_fraction_matches_the_forest_statistics(
    detections: Detections,
) -> None:
    """Over South Korea's cells the mean burn probability is the KFS burnt area over the land
    (about 100,000 km2): 0.084 %/yr of land 2020-2023 (0.13 % of 6.3 Mha forest; 2022 was
    extreme); without 2022 it would be 0.03 %/yr."""
    lats, lons = grid_axes(LAT0, LAT1, LON0, LON1, STEP)
    glat, glon = np.meshgrid(lats, lons, indexing="ij")
    p = annual_burn_probability(glat.ravel(), glon.ravel())
    cell_km2 = (STEP * 111.195) ** 2 * np.cos(np.radians(glat.ravel()))
    south = south_of_mdl(glat.ravel(), glon.ravel())
    burnt_km2 = float((p * cell_km2)[south].sum())
    kfs_km2 = sum(KFS_BURNT_HA.values()) / 100.0 / 4.0
    assert burnt_km2 == pytest.approx(kfs_km2, rel=0.1)
    assert 1e-4 < burnt_km2 / 100_000 < 1e-3


def test_static_heat_sources_are_left_out_and_the_largest_fire_is_kept(
    detections: Detections,
) -> None:
    """FIRMS leaves steelworks and cement kilns in type 0 (presumed vegetation): cells seen on 10
    days or more in more than one year are taken for them. Before, POSCO's Pohang works read a
    1.1 %/yr burn chance, the highest in Korea, over Uljin's 0.3 %."""
    lat, lon, year, day = detections
    static = static_sources(lat, lon, year, day)
    assert 0.6 < static.mean() < 0.8  # two thirds of the type-0 detections
    for site in ((36.0, 129.39), (36.98, 126.71)):  # POSCO Pohang, Hyundai Steel Dangjin
        near = km_between(*site, lat, lon) <= 1.0
        assert near.sum() > 1000
        assert static[near].mean() > 0.95
    # Every detection of the Uljin-Samcheok fire (March 2022) stays.
    fire = (km_between(37.05, 129.3, lat, lon) <= 15) & (year == 2022)
    assert fire.sum() > 500
    assert not static[fire].any()
    meta = load_grid("fire_density.npz").meta
    assert meta["static_source_detections_left_out"] == int(static.sum())
    pohang, uljin = annual_burn_probability(np.array([36.0, 37.0]), np.array([129.39, 129.4]))
    assert pohang < uljin / 10


def test_field_burns_are_left_out_and_the_forest_fires_kept(detections: Detections) -> None:
    """A detection counts only with four others the same day within about 2 km (one pixel is
    seen four times a day at most). The Honam plain's detections are mostly lone field burns,
    peaking in June (barley straw); the east coast's forest fires come in groups. Before, the
    plain took forest burnt area it does not have: Gimje read 0.31 %/yr, twice Samcheok."""
    lat, lon, year, day = detections
    vegetation = ~static_sources(lat, lon, year, day)
    lat, lon, year, day = lat[vegetation], lon[vegetation], year[vegetation], day[vegetation]
    spreading = spreading_fires(lat, lon, day)

    def share_kept(south: float, north: float, west: float, east: float) -> float:
        box = (lat >= south) & (lat < north) & (lon >= west) & (lon < east)
        assert box.sum() > 500
        return float(spreading[box].mean())

    assert share_kept(35.5, 36.1, 126.6, 127.1) < 0.05  # the Honam plain
    assert share_kept(36.9, 37.4, 129.1, 129.45) > 0.98  # Uljin-Samcheok, 2022
    assert share_kept(37.5, 38.4, 128.4, 129.2) > 0.9  # the Gangwon coast
    meta = load_grid("fire_density.npz").meta
    assert meta["isolated_detections_left_out"] == int((~spreading).sum())
    assert meta["detections"] == int(spreading.sum())
    gimje, samcheok = annual_burn_probability(np.array([35.80, 37.28]), np.array([126.88, 129.2]))
    assert gimje < samcheok / 10
