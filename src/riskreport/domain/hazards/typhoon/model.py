"""Typhoon: 10-minute wind curve -> 1-minute wind -> Emanuel damage, with Knutson's changes.

The 10-minute wind (``inputs.py``) is divided by 0.88 [wmo-harper-2010] before the Emanuel
function [emanuel-2011] with the North-West Pacific half-damage wind [eberenz-2021]. With
warming, intensity and frequency change by :func:`~riskreport.domain.geodata.typhoon.
intensity_change` [knutson-2020-climada] and :func:`~riskreport.domain.geodata.typhoon.
frequency_change` [knutson-2020], both zero today and held at the largest published change
beyond it (never extrapolated). Fewer storms: the future T-year wind is today's
(T x frequency)-year wind, made stronger by the intensity change.

Only wind damage is modelled here; the flood family models the water. Eberenz et al. calibrated
135.6 m/s against reported losses of whole storms, water included, so the typhoon loss added to
the flood family's overlaps with it (see docs/data/typhoon.md, "Damage").
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.cases import CaseGrid
from riskreport.domain.damage import TEN_TO_ONE_MINUTE, V_THRESH, emanuel_wind
from riskreport.domain.geodata.typhoon import (
    FREQUENCY_SOURCE,
    INTENSITY_SOURCE,
    WIND_SOURCE,
    frequency_change,
    intensity_change,
)
from riskreport.domain.hazards.base import HazardArrays, Intensity
from riskreport.domain.hazards.typhoon.inputs import KEY, V_HALF_SOURCE, TyphoonInputs
from riskreport.domain.losses import (
    RETURN_PERIODS,
    damaging_probability_rows,
    eal_fraction_rows,
    shift_matrices,
)
from riskreport.domain.site import SiteBatch

_RP100 = int(np.flatnonzero(RETURN_PERIODS == 100)[0])


def typhoon(site: SiteBatch, inputs: TyphoonInputs, cases: CaseGrid) -> HazardArrays:
    intensity = 1.0 + intensity_change(cases.warming_c)  # (C,)
    frequency = 1.0 + frequency_change(cases.warming_c)  # (C,), at least 0.897
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
            "wind_10min_100yr_ms": Intensity(v10_100, "m/s", WIND_SOURCE),
            "wind_1min_100yr_ms": Intensity(v1_100, "m/s", "wmo-harper-2010"),
            "v_half_ms": Intensity(
                np.broadcast_to(inputs.v_half_ms[:, None], shape).copy(),
                "m/s",
                V_HALF_SOURCE,
                "published",
            ),
            "v_thresh_ms": Intensity(np.full(shape, V_THRESH), "m/s", "emanuel-2011", "published"),
            "intensity_change_pct": Intensity(
                np.broadcast_to((intensity - 1.0)[None, :] * 100.0, shape).copy(),
                "%",
                INTENSITY_SOURCE,
            ),
            "frequency_change_pct": Intensity(
                np.broadcast_to((frequency - 1.0)[None, :] * 100.0, shape).copy(),
                "%",
                FREQUENCY_SOURCE,
            ),
        },
        source="emanuel-2011",
    )
