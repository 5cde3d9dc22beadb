"""Drought: chronic operations disruption as a share of revenue.

The expected disruption under the warmed SPEI-12 (see :mod:`..spei`), times a sensitivity by use
and the supply's drought exposure (assumption).
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays, Intensity
from riskreport.domain.hazards.drought.inputs import DroughtInputs
from riskreport.domain.hazards.spei import NORMAL, ONSET, expected_disruption, spei_mean
from riskreport.domain.site import SiteBatch

# By use (USES order): residential, office, commercial, industrial, logistics, data_center,
# hospital, school. Assumption.
DROUGHT_SENSITIVITY = np.array([0.02, 0.05, 0.1, 0.5, 0.1, 0.3, 0.2, 0.05])


def drought(site: SiteBatch, inputs: DroughtInputs, cases: CaseGrid) -> HazardArrays:
    mu = spei_mean(cases.warming_c)  # (C,)
    disruption = expected_disruption(mu)
    p_severe = np.array([NORMAL.cdf(ONSET - x) for x in mu.tolist()])
    factor = (DROUGHT_SENSITIVITY[site.use] * inputs.drought_factor * site.revenue_krw)[:, None]
    shape = (site.size, cases.size)
    return HazardArrays(
        hazard="drought",
        kind="chronic",
        loss=factor * disruption[None, :],
        probability=np.broadcast_to(p_severe[None, :], shape).copy(),
        damage=None,
        intensity={
            "spei12_mean": Intensity(
                np.broadcast_to(mu[None, :], shape).copy(), "SPEI", "ipcc-ar6-wg1-spm-f6"
            ),
            "disruption_fraction": Intensity(
                np.broadcast_to(disruption[None, :], shape).copy(), "fraction", "physrisk-docs"
            ),
        },
        source="physrisk-docs",
    )
