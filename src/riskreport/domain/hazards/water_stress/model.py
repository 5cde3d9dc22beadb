"""Water stress: chronic cost of a strained supply as a share of revenue.

A regional withdrawal-to-supply ratio (assumption) rising 10 % per degree of warming; a
water-intensive use pays up to a use-specific share of revenue (assumption).
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays, Intensity
from riskreport.domain.hazards.spei import NORMAL, spei_mean
from riskreport.domain.hazards.water_stress.inputs import WaterInputs
from riskreport.domain.scenarios import PRESENT_WARMING_C
from riskreport.domain.site import SiteBatch

# By use (USES order): residential, office, commercial, industrial, logistics, data_center,
# hospital, school. Assumption.
WATER_INTENSITY = np.array([0.001, 0.001, 0.002, 0.02, 0.0005, 0.03, 0.005, 0.001])
STRESS_LOW, STRESS_HIGH = 0.2, 0.8
STRESS_PER_C = 0.1


def water_stress(site: SiteBatch, inputs: WaterInputs, cases: CaseGrid) -> HazardArrays:
    growth = 1.0 + STRESS_PER_C * (cases.warming_c - PRESENT_WARMING_C)
    ratio = inputs.water_stress[:, None] * growth[None, :]
    pressure = np.clip((ratio - STRESS_LOW) / (STRESS_HIGH - STRESS_LOW), 0.0, 1.0)
    cost = site.revenue_krw[:, None] * WATER_INTENSITY[site.use][:, None] * pressure
    mu = spei_mean(cases.warming_c)
    p_dry = np.array([NORMAL.cdf(-1.5 - x) for x in mu.tolist()])
    return HazardArrays(
        hazard="water_stress",
        kind="chronic",
        loss=cost,
        probability=pressure * p_dry[None, :],
        damage=None,
        intensity={
            "water_stress_ratio": Intensity(ratio, "ratio", "riskreport-assumptions", "assumption"),
            "supply_pressure": Intensity(pressure, "fraction", "riskreport-assumptions"),
        },
        source="riskreport-assumptions",
    )
