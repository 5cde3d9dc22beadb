"""Vegetation-fire density and the annual chance that a point burns (``fire_density.npz``).

Kernel density (Gaussian, sigma 10 km) of VIIRS type-0 detections 2020-2023 [nasa-firms]; the
burn probability converts density with the burnt area per detection calibrated on the Korea
Forest Service's statistics [kfs-wildfire-stats] (``scripts/data/wildfire.py``,
``docs/data/wildfire.md``). No land-cover data is packaged: a site's distance to forest, when the
user gives it, refines this regional value in the hazard, not here.

>>> import numpy as np
>>> lat, lon = np.array([37.5665, 37.0]), np.array([126.978, 129.4])  # central Seoul, Uljin
>>> bool(np.all(np.diff(annual_burn_probability(lat, lon)) > 0))
True
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.geodata.grid import load_grid

TABLE = "fire_density.npz"
SOURCE = "nasa-firms"


def fire_density(lat: Array, lon: Array) -> Array:
    """Vegetation-fire detections per km2 per year (both VIIRS satellites counted)."""
    return load_grid(TABLE).sample("fire_density", np.asarray(lat), np.asarray(lon))


def annual_burn_probability(lat: Array, lon: Array) -> Array:
    """The annual probability that a point of the surrounding landscape burns."""
    return load_grid(TABLE).sample("burn_probability", np.asarray(lat), np.asarray(lon))
