"""Typhoon: 10-minute wind curve -> 1-minute wind -> Emanuel damage, with Knutson's changes.

The 10-minute wind of Korean records and design maps is divided by 0.88 [wmo-harper-2010]; the
Emanuel function [emanuel-2011] uses a half-damage wind by structure. With warming, North-West
Pacific storms get 5.3 % stronger and 10.3 % rarer at +2 C [knutson-2020], scaled linearly from
today's +0.85 C (tagged derived).
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.cases import CaseGrid
from riskreport.domain.damage import TEN_TO_ONE_MINUTE, V_THRESH, emanuel_wind
from riskreport.domain.hazards.base import HazardArrays, Intensity
from riskreport.domain.hazards.typhoon.inputs import KEY, TyphoonInputs
from riskreport.domain.losses import (
    RETURN_PERIODS,
    damaging_probability_rows,
    eal_fraction_rows,
    shift_matrices,
)
from riskreport.domain.scenarios import (
    KNUTSON_FREQUENCY_2C,
    KNUTSON_INTENSITY_2C,
    knutson_scale,
)
from riskreport.domain.site import SiteBatch

_RP100 = int(np.flatnonzero(RETURN_PERIODS == 100)[0])


def typhoon(site: SiteBatch, inputs: TyphoonInputs, cases: CaseGrid) -> HazardArrays:
    k = knutson_scale(cases.warming_c)  # (C,)
    intensity = 1.0 + KNUTSON_INTENSITY_2C * k
    frequency = np.maximum(1.0 + KNUTSON_FREQUENCY_2C * k, 0.05)
    # Fewer storms: the future T-year wind is today's (T x frequency)-year wind, made stronger.
    # Buildings last, (C, n, B): the per-building v_half then broadcasts along long rows. The
    # frequency shift, the intensity change and the 10-to-1-minute conversion are one product.
    mats = shift_matrices(frequency) * (intensity / TEN_TO_ONE_MINUTE)[:, None, None]
    v1 = np.matmul(mats.transpose(0, 2, 1), inputs.wind_10min_ms.T)  # (C, n, B)
    v1_100 = v1[:, _RP100, :].T.copy()  # (B, C)
    v10_100 = v1_100 * TEN_TO_ONE_MINUTE
    rows = emanuel_wind(v1, inputs.v_half_ms, overwrite=True)  # (C, n, B)
    curve = rows.transpose(2, 0, 1)  # (B, C, n), a view
    shape = curve.shape[:2]
    return HazardArrays(
        hazard=KEY,
        kind="acute",
        loss=eal_fraction_rows(rows) * site.value_krw[:, None],
        probability=damaging_probability_rows(rows),
        damage=curve,
        intensity={
            "wind_10min_100yr_ms": Intensity(
                v10_100, "m/s", "riskreport-assumptions", "assumption"
            ),
            "wind_1min_100yr_ms": Intensity(v1_100, "m/s", "wmo-harper-2010"),
            "v_half_ms": Intensity(
                np.broadcast_to(inputs.v_half_ms[:, None], shape).copy(), "m/s", "emanuel-2011"
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
