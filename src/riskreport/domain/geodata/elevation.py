"""Ground elevation from the packaged ETOPO5 grid (``elevation.npz``) [etopo5].

ETOPO5's cells are about 9 km across: a regional hint, never a building's own ground level.
``low_ground_m`` (the lowest cell of the 3x3 around a place, at least 0 m) is the model's
default ground level for a site, because towns lie in the valleys and plains of a cell
(assumption, ``docs/data/climate.md``); a ground elevation given by the user replaces it.

>>> import numpy as np
>>> lat, lon = np.array([37.5665, 37.16]), np.array([126.978, 128.99])  # Seoul, Taebaek
>>> low_ground_m(lat, lon).round(-1).tolist()
[30.0, 440.0]
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.geodata.grid import load_grid

TABLE = "elevation.npz"
SOURCE = "etopo5"


def cell_elevation_m(lat: Array, lon: Array) -> Array:
    """ETOPO5 elevation (m, negative at sea), bilinear between cell centres."""
    return load_grid(TABLE).sample("elevation_m", np.asarray(lat), np.asarray(lon))


def low_ground_m(lat: Array, lon: Array) -> Array:
    """The default ground level of a site (m, >= 0): the low ground of its ETOPO5 cells."""
    return load_grid(TABLE).sample("low_ground_m", np.asarray(lat), np.asarray(lon))
