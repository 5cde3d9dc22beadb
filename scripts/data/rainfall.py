"""Extreme daily rain on a grid: Gumbel location and scale per 0.1-degree cell (``rainfall.npz``).

Reanalysis smooths rain (ERA5 puts Seoul's mean annual maximum daily rain at 84 mm in 2016-2025;
the KMA station's 1991-2019 mean is 156 mm), so ERA5 gives the pattern and the Seoul station the
level. Steps (``docs/data/rainfall.md``):

1. Annual maxima of daily rain per ERA5 city, 2016-2025 [open-meteo-era5].
2. Scaled to station level by a ratio per city, station over ERA5 mean annual maximum, known at
   four stations and interpolated by inverse distance between them: Seoul's from its 1991-2019
   daily record [kma-asos-108] / ERA5 Seoul's over 2016-2025; Seogwipo's, Changwon's and
   Daegu's from their normal days of 50, 80 and 100 mm or more [ngii-atlas-2020], read as a mean
   annual maximum by an exponential tail (``heavy_day_mean``) corrected by what the same reading
   gives at Seoul. One Seoul ratio for every city had put Seogwipo's 2-year day at 341 mm, near
   its station's record. The same-day overlap (2016-2019) ratios of Seoul are kept in meta: they
   are lower (1.2-1.4) because those four years held no storm as large as a typical maximum.
3. Gumbel per city by the index-flood method (Dalrymple 1960; Hosking and Wallis 1997): the
   city's scaled mean annual maximum times the dimensionless Gumbel growth curve of the station's
   1991-2019 record (method of moments), since 10 maxima fix a mean to about +-15 % but a spread
   only to about +-25 % [hosking-wallis-1997]. Each city's own-spread fit is kept in meta.
4. Location and scale interpolated to the grid by inverse distance (power 2).

Run with ``python -m scripts.data --only rainfall``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from scripts.data.interpolation import grid_axes, idw_weights
from scripts.data.observations import annual_maxima, read_cities, read_seoul_station
from scripts.data.tables import write_grid

Floats = npt.NDArray[np.float64]
EULER = 0.5772156649015329
STATION_YEARS = (1991, 2019)  # the station normal the shared README checks
# Normal annual days with daily rain of at least 50, 80 and 100 mm at KMA stations, as the
# National Atlas of Korea states them (vol. 2, 2020, "Extreme climate") [ngii-atlas-2020]; the
# stations with all three counts and an ERA5 city of the same name.
HEAVY_DAY_THRESHOLDS_MM = (50.0, 80.0, 100.0)
ATLAS_HEAVY_DAYS = {
    "Seogwipo": (9.8, 4.3, 2.7),
    "Changwon": (8.7, 3.5, 2.2),
    "Daegu": (4.0, 1.4, 0.6),
}
OVERLAP_YEARS = (2016, 2019)  # full years both the station (to 2020-06) and ERA5 cover
LAT0, LAT1, LON0, LON1, STEP = 33.0, 38.7, 124.5, 131.0, 0.1


def gumbel_moments(maxima: Floats) -> tuple[float, float]:
    """Gumbel (location, scale) by the method of moments (sample standard deviation, n-1).

    >>> [round(x, 1) for x in gumbel_moments(np.array([100.0, 150.0, 200.0]))]
    [127.5, 39.0]
    """
    scale = math.sqrt(6.0) / math.pi * float(np.std(maxima, ddof=1))
    return float(np.mean(maxima)) - EULER * scale, scale


def gumbel_quantile(
    loc: Floats | float, scale: Floats | float, return_period: Floats | float
) -> Floats:
    """The ``return_period``-year value ``loc - scale * ln(-ln(1 - 1/T))``."""
    t = np.asarray(return_period, dtype=np.float64)
    result: Floats = np.asarray(loc) - np.asarray(scale) * np.log(-np.log(1.0 - 1.0 / t))
    return result


def heavy_day_mean(days_per_year: Sequence[float]) -> float:
    """The mean annual maximum daily rain implied by the annual days over
    ``HEAVY_DAY_THRESHOLDS_MM``: an exponential tail fitted through the log counts (rate
    ``exp(a - x / s)``), and storms arriving as a Poisson process, make the annual maximum Gumbel
    with scale ``s`` and location ``a * s`` (where one day a year exceeds it).

    >>> round(heavy_day_mean((9.8, 4.3, 2.7)), 1)  # Seogwipo's normals
    159.8
    """
    slope, intercept = np.polyfit(HEAVY_DAY_THRESHOLDS_MM, np.log(days_per_year), 1)
    scale = -1.0 / float(slope)
    return float(intercept) * scale + EULER * scale


def heavy_days(rain_mm: Floats, years: int) -> tuple[float, ...]:
    """Annual days of ``rain_mm`` at or over each of ``HEAVY_DAY_THRESHOLDS_MM``."""
    return tuple(float((rain_mm >= t).sum()) / years for t in HEAVY_DAY_THRESHOLDS_MM)


def derive(shared: Path, out: Path) -> list[Path]:
    cities = read_cities(shared)
    station = read_seoul_station(shared)
    seoul = next(c for c in cities if c.name == "Seoul")
    st_record = station.between(*STATION_YEARS)
    st_max = annual_maxima(st_record.rain_mm, st_record.years)
    e_max = annual_maxima(seoul.rain_mm, seoul.years)
    ratio = float(st_max.mean() / e_max.mean())
    # The growth curve: the station's Gumbel divided by its mean (coefficient of variation).
    st_loc, st_scale = gumbel_moments(st_max)
    cv_scale = st_scale / float(st_max.mean())

    ov_s, ov_e = station.between(*OVERLAP_YEARS), seoul.between(*OVERLAP_YEARS)
    overlap_annual = float(
        annual_maxima(ov_s.rain_mm, ov_s.years).mean()
        / annual_maxima(ov_e.rain_mm, ov_e.years).mean()
    )
    days, i_s, i_e = np.intersect1d(station.dates, seoul.dates, return_indices=True)
    top = max(1, len(days) // 100)  # the wettest 1 % of the shared days, each sample sorted
    wet_s = np.sort(station.rain_mm[i_s])[-top:]
    wet_e = np.sort(seoul.rain_mm[i_e])[-top:]
    overlap_top = float(wet_s.mean() / wet_e.mean())

    # The tail read from heavy days at Seoul against Seoul's own maxima: the exponential fitted
    # on 50-100 mm days runs below the heaviest storms (148 against 156 mm), and the atlas
    # stations' readings are corrected by the same factor.
    seoul_reading = heavy_day_mean(heavy_days(st_record.rain_mm, st_max.size))
    reading_fix = float(st_max.mean()) / seoul_reading
    era5_maxima = [annual_maxima(c.rain_mm, c.years) for c in cities]
    era5_means = np.array([m.mean() for m in era5_maxima])
    by_name = {c.name: i for i, c in enumerate(cities)}
    anchors = {"Seoul": ratio} | {
        name: heavy_day_mean(days) * reading_fix / float(era5_means[by_name[name]])
        for name, days in ATLAS_HEAVY_DAYS.items()
    }
    anchor_cities = [cities[by_name[name]] for name in anchors]
    to_anchors = idw_weights(
        np.array([c.lat for c in cities]),
        np.array([c.lon for c in cities]),
        np.array([c.lat for c in anchor_cities]),
        np.array([c.lon for c in anchor_cities]),
    )
    ratios = to_anchors @ np.array(list(anchors.values()))
    means = ratios * era5_means
    scales = cv_scale * means
    locs = means - EULER * scales
    own = [gumbel_moments(r * m) for r, m in zip(ratios, era5_maxima, strict=True)]

    lats, lons = grid_axes(LAT0, LAT1, LON0, LON1, STEP)
    g_lat, g_lon = (a.ravel() for a in np.meshgrid(lats, lons, indexing="ij"))
    w = idw_weights(
        g_lat, g_lon, np.array([c.lat for c in cities]), np.array([c.lon for c in cities])
    )
    shape = (lats.size, lons.size)

    def row(i: int) -> dict[str, float | str]:
        c = cities[i]
        return {
            "city": c.name,
            "era5_mean_annual_max_mm": round(float(era5_means[i]), 1),
            "station_ratio": round(float(ratios[i]), 4),
            "scaled_mean_annual_max_mm": round(float(means[i]), 1),
            "rain_100yr_mm": round(float(gumbel_quantile(locs[i], scales[i], 100.0)), 1),
            "own_fit_rain_100yr_mm": round(float(gumbel_quantile(*own[i], 100.0)), 1),
        }

    meta = {
        "title": "Annual maximum daily rain: Gumbel location and scale per cell (station level)",
        "sources": ["open-meteo-era5", "kma-asos-108", "ngii-atlas-2020", "hosking-wallis-1997"],
        "licence": "CC BY 4.0 (Open-Meteo ERA5, 'Weather data by Open-Meteo.com'); KMA open data",
        "method": "ERA5 annual maxima of daily rain per city 2016-2025 x a station ratio per city "
        "(station / ERA5 mean annual maximum: Seoul's from its 1991-2019 record, Seogwipo's, "
        "Changwon's and Daegu's from their normal days of heavy rain, interpolated by inverse "
        "distance); Gumbel per city by the index-flood "
        "method with the station's 1991-2019 growth curve (moments); location and scale "
        "interpolated by inverse distance (power 2) to 0.1-degree cells. x_T = loc - scale * "
        "ln(-ln(1 - 1/T)). See docs/data/rainfall.md.",
        "derived_by": "scripts/data/rainfall.py",
        "units": "mm per day",
        "station_ratio": round(ratio, 4),
        "station_ratio_note": "Seoul ASOS 108's ratio; each city's is in cities[].station_ratio",
        "heavy_day_reading_fix": round(reading_fix, 4),
        "anchor_ratios": {name: round(value, 4) for name, value in anchors.items()},
        "atlas_heavy_days": {name: list(days) for name, days in ATLAS_HEAVY_DAYS.items()},
        "overlap_ratio_annual_max_2016_2019": round(overlap_annual, 4),
        "overlap_ratio_wettest_1pct_days": round(overlap_top, 4),
        "station_mean_annual_max_mm": round(float(st_max.mean()), 2),
        "station_gumbel_100yr_mm": round(float(gumbel_quantile(st_loc, st_scale, 100.0)), 2),
        "growth_scale_over_mean": round(cv_scale, 5),
        "cities": [row(i) for i in range(len(cities))],
    }
    path = write_grid(
        out / "rainfall.npz",
        lat0=LAT0,
        lon0=LON0,
        step=STEP,
        fields={
            "gumbel_loc_mm": np.round(w @ locs, 2).reshape(shape).astype(np.float32),
            "gumbel_scale_mm": np.round(w @ scales, 2).reshape(shape).astype(np.float32),
        },
        meta=meta,
    )
    return [path]
