"""Days past a threshold in a season, moved by warming: shared by heat wave and cold wave.

A logistic model of the seasonal daily extreme (assumption): today's count fixes the offset and
a warming ``shift`` (degC) moves the distribution by ``shift / scale``.

>>> import numpy as np
>>> round(float(shifted_days(np.array([10.0]), 92.0, np.array([0.0]), 1.7)[0, 0]), 6)
10.0
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.array import Array

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
