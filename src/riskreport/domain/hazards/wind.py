"""Typhoon: 10-minute wind curve -> 1-minute wind -> Emanuel damage, with Knutson's changes.

The 10-minute wind of Korean records and design maps is divided by 0.88 [wmo-harper-2010]; the
Emanuel function [emanuel-2011] uses a half-damage wind by structure. With warming, North-West
Pacific storms get 5.3 % stronger and 10.3 % rarer at +2 C [knutson-2020], scaled linearly from
today's +0.85 C (tagged derived).
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.cases import CaseGrid
from riskreport.domain.damage import V_THRESH, emanuel_wind, one_minute
from riskreport.domain.hazards import HazardArrays, Intensity
from riskreport.domain.losses import (
    RETURN_PERIODS,
    damaging_probability,
    eal_fraction,
    frequency_shift,
)
from riskreport.domain.scenarios import (
    KNUTSON_FREQUENCY_2C,
    KNUTSON_INTENSITY_2C,
    knutson_scale,
)
from riskreport.domain.site import SiteBatch

_RP100 = int(np.flatnonzero(RETURN_PERIODS == 100)[0])


def typhoon(site: SiteBatch, cases: CaseGrid) -> HazardArrays:
    k = knutson_scale(cases.warming_c)  # (C,)
    intensity = 1.0 + KNUTSON_INTENSITY_2C * k
    frequency = np.maximum(1.0 + KNUTSON_FREQUENCY_2C * k, 0.05)
    # Fewer storms: the future T-year wind is today's (T x frequency)-year wind, made stronger.
    v10 = frequency_shift(site.wind_10min_ms, frequency, scale=intensity)  # (B, C, n)
    v1 = one_minute(v10)
    # Buildings last for the per-building v_half (long contiguous rows; see flood._damage).
    rows = np.ascontiguousarray(v1.reshape(v1.shape[0], -1).T)
    curve = emanuel_wind(rows, site.v_half_ms).T.reshape(v1.shape)
    shape = curve.shape[:2]
    return HazardArrays(
        hazard="typhoon",
        kind="acute",
        loss=eal_fraction(curve) * site.value_krw[:, None],
        probability=damaging_probability(curve),
        damage=curve,
        intensity={
            "wind_10min_100yr_ms": Intensity(
                v10[:, :, _RP100], "m/s", "riskreport-assumptions", "assumption"
            ),
            "wind_1min_100yr_ms": Intensity(v1[:, :, _RP100], "m/s", "wmo-harper-2010"),
            "v_half_ms": Intensity(
                np.broadcast_to(site.v_half_ms[:, None], shape).copy(), "m/s", "emanuel-2011"
            ),
            "v_thresh_ms": Intensity(np.full(shape, V_THRESH), "m/s", "emanuel-2011"),
            "intensity_change_pct": Intensity(
                np.broadcast_to((intensity - 1.0)[None, :] * 100.0, shape).copy(),
                "%",
                "knutson-2020",
            ),
            "frequency_change_pct": Intensity(
                np.broadcast_to((frequency - 1.0)[None, :] * 100.0, shape).copy(),
                "%",
                "knutson-2020",
            ),
        },
        source="emanuel-2011",
    )
