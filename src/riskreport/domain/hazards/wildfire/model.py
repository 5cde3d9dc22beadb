"""Wildfire: annual probability that a fire reaches the building, times 0.7 damage.

physrisk's wildfire model [physrisk-docs]: damage given a fire is 0.7 of value, so the expected
annual damage is 0.7 x the annual probability. The probability rises with warming like the
frequency of agricultural drought, Figure SPM.6 (a fire-weather proxy; tagged assumption).
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays, Intensity
from riskreport.domain.hazards.wildfire.inputs import FIRE_DAMAGE_RATIO, FireInputs
from riskreport.domain.losses import RETURN_PERIODS
from riskreport.domain.scenarios import frequency_multiplier
from riskreport.domain.site import SiteBatch


def wildfire(site: SiteBatch, inputs: FireInputs, cases: CaseGrid) -> HazardArrays:
    m = frequency_multiplier("drought10", cases.warming_c)  # (C,)
    rate = np.minimum(m[:, None] * inputs.fire_probability[None, :], 1.0)  # (C, B): long rows
    rows = 1.0 - np.exp(-rate)
    probability = rows.T  # (B, C) view
    # A Bernoulli event: the T-year loss is the full 0.7 once the fire is at least that frequent.
    thresholds = (1.0 / RETURN_PERIODS)[None, :, None]
    curve = np.multiply(rows[:, None, :] >= thresholds, FIRE_DAMAGE_RATIO).transpose(2, 0, 1)
    return HazardArrays(
        hazard="wildfire",
        kind="acute",
        loss=FIRE_DAMAGE_RATIO * probability * site.value_krw[:, None],
        probability=probability,
        damage=curve,
        intensity={
            "fire_probability": Intensity(
                probability, "1/yr", "riskreport-assumptions", "assumption"
            ),
            "frequency_multiplier": Intensity(
                np.broadcast_to(m[None, :], probability.shape).copy(), "x", "ipcc-ar6-wg1-spm-f6"
            ),
        },
        source="physrisk-docs",
    )
