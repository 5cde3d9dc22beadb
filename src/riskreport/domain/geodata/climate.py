"""Heat days and cold days per year at a place, 1995-2014 climate (``climate.npz``).

Heat day: daily maximum >= 33 C; cold day: daily minimum <= -12 C (KMA advisories
[kma-warnings]). The table counts them from ERA5 city series moved onto the Seoul station's
climate [open-meteo-era5, kma-asos-108], interpolated by distance and counted at several ground
elevations with a 6.5 C/km lapse rate [us-standard-atmosphere-1976] (``scripts/data/climate.py``,
``docs/data/climate.md``). A site's ground elevation, when known, picks between those levels;
otherwise its default low ground (:mod:`.elevation`) does.

>>> import numpy as np
>>> lat, lon = np.array([35.8714, 37.16]), np.array([128.6014, 128.99])  # Daegu, Taebaek
>>> [round(x) for x in heat_days(lat, lon)]
[29, 0]
>>> [round(x) for x in heat_days(lat, lon, elevation_m=np.array([0.0, 700.0]))]
[31, 0]
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.geodata.elevation import low_ground_m
from riskreport.domain.geodata.grid import load_grid

TABLE = "climate.npz"
SOURCE = "open-meteo-era5"


def _ground(lat: Array, lon: Array, elevation_m: Array | float | None) -> Array:
    default = low_ground_m(lat, lon)
    if elevation_m is None:
        return default
    given = np.broadcast_to(np.asarray(elevation_m, dtype=np.float64), default.shape)
    result: Array = np.where(np.isnan(given), default, given)
    return result


def _days(field: str, lat: Array, lon: Array, elevation_m: Array | float | None) -> Array:
    lat, lon = np.asarray(lat, dtype=np.float64), np.asarray(lon, dtype=np.float64)
    grid = load_grid(TABLE)
    levels = np.asarray(grid.meta["elevation_levels_m"], dtype=np.float64)
    z = np.clip(_ground(lat, lon, elevation_m), levels[0], levels[-1])
    by_level = grid.sample(field, lat, lon)  # (B, n_levels)
    k = np.clip(np.searchsorted(levels, z, side="right") - 1, 0, levels.size - 2)
    f = (z - levels[k]) / (levels[k + 1] - levels[k])
    rows = np.arange(lat.size)
    result: Array = (1.0 - f) * by_level[rows, k] + f * by_level[rows, k + 1]
    return result


def heat_days(lat: Array, lon: Array, elevation_m: Array | float | None = None) -> Array:
    """Days per year with a maximum >= 33 C; ``elevation_m`` NaN where unknown."""
    return _days("heat_days", lat, lon, elevation_m)


def cold_days(lat: Array, lon: Array, elevation_m: Array | float | None = None) -> Array:
    """Days per year with a minimum <= -12 C; ``elevation_m`` NaN where unknown."""
    return _days("cold_days", lat, lon, elevation_m)
