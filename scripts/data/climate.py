"""Heat and cold days per year on a grid, at several ground elevations (``climate.npz``).

Heat day: daily maximum >= 33 C (KMA heat-wave advisory); cold day: daily minimum <= -12 C (KMA
cold-wave advisory) [kma-warnings]. Steps, each documented in ``docs/data/climate.md``:

1. The 30 ERA5 city series 2016-2025 [open-meteo-era5] are moved onto the Seoul station's
   1995-2014 climate (the model's present-day baseline) [kma-asos-108] by two empirical quantile
   maps, built at Seoul and applied to every city: ERA5 -> station over the days both cover
   (2016-01-01 to 2020-06-09: reanalysis bias), then station 2016-2020 -> station 1995-2014
   (the baseline shift). Each is ``T + delta(T)``, ``delta`` read at the value's quantile.
2. Each city series is reduced to sea level with the standard-atmosphere lapse rate 6.5 C/km
   [us-standard-atmosphere-1976] and the city's low ground (the lowest ETOPO5 cell around it,
   :func:`scripts.data.etopo.low_ground` [etopo5]; city centres lie in valleys and plains).
3. The sea-level daily series are interpolated to a 0.1-degree grid by inverse distance, day by
   day, and the days are counted at fixed ground elevations (``elevation_levels_m`` in meta), so a
   site's own elevation, given at run time, selects between levels.

Run with ``python -m scripts.data --only climate`` (writes ``climate.npz`` and ``elevation.npz``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from scripts.data.etopo import bilinear, low_ground, read_etopo5, write_elevation
from scripts.data.interpolation import grid_axes, idw_weights
from scripts.data.observations import Series, read_cities, read_seoul_station
from scripts.data.tables import write_grid

Floats = npt.NDArray[np.float64]
HEAT_C, COLD_C = 33.0, -12.0  # KMA advisory thresholds [kma-warnings]
LAPSE_C_PER_M = 0.0065  # tropospheric lapse rate [us-standard-atmosphere-1976]
BASELINE = (1995, 2014)  # the model's present day (scenarios.PRESENT_YEAR = 2005)
# Ground elevations (m) at which days are counted; Korea's highest point is 1,950 m.
LEVELS_M = (0.0, 100.0, 200.0, 300.0, 500.0, 700.0, 900.0, 1200.0, 1500.0, 2000.0)
LAT0, LAT1, LON0, LON1, STEP = 33.0, 38.7, 124.5, 131.0, 0.1
PROBS = np.linspace(0.0005, 0.9995, 2000)  # quantile levels of the maps
CHUNK = 400  # grid nodes per block: keeps the (nodes, days) block near 12 MB


def quantile_map(source: Floats, target: Floats) -> tuple[Floats, Floats]:
    """Paired quantiles ``(q_source, q_target)`` of two samples (NaN ignored).

    Readings come in steps of 0.1 C, so neighbouring source quantiles tie; each run of ties
    keeps one knot with the mean target, which keeps the map a function (``np.interp`` needs
    rising knots).

    >>> knots, _ = quantile_map(np.array([1.0, 1.0, 1.0, 2.0]), np.array([1.0, 2.0, 3.0, 4.0]))
    >>> bool(np.all(np.diff(knots) > 0)), float(knots[0])
    (True, 1.0)
    """
    q_src, q_dst = np.nanquantile(source, PROBS), np.nanquantile(target, PROBS)
    knots, group = np.unique(q_src, return_inverse=True)
    mean_dst = np.bincount(group, weights=q_dst) / np.bincount(group)
    return knots, mean_dst


def apply_map(values: Floats, q_source: Floats, q_target: Floats) -> Floats:
    """``values + delta``, ``delta = q_target - q_source`` read at each value's place among
    ``q_source``; beyond the ends the end delta holds (no extrapolation of a slope).

    >>> apply_map(np.array([0.0, 5.0, 20.0]), np.array([0.0, 10.0]), np.array([1.0, 13.0]))
    array([ 1.,  7., 23.])
    """
    result: Floats = values + np.interp(values, q_source, q_target - q_source)
    return result


def overlap(era5: Series, station: Series) -> tuple[Floats, Floats, Floats, Floats]:
    """ERA5 and station Tmax, Tmin on the days both cover (tmax_e, tmax_s, tmin_e, tmin_s)."""
    days, ie, is_ = np.intersect1d(era5.dates, station.dates, return_indices=True)
    if len(days) < 365:
        raise ValueError(f"ERA5 and the station share only {len(days)} days")
    return era5.tmax[ie], station.tmax[is_], era5.tmin[ie], station.tmin[is_]


class StationMaps:
    """The two quantile maps of step 1 for Tmax and Tmin, built at Seoul."""

    def __init__(self, era5_seoul: Series, station: Series) -> None:
        tx_e, tx_s, tn_e, tn_s = overlap(era5_seoul, station)
        base = station.between(*BASELINE)
        self.tmax = (quantile_map(tx_e, tx_s), quantile_map(tx_s, base.tmax))
        self.tmin = (quantile_map(tn_e, tn_s), quantile_map(tn_s, base.tmin))

    @staticmethod
    def _chain(values: Floats, maps: tuple[tuple[Floats, Floats], ...]) -> Floats:
        for q_src, q_dst in maps:
            values = apply_map(values, q_src, q_dst)
        return values

    def adjust(self, city: Series) -> tuple[Floats, Floats]:
        """A city's daily Tmax and Tmin on the Seoul station's 1995-2014 climate."""
        return self._chain(city.tmax, self.tmax), self._chain(city.tmin, self.tmin)

    def deltas_at(self, tmax_c: float, tmin_c: float) -> dict[str, float]:
        """How far each map moves a value at the thresholds (for the table's meta)."""
        out: dict[str, float] = {}
        for name, value, maps in (("tmax", tmax_c, self.tmax), ("tmin", tmin_c, self.tmin)):
            (q0, q1), (q2, q3) = maps
            first = float(np.interp(value, q0, q1 - q0))
            second = float(np.interp(value + first, q2, q3 - q2))
            out[f"{name}_bias_c"], out[f"{name}_baseline_c"] = round(first, 2), round(second, 2)
        return out


def count_at_levels(sea_level: Floats, threshold: float, hot: bool, years: int) -> Floats:
    """(nodes, levels) days per year at or beyond ``threshold`` at each of ``LEVELS_M``."""
    out = np.empty((sea_level.shape[0], len(LEVELS_M)))
    for k, z in enumerate(LEVELS_M):
        local = sea_level - LAPSE_C_PER_M * z
        hits = local >= threshold if hot else local <= threshold
        out[:, k] = hits.sum(axis=1) / years
    return out


def derive(shared: Path, out: Path) -> list[Path]:
    cities = read_cities(shared)
    station = read_seoul_station(shared)
    seoul = next(c for c in cities if c.name == "Seoul")
    maps = StationMaps(seoul, station)
    e_lats, e_lons, e_z = read_etopo5(shared)
    c_lat = np.array([c.lat for c in cities])
    c_lon = np.array([c.lon for c in cities])
    c_z = bilinear(e_lats, e_lons, low_ground(e_z), c_lat, c_lon)
    adjusted = [maps.adjust(c) for c in cities]
    tmax_sl = np.stack([a[0] for a in adjusted]) + LAPSE_C_PER_M * c_z[:, None]
    tmin_sl = np.stack([a[1] for a in adjusted]) + LAPSE_C_PER_M * c_z[:, None]
    years = len(np.unique(cities[0].years))

    lats, lons = grid_axes(LAT0, LAT1, LON0, LON1, STEP)
    g_lat, g_lon = (a.ravel() for a in np.meshgrid(lats, lons, indexing="ij"))
    heat = np.empty((g_lat.size, len(LEVELS_M)))
    cold = np.empty_like(heat)
    for s in range(0, g_lat.size, CHUNK):
        w = idw_weights(g_lat[s : s + CHUNK], g_lon[s : s + CHUNK], c_lat, c_lon)
        heat[s : s + CHUNK] = count_at_levels(w @ tmax_sl, HEAT_C, True, years)
        cold[s : s + CHUNK] = count_at_levels(w @ tmin_sl, COLD_C, False, years)
    shape = (lats.size, lons.size, len(LEVELS_M))

    def at_city(c: Series, t: tuple[Floats, Floats]) -> dict[str, float | str]:
        return {
            "city": c.name,
            "ground_m": round(float(c_z[cities.index(c)]), 1),
            "heat_era5": round(float(np.sum(c.tmax >= HEAT_C)) / years, 2),
            "cold_era5": round(float(np.sum(c.tmin <= COLD_C)) / years, 2),
            "heat_adjusted": round(float(np.sum(t[0] >= HEAT_C)) / years, 2),
            "cold_adjusted": round(float(np.sum(t[1] <= COLD_C)) / years, 2),
        }

    meta = {
        "title": "Heat days (Tmax >= 33 C) and cold days (Tmin <= -12 C) per year, 1995-2014 "
        "climate, by ground elevation",
        "sources": [
            "open-meteo-era5",
            "kma-asos-108",
            "kma-warnings",
            "etopo5",
            "us-standard-atmosphere-1976",
        ],
        "licence": "CC BY 4.0 (Open-Meteo ERA5, 'Weather data by Open-Meteo.com'); KMA open data; "
        "ETOPO5 public domain",
        "method": "ERA5 city series 2016-2025 quantile-mapped to the Seoul ASOS 108 station over "
        "their overlap (2016-01-01..2020-06-09), then station 2016-2020 -> station 1995-2014; "
        "reduced to sea level at 6.5 C/km with the city's low ground (lowest ETOPO5 cell of "
        "3x3); inverse-distance (power 2) interpolation of the daily sea-level series to "
        "0.1-degree nodes; days counted per year at each ground elevation in "
        "elevation_levels_m. See docs/data/climate.md.",
        "derived_by": "scripts/data/climate.py",
        "units": "days per year",
        "baseline": f"{BASELINE[0]}-{BASELINE[1]}",
        "elevation_levels_m": list(LEVELS_M),
        "lapse_c_per_m": LAPSE_C_PER_M,
        "map_deltas_at_thresholds": maps.deltas_at(HEAT_C, COLD_C),
        "cities": [at_city(c, t) for c, t in zip(cities, adjusted, strict=True)],
    }
    climate = write_grid(
        out / "climate.npz",
        lat0=LAT0,
        lon0=LON0,
        step=STEP,
        fields={
            "heat_days": np.round(heat.reshape(shape), 2).astype(np.float32),
            "cold_days": np.round(cold.reshape(shape), 2).astype(np.float32),
        },
        meta=meta,
    )
    return [climate, write_elevation(shared, out)]
