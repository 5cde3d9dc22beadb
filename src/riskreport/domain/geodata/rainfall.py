"""Extreme daily rain at a place: the Gumbel law of annual maxima (``rainfall.npz``).

ERA5 city maxima 2016-2025 [open-meteo-era5] scaled to station level by a ratio per city,
interpolated between four stations' (Seoul's daily record [kma-asos-108]; Seogwipo's, Changwon's
and Daegu's heavy-rain normals [ngii-atlas-2020]), Gumbel per city by the index-flood method with
the Seoul station's growth curve [hosking-wallis-1997], interpolated by distance
(``scripts/data/rainfall.py``, ``docs/data/rainfall.md``).

>>> import numpy as np
>>> daily_max_rain_mm(np.array([37.5665]), np.array([126.978]), np.array([2.0, 100.0])).round()
array([[145., 389.]])
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.geodata.grid import load_grid

TABLE = "rainfall.npz"
SOURCE = "open-meteo-era5"


def gumbel_mm(lat: Array, lon: Array) -> tuple[Array, Array]:
    """Gumbel location and scale (mm) of the annual maximum daily rain, each (B,)."""
    grid = load_grid(TABLE)
    lat, lon = np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
    return grid.sample("gumbel_loc_mm", lat, lon), grid.sample("gumbel_scale_mm", lat, lon)


def gumbel_value(loc: Array, scale: Array, return_period: Array) -> Array:
    """``loc - scale * ln(-ln(1 - 1/T))``, broadcast; every ``T`` must exceed 1 year.

    >>> float(gumbel_value(np.array(100.0), np.array(10.0), np.array(2.0)).round(2))
    103.67
    """
    t = np.asarray(return_period, dtype=np.float64)
    if np.any(t <= 1.0):
        raise ValueError("return periods must exceed 1 year")
    result: Array = loc - scale * np.log(-np.log(1.0 - 1.0 / t))
    return result


def daily_max_rain_mm(lat: Array, lon: Array, return_periods: Array) -> Array:
    """(B, n_rp) daily rain (mm) reached once in each return period (years, > 1)."""
    loc, scale = gumbel_mm(lat, lon)
    t = np.asarray(return_periods, dtype=np.float64)
    return gumbel_value(loc[:, None], scale[:, None], t[None, :])
