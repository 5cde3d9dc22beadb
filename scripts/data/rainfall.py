"""Extreme daily rain on a grid: Gumbel location and scale per 0.1-degree cell (``rainfall.npz``).

Reanalysis smooths rain (ERA5 puts Seoul's mean annual maximum daily rain at 84 mm in 2016-2025;
the KMA station's 1991-2019 mean is 156 mm), so ERA5 gives the pattern and the Seoul station the
level. Steps (``docs/data/rainfall.md``):

1. Annual maxima of daily rain per ERA5 city, 2016-2025 [open-meteo-era5].
2. Scaled to station level by one ratio: the Seoul station's mean annual maximum over its
   1991-2019 record [kma-asos-108] / ERA5 Seoul's over 2016-2025. It is one station's ratio,
   applied to every city. The same-day overlap (2016-2019) ratios are kept in meta: they are
   lower (1.2-1.4) because those four years held no storm as large as a typical annual maximum.
3. Gumbel per city by the index-flood method (Dalrymple 1960; Hosking and Wallis 1997): the
   city's scaled mean annual maximum times the dimensionless Gumbel growth curve of the station's
   1991-2019 record (method of moments), since 10 maxima fix a mean to about +-15 % but a spread
   only to about +-25 % [hosking-wallis-1997]. Each city's own-spread fit is kept in meta.
4. Location and scale interpolated to the grid by inverse distance (power 2).

Run with ``python -m scripts.data --only rainfall``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import numpy.typing as npt

from scripts.data.interpolation import grid_axes, idw_weights
from scripts.data.observations import annual_maxima, read_cities, read_seoul_station
from scripts.data.tables import write_grid

Floats = npt.NDArray[np.float64]
EULER = 0.5772156649015329
STATION_YEARS = (1991, 2019)  # the station normal the shared README checks
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

    means = np.array([ratio * annual_maxima(c.rain_mm, c.years).mean() for c in cities])
    scales = cv_scale * means
    locs = means - EULER * scales
    own = [gumbel_moments(ratio * annual_maxima(c.rain_mm, c.years)) for c in cities]

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
            "era5_mean_annual_max_mm": round(float(means[i] / ratio), 1),
            "scaled_mean_annual_max_mm": round(float(means[i]), 1),
            "rain_100yr_mm": round(float(gumbel_quantile(locs[i], scales[i], 100.0)), 1),
            "own_fit_rain_100yr_mm": round(float(gumbel_quantile(*own[i], 100.0)), 1),
        }

    meta = {
        "title": "Annual maximum daily rain: Gumbel location and scale per cell (station level)",
        "sources": ["open-meteo-era5", "kma-asos-108", "hosking-wallis-1997"],
        "licence": "CC BY 4.0 (Open-Meteo ERA5, 'Weather data by Open-Meteo.com'); KMA open data",
        "method": "ERA5 annual maxima of daily rain per city 2016-2025 x the Seoul ratio (station "
        "1991-2019 mean annual maximum / ERA5 2016-2025); Gumbel per city by the index-flood "
        "method with the station's 1991-2019 growth curve (moments); location and scale "
        "interpolated by inverse distance (power 2) to 0.1-degree cells. x_T = loc - scale * "
        "ln(-ln(1 - 1/T)). See docs/data/rainfall.md.",
        "derived_by": "scripts/data/rainfall.py",
        "units": "mm per day",
        "station_ratio": round(ratio, 4),
        "station_ratio_note": "one station's (Seoul ASOS 108) ratio applied to every city",
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
