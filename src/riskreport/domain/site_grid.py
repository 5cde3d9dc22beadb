"""Distance to the open sea and nearest municipality, looked up in a packaged grid.

The grid is 1/60 degree over 33.0-38.75 N, 124.5-132.0 E, derived from the NOAA GLOBE land mask
[noaa-globe-landmask] and the KOSTAT gazetteer [kostat-sgis-2018] (see ``data/README.md``).

>>> import numpy as np
>>> km, code = lookup(np.array([37.5663]), np.array([126.9779]))
>>> int(code[0]), bool(km[0] > 10)
(11020, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from riskreport.domain.array import Array, IntArray

LAT_MIN, LAT_MAX, LON_MIN, LON_MAX = 33.0, 38.75, 124.5, 132.0


@dataclass(frozen=True, slots=True)
class _Grid:
    lat0: float
    lon0: float
    step: float
    coast_km: Array
    muni_code: IntArray


@cache
def _grid() -> _Grid:
    with resources.files("riskreport.domain.data").joinpath("site_grid.npz").open("rb") as fh:
        npz = np.load(fh)
        return _Grid(
            lat0=float(npz["lat0"]),
            lon0=float(npz["lon0"]),
            step=float(npz["step"]),
            coast_km=npz["coast_dm"].astype(np.float64) / 100.0,
            muni_code=npz["muni_code"].astype(np.int64),
        )


def inside_grid(lat: Array, lon: Array) -> Array:
    """1.0 where the point lies inside the grid (Korea's bounding box), else 0.0."""
    ok = (lat >= LAT_MIN) & (lat <= LAT_MAX) & (lon >= LON_MIN) & (lon <= LON_MAX)
    return ok.astype(np.float64)


def lookup(lat: Array, lon: Array) -> tuple[Array, IntArray]:
    """Signed distance to the open sea in km (negative at sea) and the nearest municipality code."""
    g = _grid()
    rows, cols = g.coast_km.shape
    i = np.clip(((lat - g.lat0) / g.step).astype(np.int64), 0, rows - 1)
    j = np.clip(((lon - g.lon0) / g.step).astype(np.int64), 0, cols - 1)
    return g.coast_km[i, j], g.muni_code[i, j]
