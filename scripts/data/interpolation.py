"""Distances on the sphere and inverse-distance weights from a few places to a grid.

>>> import numpy as np
>>> round(float(km_between(37.5665, 126.978, np.array([35.163]), np.array([129.163]))[0]))
331
>>> w = idw_weights(np.array([0.0]), np.array([0.0]), np.array([0.0, 0.0]), np.array([1.0, 3.0]))
>>> np.round(w, 2).tolist()
[[0.9, 0.1]]
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius
IDW_POWER = 2.0  # Shepard's classic choice; assumption
NEAR_KM = 1.0  # distances below this count as this, so a node on a city takes its value


def km_between(lat: float | Floats, lon: float | Floats, lats: Floats, lons: Floats) -> Floats:
    """Great-circle distance (km) from ``(lat, lon)`` to ``(lats, lons)``, broadcast."""
    p1, p2 = np.radians(lat), np.radians(lats)
    dlat, dlon = p2 - p1, np.radians(lons) - np.radians(lon)
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    result: Floats = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return result


def idw_weights(lat: Floats, lon: Floats, src_lat: Floats, src_lon: Floats) -> Floats:
    """(n_points, n_sources) weights, each row summing to 1: ``1 / d**IDW_POWER``."""
    d = km_between(lat[:, None], lon[:, None], src_lat[None, :], src_lon[None, :])
    w = 1.0 / np.maximum(d, NEAR_KM) ** IDW_POWER
    result: Floats = w / w.sum(axis=1, keepdims=True)
    return result


def grid_axes(
    lat0: float, lat1: float, lon0: float, lon1: float, step: float
) -> tuple[Floats, Floats]:
    """Cell centres from ``lat0``/``lon0`` to ``lat1``/``lon1`` inclusive, ``step`` apart."""
    lats = lat0 + step * np.arange(round((lat1 - lat0) / step) + 1, dtype=np.float64)
    lons = lon0 + step * np.arange(round((lon1 - lon0) / step) + 1, dtype=np.float64)
    return lats, lons
