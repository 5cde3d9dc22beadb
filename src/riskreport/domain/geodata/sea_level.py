"""Relative sea-level rise at a site: the nearest Korean gauge's departure from the global mean.

The packaged ``sea_level.npz`` holds the Grandey et al. fusion at 17 Korean gauges and its mean
over all 1,631 gauges, 2020-2100, low / central / high [grandey-2025-rsl]. The fusion mixes
emissions scenarios, so only its regional departure is used: offset = gauge - all-gauge mean of
the same bound and year. (An offset, not a ratio: the departure is mostly vertical land motion and
ocean dynamics, nearly the same in metres across bounds; Pohang's is +0.25 / +0.27 / +0.26 m at
central / low / high in 2100, where ratios would run from 1.3 to 2.1.) The scenario enters
through the AR6 global mean sea level of each SSP (median from
:func:`riskreport.domain.scenarios.gmsl`, likely range below) [ipcc-ar6-wg1-ch9]:

    rise(bound) = GMSL_AR6(SSP, year, bound) + offset(gauge, year, bound)

>>> import numpy as np
>>> names, km = nearest_gauge(np.array([35.163]), np.array([129.163]))
>>> names, round(float(km[0]), 1)
(['BUSAN'], 13.2)
"""

from __future__ import annotations

from functools import cache

import numpy as np

from riskreport.domain.array import Array, IntArray
from riskreport.domain.geodata.grid import load_table
from riskreport.domain.geodata.line_index import KM_PER_DEG
from riskreport.domain.scenarios import gmsl

TABLE = "sea_level.npz"
BOUNDS = ("low", "central", "high")
# AR6 likely range of global mean sea level as fractions of the median, at 2030 / 2050 / 2100
# (low, high) [ipcc-ar6-wg1-ch9]: e.g. SSP2-4.5 2100 0.56 [0.44-0.76] -> (0.786, 1.357).
_LIKELY: dict[str, tuple[tuple[float, float, float], tuple[float, float, float]]] = {
    "SSP1-2.6": ((0.08 / 0.09, 0.16 / 0.19, 0.32 / 0.44), (0.12 / 0.09, 0.25 / 0.19, 0.62 / 0.44)),
    "SSP2-4.5": ((0.08 / 0.09, 0.17 / 0.20, 0.44 / 0.56), (0.12 / 0.09, 0.26 / 0.20, 0.76 / 0.56)),
    "SSP3-7.0": ((0.08 / 0.09, 0.18 / 0.22, 0.55 / 0.68), (0.12 / 0.09, 0.27 / 0.22, 0.90 / 0.68)),
    "SSP5-8.5": ((0.09 / 0.10, 0.20 / 0.23, 0.62 / 0.77), (0.12 / 0.10, 0.29 / 0.23, 1.01 / 0.77)),
}
_LIKELY_YEARS = (2030, 2050, 2100)


@cache
def _table() -> tuple[tuple[str, ...], Array, Array, Array, Array]:
    a = load_table(TABLE)[0]
    names = tuple(str(n) for n in a["gauge_name"])
    offset = a["rsl_m"].astype(np.float64) - a["all_gauge_mean_m"].astype(np.float64)[None, :, :]
    return (
        names,
        a["gauge_lat"].astype(np.float64),
        a["gauge_lon"].astype(np.float64),
        a["years"].astype(np.float64),
        offset,  # (gauge, year, bound)
    )


def gauge_rise_m(name: str, year: int) -> tuple[float, float, float]:
    """The fusion's own low / central / high rise at a named gauge and table year (m vs 2005)."""
    a = load_table(TABLE)[0]
    g = [str(n) for n in a["gauge_name"]].index(name)
    y = [int(v) for v in a["years"]].index(year)
    low, central, high = (float(v) for v in a["rsl_m"][g, y])
    return low, central, high


def _nearest(lat: Array, lon: Array) -> tuple[IntArray, Array]:
    _, glat, glon, _, _ = _table()
    y = (lat[:, None] - glat[None, :]) * KM_PER_DEG
    x = (lon[:, None] - glon[None, :]) * KM_PER_DEG * np.cos(np.radians(lat))[:, None]
    d2 = x * x + y * y
    idx: IntArray = np.argmin(d2, axis=1)
    km: Array = np.sqrt(d2[np.arange(lat.shape[0]), idx])
    return idx, km


def nearest_gauge(lat: Array, lon: Array) -> tuple[list[str], Array]:
    """Name of the nearest Korean tide gauge and its distance in km."""
    names = _table()[0]
    idx, km = _nearest(lat, lon)
    return [names[int(i)] for i in idx], km


def departure_m(lat: Array, lon: Array, year: float) -> Array:
    """Nearest gauge's rise minus the all-gauge mean, low / central / high, shape (B, 3).

    Before 2020 the 2020 offset is scaled down linearly to 0 at 2005 (the reference year).
    """
    _, _, _, years, offset = _table()
    idx, _ = _nearest(lat, lon)
    y = float(np.clip(year, years[0], years[-1]))
    k = min(int(np.searchsorted(years, y, side="right")) - 1, len(years) - 2)
    w = (y - years[k]) / (years[k + 1] - years[k])
    result: Array = (1.0 - w) * offset[idx, k, :] + w * offset[idx, k + 1, :]
    if year < years[0]:
        result = result * max(year - 2005.0, 0.0) / (years[0] - 2005.0)
    return result


def global_mean_m(scenario: str, year: float) -> Array:
    """AR6 global mean sea level (m vs 2005) for an SSP and year: low / median / high, (3,)."""
    median = gmsl(scenario, year)
    low_f, high_f = _LIKELY[scenario]
    lo = float(np.interp(year, _LIKELY_YEARS, low_f))
    hi = float(np.interp(year, _LIKELY_YEARS, high_f))
    return np.array([median * lo, median, median * hi])


def relative_rise_m(lat: Array, lon: Array, scenario: str, year: float) -> Array:
    """Relative sea-level rise at the sites for an SSP and year, low / central / high, (B, 3)."""
    result: Array = departure_m(lat, lon, year) + global_mean_m(scenario, year)[None, :]
    return result
