"""Days past a threshold in a season, moved by warming: shared by heat wave and cold wave.

Also :func:`site_elevation_m`, the ground elevation both read their day counts at.

A logistic model of the seasonal daily extreme (assumption): today's count fixes the offset and
a warming ``shift`` (degC) moves the distribution by ``shift / scale``.

>>> import numpy as np
>>> round(float(shifted_days(np.array([10.0]), 92.0, np.array([0.0]), 1.7)[0, 0]), 6)
10.0
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.geodata.elevation import low_ground_m
from riskreport.domain.site import SiteBatch

POWER_KRW_KWH = 150.0  # assumption (KEPCO general-service average)


def shifted_days(base_days: Array, season: float, shift: Array, scale: float) -> Array:
    """Days above a threshold after the seasonal distribution moves by ``shift``, (C, B).

    Cases first, buildings last: per-building factors then broadcast along long rows. The
    hazard functions return transposed (B, C) views.
    """
    b = np.clip(base_days, 1e-3, season - 1e-3)
    z0 = np.log(season / b - 1.0)
    result: Array = season / (1.0 + np.exp(z0[None, :] - shift[:, None] / scale))
    return result


def given_ground_m(site: SiteBatch) -> Array:
    """The site's ground elevation where the user gave it, NaN where the batch holds its default.

    A :class:`SiteBatch` fills an unknown ground level with a coastal rule meant for coastal flood;
    heat and cold days need terrain instead, so where the user gave none the climate tables' own
    default ground (ETOPO5 low ground) is used.
    """
    result: Array = np.where(site.ground_given > 0, site.ground_m, np.nan)
    return result


def site_elevation_m(site: SiteBatch) -> Array:
    """The user's ground elevation where given, else the ETOPO5 low ground (m) [etopo5]."""
    given = given_ground_m(site)
    result: Array = np.where(np.isnan(given), low_ground_m(site.lat, site.lon), given)
    return result
