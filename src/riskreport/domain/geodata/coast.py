"""Distance to the sea and extreme still-water levels, from the packaged ``coast.npz``.

The shoreline is GSHHG 2.3.6 at full resolution [gshhg-2.3.6] with the tidal Han, Geum and
Yeongsan reaches cut off (``scripts/data/coast.py``); still-water levels are per tide station
(``scripts/data/still_water.py``; docs/data/coast.md).

>>> import numpy as np
>>> lat, lon = np.array([35.163, 37.5665]), np.array([129.163, 126.978])
>>> [round(float(d), -2) for d in distance_to_coast_m(lat, lon)]  # Haeundae, Seoul City Hall
[400.0, 28000.0]
>>> still_water_level_m(lat[:1], lon[:1], np.array([2.0, 100.0])).round(2).tolist()
[[0.98, 2.03]]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from riskreport.domain.array import Array, IntArray
from riskreport.domain.geodata.grid import load_table
from riskreport.domain.geodata.line_index import KM_PER_DEG, LineIndex
from riskreport.domain.site_grid import lookup

# The side of the nearest shoreline segment tells sea from land reliably only near the line:
# farther out the nearest piece may be the open end of a cut estuary or a coarse node's guess
# (4 % of points more than 3 km inland read "at sea" on it). Beyond this distance, and as a
# second opinion near the line, the packaged GLOBE 1 km land mask [noaa-globe-landmask] decides.
SIDE_TRUSTED_M = 2000.0
# Near the line, the shoreline's "at sea" is taken only where the land mask puts the point less
# than this far inland (reclaimed sea fronts such as Marine City read land on GLOBE's 1 km cells).
MASK_INLAND_KM = 2.0

TABLE = "coast.npz"


@cache
def _index() -> LineIndex:
    return LineIndex(load_table(TABLE)[0])


@dataclass(frozen=True, slots=True)
class _Stations:
    name: tuple[str, ...]
    lat: Array
    lon: Array
    ht_m: Array
    published: Array
    s2_m: Array
    s100_m: Array
    freeboard_m: float


@cache
def _stations() -> _Stations:
    a = load_table(TABLE)[0]
    return _Stations(
        name=tuple(str(n) for n in a["swl_name"]),
        lat=a["swl_lat"].astype(np.float64),
        lon=a["swl_lon"].astype(np.float64),
        ht_m=a["swl_ht_m"].astype(np.float64),
        published=a["swl_ht_published"].astype(np.float64),
        s2_m=a["swl_s2_m"].astype(np.float64),
        s100_m=a["swl_s100_m"].astype(np.float64),
        freeboard_m=float(a["swl_freeboard_m"]),
    )


def raw_distance_to_shoreline_m(lat: Array, lon: Array) -> Array:
    """Unsigned distance to the (estuary-cut) shoreline, metres, whichever side the point is on."""
    return _index().distance_m(lat, lon)


def at_sea(lat: Array, lon: Array) -> npt.NDArray[np.bool_]:
    """True where the point lies on the sea side of the shoreline (see ``SIDE_TRUSTED_M``)."""
    d, side = _index().measure(lat, lon)
    return _at_sea(lat, lon, d, side)


def _at_sea(lat: Array, lon: Array, d: Array, side: Array) -> npt.NDArray[np.bool_]:
    mask_km, _ = lookup(lat, lon)  # signed: negative at sea
    near = (side > 0.0) & (mask_km < MASK_INLAND_KM)
    result: npt.NDArray[np.bool_] = np.where(d < SIDE_TRUSTED_M, near, mask_km < 0.0)
    return result


def distance_to_coast_m(lat: Array, lon: Array) -> Array:
    """Distance from a building to the sea, metres; 0 where the shoreline puts it at sea.

    GSHHG predates much of Korea's reclaimed waterfront (Haeundae Marine City reads 0.53 km out
    to sea), so a building the shoreline places at sea stands on reclaimed land at the water's
    edge: its distance is 0.
    """
    d, side = _index().measure(lat, lon)
    result: Array = np.where(_at_sea(lat, lon, d, side), 0.0, d)
    return result


def nearest_station(lat: Array, lon: Array) -> tuple[IntArray, Array]:
    """Index of the nearest still-water station and its distance in km."""
    s = _stations()
    y = (lat[:, None] - s.lat[None, :]) * KM_PER_DEG
    x = (lon[:, None] - s.lon[None, :]) * KM_PER_DEG * np.cos(np.radians(lat))[:, None]
    d2 = x * x + y * y
    idx: IntArray = np.argmin(d2, axis=1)
    km: Array = np.sqrt(d2[np.arange(lat.shape[0]), idx])
    return idx, km


def station_names(idx: IntArray) -> list[str]:
    s = _stations()
    return [s.name[int(i)] for i in idx]


def still_water_level_m(lat: Array, lon: Array, return_periods: Array) -> Array:
    """T-year still-water level above mean sea level at the nearest station, shape (B, n_rp).

    Annual highest tide plus a meteorological rise, log-linear in T through the 2- and 100-year
    anchors (extrapolated beyond): tide [khoa-tide-tables], surge [kang-2005-maemi,
    kscoe-2018-esl] (assumptions listed in docs/data/coast.md).
    """
    return still_water_at(nearest_station(lat, lon)[0], return_periods)


def still_water_at(i: IntArray, return_periods: Array) -> Array:
    """:func:`still_water_level_m` at stations ``i`` (from :func:`nearest_station`, looked up
    once per building in ``site_batch``)."""
    s = _stations()
    slope = (s.s100_m[i] - s.s2_m[i]) / np.log(50.0)
    rise = s.s2_m[i][:, None] + slope[:, None] * np.log(np.asarray(return_periods) / 2.0)[None, :]
    result: Array = s.ht_m[i][:, None] + rise
    return result


def waterfront_ground_m(lat: Array, lon: Array) -> Array:
    """Default ground height of a sea-front site: the annual highest tide plus 1 m (assumption)."""
    return waterfront_ground_at(nearest_station(lat, lon)[0])


def waterfront_ground_at(i: IntArray) -> Array:
    """:func:`waterfront_ground_m` at stations ``i``."""
    s = _stations()
    result: Array = s.ht_m[i] + s.freeboard_m
    return result


# Default ground rises 10 m per km inland, to at most 150 m (assumption, as before this table).
GROUND_RISE_PER_KM = 10.0
GROUND_CAP_M = 150.0


def default_ground_m(lat: Array, lon: Array, coast_km: Array) -> Array:
    """Default ground height (m above MSL): the waterfront height plus 10 m per km inland.

    The rise with distance is the only distance penalty on a default ground height; a measured
    ground height given by the user is instead compared with a water level that loses height over
    land (coastal flood's overland attenuation).
    """
    return default_ground_at(nearest_station(lat, lon)[0], coast_km)


def default_ground_at(i: IntArray, coast_km: Array) -> Array:
    """:func:`default_ground_m` at stations ``i``."""
    rise = GROUND_RISE_PER_KM * np.maximum(coast_km, 0.0)
    result: Array = np.minimum(waterfront_ground_at(i) + rise, GROUND_CAP_M)
    return result
