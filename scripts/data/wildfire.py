"""Vegetation-fire density and the annual chance that a point burns (``fire_density.npz``).

Steps (``docs/data/wildfire.md``):

1. Presumed vegetation fires (``type`` 0) of both VIIRS 375 m satellites (S-NPP, NOAA-20),
   2020-2023 [nasa-firms]; MODIS is left out (1 km pixels, and the VIIRS pair already sees the
   same fires). Less the static heat sources that FIRMS left in type 0: a 0.01-degree cell seen
   on ``PERSISTENT_DAYS`` days or more, in more than one year (steelworks, cement kilns, a
   landfill; two thirds of the type-0 detections). No cell of the largest fire on record,
   Uljin-Samcheok 2022, burned on more than 5 days. Less, then, the detections that are not
   part of a spreading fire (fewer than ``SPREAD_MIN`` the same day within about 2 km): mostly
   field burns, which the forest statistics of step 3 do not count.
2. Gaussian kernel density, sigma ``BANDWIDTH_KM``, on a 0.05-degree grid, in detections per km2
   per year. Detections are first binned on a 0.01-degree grid (about 1 km, far below sigma).
   Sigma 10 km (about 25 km effective radius): a large forest fire complex spans 10-20 km
   (Uljin-Samcheok 2022), and where the next one burns is uncertain over such distances.
   Leave-one-year-out likelihood prefers narrower kernels (3 km best) because most type-0
   detections recur on the same fields year after year; see docs/data/wildfire.md.
3. Burnt area per detection: the Korea Forest Service's burnt area 2020-2023 [kfs-wildfire-stats]
   over the detections kept south of the Military Demarcation Line in those years, so the
   national mean burn fraction matches the statistics. The annual chance that a point burns is
   ``1 - exp(-density * area per detection)`` (detections assumed to fall where fires burn;
   assumption).

Run with ``python -m scripts.data --only wildfire``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import numpy.typing as npt

from scripts.data.interpolation import EARTH_RADIUS_KM, grid_axes
from scripts.data.tables import write_grid

Floats = npt.NDArray[np.float64]
VIIRS = ("wildfire/viirs_snpp_korea_2020_2023.csv", "wildfire/viirs_noaa20_korea_2020_2023.csv")
YEARS = (2020, 2021, 2022, 2023)
VEGETATION = 0  # FIRMS type 0: presumed vegetation fire
# A cell (FINE degrees, about 1 km) detected on this many distinct days or more, in more than
# one year, is a static heat source, not a vegetation fire: fires move on within days (the cells
# of the Uljin-Samcheok fire of 2022 burned on 5 days at most; of the 3,484 cells seen in one
# year only, one reached 11 days), while the steelworks of Dangjin and Pohang and the cement
# kilns of Donghae and Danyang are seen on 300 to 800 days. Threshold chosen in that gap.
PERSISTENT_DAYS = 10
# A detection counts only as part of a spreading fire: at least this many detections on the same
# day (UTC date) within SPREAD_CELLS fine cells (about 2 km) either way. The two satellites look
# at a place at most four times a day (each by day and by night), so one burning 375 m pixel
# gives four detections at most: a fifth means the fire covered more than one pixel. Isolated
# detections are mostly field burns (Honam's plain, where 60 % are alone and the peak is June,
# the barley-straw month), which the forest statistics the calibration uses do not count; the
# forest fires of the east coast are 92-99 % in such groups (docs/data/wildfire.md).
SPREAD_MIN = 5
SPREAD_CELLS = 2
BANDWIDTH_KM = 10.0  # Gaussian sigma, tens of km of effective reach; assumption (see docstring)
LAT0, LAT1, LON0, LON1, STEP = 33.0, 38.7, 124.5, 131.0, 0.05
FINE = 0.01  # binning step, degrees
KM_PER_DEG = EARTH_RADIUS_KM * np.pi / 180.0
# Burnt forest area in South Korea by year, ha [kfs-wildfire-stats].
KFS_BURNT_HA = {2020: 2920.0, 2021: 766.0, 2022: 24797.0, 2023: 4992.0}
# The Military Demarcation Line, roughly (lon, lat), west to east; north of it is left out of
# the calibration (North Korea's fires are not in the KFS statistics). Assumption: a few km off.
MDL = np.array(
    [
        (124.0, 37.70),
        (126.10, 37.72),
        (126.68, 37.78),
        (126.70, 37.95),
        (127.10, 38.30),
        (127.60, 38.32),
        (128.05, 38.28),
        (128.37, 38.62),
        (132.0, 38.62),
    ]
)


def read_detections(
    shared: Path,
) -> tuple[Floats, Floats, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Latitude, longitude, year and day (days since 1970) of every type-0 detection in both
    VIIRS files."""
    lat: list[float] = []
    lon: list[float] = []
    year: list[int] = []
    day: list[int] = []
    for name in VIIRS:
        with (shared / name).open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if int(row["type"]) == VEGETATION:
                    lat.append(float(row["latitude"]))
                    lon.append(float(row["longitude"]))
                    year.append(int(row["acq_date"][:4]))
                    day.append(int(np.datetime64(row["acq_date"], "D").astype(np.int64)))
    return (
        np.array(lat),
        np.array(lon),
        np.array(year, dtype=np.int64),
        np.array(day, dtype=np.int64),
    )


def fine_rows_cols(lat: Floats, lon: Floats) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The row and column of each point's FINE-degree cell (the binning of :func:`density`)."""
    rows = np.floor((lat - LAT0) / FINE + 0.5).astype(np.int64)
    cols = np.floor((lon - LON0) / FINE + 0.5).astype(np.int64)
    return rows, cols


def fine_cells(lat: Floats, lon: Floats) -> npt.NDArray[np.int64]:
    """The FINE-degree cell of each point, as one integer."""
    rows, cols = fine_rows_cols(lat, lon)
    result: npt.NDArray[np.int64] = rows * 100_000 + cols
    return result


def static_sources(
    lat: Floats, lon: Floats, year: npt.NDArray[np.int64], day: npt.NDArray[np.int64]
) -> npt.NDArray[np.bool_]:
    """True for the detections in cells seen on ``PERSISTENT_DAYS`` days or more, in more than
    one year: static heat sources, not vegetation fires.

    >>> days = np.arange(12, dtype=np.int64)
    >>> one = np.zeros(12)
    >>> static_sources(one + 36.0, one + 129.4, np.repeat([2020, 2021], 6), days).all()
    np.True_
    >>> static_sources(one + 37.0, one + 129.4, np.full(12, 2022), days).any()  # one fire year
    np.False_
    """
    cells, where = np.unique(fine_cells(lat, lon), return_inverse=True)
    # Distinct (cell, day) and (cell, year) pairs, counted per cell.
    days = np.bincount(np.unique(np.stack([where, day]), axis=1)[0], minlength=cells.size)
    years = np.bincount(np.unique(np.stack([where, year]), axis=1)[0], minlength=cells.size)
    persistent = (days >= PERSISTENT_DAYS) & (years > 1)
    result: npt.NDArray[np.bool_] = persistent[where]
    return result


def spreading_fires(lat: Floats, lon: Floats, day: npt.NDArray[np.int64]) -> npt.NDArray[np.bool_]:
    """True for the detections with at least ``SPREAD_MIN`` detections (themselves included) on
    the same day within ``SPREAD_CELLS`` fine cells either way: parts of a fire larger than one
    pixel, not a field burn seen alone.

    >>> one = np.zeros(5)
    >>> lon = 129.4 + 0.01 * np.array([0, 1, 2, 1, 0])  # five looks, three pixels, one day
    >>> spreading_fires(one + 37.0, lon, np.zeros(5, np.int64)).all()
    np.True_
    >>> spreading_fires(one + 37.0, one + 129.4, np.arange(5, dtype=np.int64)).any()  # 5 days
    np.False_
    """
    rows, cols = fine_rows_cols(lat, lon)
    keys, where, counts = np.unique(
        np.stack([rows, cols, day]), axis=1, return_inverse=True, return_counts=True
    )
    count_at = {
        (int(r), int(c), int(d)): int(n) for (r, c, d), n in zip(keys.T, counts, strict=True)
    }
    span = range(-SPREAD_CELLS, SPREAD_CELLS + 1)
    near = np.array(
        [
            sum(count_at.get((int(r) + i, int(c) + j, int(d)), 0) for i in span for j in span)
            for r, c, d in keys.T
        ],
        dtype=np.int64,
    )
    result: npt.NDArray[np.bool_] = (near >= SPREAD_MIN)[where.ravel()]
    return result


def south_of_mdl(lat: Floats, lon: Floats) -> npt.NDArray[np.bool_]:
    """True south of the (approximate) Military Demarcation Line."""
    result: npt.NDArray[np.bool_] = lat < np.interp(lon, MDL[:, 0], MDL[:, 1])
    return result


def density(lat: Floats, lon: Floats, lats: Floats, lons: Floats, sigma_km: float) -> Floats:
    """Gaussian kernel density of the points at the grid nodes, points per km2, (lats, lons).

    Separable: each node row uses its own cos(latitude) for east-west kilometres.

    >>> d = density(np.array([36.0]), np.array([128.0]), np.array([36.0]), np.array([128.0]), 10.0)
    >>> round(float(d[0, 0]) * 2 * np.pi * 100, 2)
    1.0
    """
    rows, cols = fine_rows_cols(lat, lon)
    n_r = round((LAT1 - LAT0) / FINE) + 1
    n_c = round((LON1 - LON0) / FINE) + 1
    keep = (rows >= 0) & (rows < n_r) & (cols >= 0) & (cols < n_c)
    counts = np.zeros((n_r, n_c))
    np.add.at(counts, (rows[keep], cols[keep]), 1.0)
    f_lat, f_lon = LAT0 + FINE * np.arange(n_r), LON0 + FINE * np.arange(n_c)
    ky = np.exp(-0.5 * ((lats[:, None] - f_lat[None, :]) * KM_PER_DEG / sigma_km) ** 2)
    by_row = ky @ counts  # (n_lats, n_c): north-south smoothing done
    out = np.empty((lats.size, lons.size))
    for i, phi in enumerate(lats):
        dx = (lons[:, None] - f_lon[None, :]) * KM_PER_DEG * np.cos(np.radians(phi))
        out[i] = np.exp(-0.5 * (dx / sigma_km) ** 2) @ by_row[i]
    result: Floats = out / (2.0 * np.pi * sigma_km**2)
    return result


def km2_per_detection(lat: Floats, lon: Floats, year: npt.NDArray[np.int64]) -> float:
    """KFS burnt area over the detections south of the MDL, same years (km2 per detection)."""
    south = south_of_mdl(lat, lon) & np.isin(year, YEARS)
    return sum(KFS_BURNT_HA.values()) / 100.0 / float(south.sum())


def derive(shared: Path, out: Path) -> list[Path]:
    all_lat, all_lon, all_year, all_day = read_detections(shared)
    static = static_sources(all_lat, all_lon, all_year, all_day)
    fires = ~static
    fires[fires] = spreading_fires(all_lat[fires], all_lon[fires], all_day[fires])
    lat, lon, year = all_lat[fires], all_lon[fires], all_year[fires]
    lats, lons = grid_axes(LAT0, LAT1, LON0, LON1, STEP)
    # The kernel sums run through BLAS, whose kernels differ by CPU in the last bits: the
    # probability is computed from the density as stored (float32), and with expm1, which
    # keeps tiny chances exact where 1 - exp(-x) rounds them to 0 or 1.1e-16 depending on those
    # bits; the table is then the same on every machine (tests/data/test_make_data.py).
    per_year = (density(lat, lon, lats, lons, BANDWIDTH_KM) / len(YEARS)).astype(np.float32)
    area = km2_per_detection(lat, lon, year)
    burn = -np.expm1(-per_year.astype(np.float64) * area)
    meta = {
        "title": "Vegetation-fire detections per km2 per year (VIIRS, type 0, 2020-2023) and "
        "the annual probability that a point burns",
        "sources": ["nasa-firms", "kfs-wildfire-stats"],
        "licence": "NASA FIRMS open data without restriction; KFS statistics (public)",
        "method": f"Gaussian kernel density (sigma {BANDWIDTH_KM:g} km) of type-0 detections of "
        "both VIIRS satellites, less static heat sources (0.01-degree cells seen on "
        f"{PERSISTENT_DAYS} days or more in more than one year) and detections not part of a "
        f"spreading fire (fewer than {SPREAD_MIN} on the same day within {SPREAD_CELLS} "
        "0.01-degree cells), on a 0.05-degree grid, per year; burn probability "
        "1 - exp(-density x km2 per detection), the area per detection being the KFS burnt area "
        "2020-2023 over the detections south of the MDL. See docs/data/wildfire.md.",
        "derived_by": "scripts/data/wildfire.py",
        "units": {"fire_density": "detections per km2 per year", "burn_probability": "1/yr"},
        "bandwidth_km": BANDWIDTH_KM,
        "km2_per_detection": round(area, 6),
        "detections": int(lat.size),
        "detections_south_of_mdl": int(south_of_mdl(lat, lon).sum()),
        "static_source_detections_left_out": int(static.sum()),
        "static_source_cells": int(np.unique(fine_cells(all_lat[static], all_lon[static])).size),
        "persistent_days": PERSISTENT_DAYS,
        "isolated_detections_left_out": int((~static).sum() - lat.size),
        "spread_min_detections": SPREAD_MIN,
        "spread_cells": SPREAD_CELLS,
    }
    path = write_grid(
        out / "fire_density.npz",
        lat0=LAT0,
        lon0=LON0,
        step=STEP,
        fields={
            "fire_density": per_year,
            "burn_probability": burn.astype(np.float32),
        },
        meta=meta,
    )
    return [path]
