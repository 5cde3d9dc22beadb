"""Drought and water stress: chronic disruption as a share of revenue.

Drought: annual SPEI-12 is standard normal today; warming shifts its mean so that the 10-year
agricultural drought becomes m times as frequent (Figure SPM.6 [ipcc-ar6-wg1-spm-f6]; the values
are marked "verify", so the result is tagged assumption). Operations disruption rises linearly
from 0 at SPEI -2.0 to 1 at -3.5 [physrisk-docs]; its expectation is closed-form.

Water stress: a regional withdrawal-to-supply ratio (assumption) rising 10 % per degree of
warming; a water-intensive use pays up to a use-specific share of revenue (assumption).
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards import HazardArrays, Intensity
from riskreport.domain.scenarios import PRESENT_WARMING_C, frequency_multiplier
from riskreport.domain.site import SiteBatch

_N = NormalDist()
ONSET, FULL = -2.0, -3.5  # SPEI-12 disruption ramp [physrisk-docs]
P10 = 0.1
# By use (USES order): residential, office, commercial, industrial, logistics, data_center,
# hospital, school. Assumption.
DROUGHT_SENSITIVITY = np.array([0.02, 0.05, 0.1, 0.5, 0.1, 0.3, 0.2, 0.05])
WATER_INTENSITY = np.array([0.001, 0.001, 0.002, 0.02, 0.0005, 0.03, 0.005, 0.001])
STRESS_LOW, STRESS_HIGH = 0.2, 0.8
STRESS_PER_C = 0.1


def _partial_expectation(a: float) -> float:
    """E[(a - Z)+] for a standard normal Z."""
    return a * _N.cdf(a) + _N.pdf(a)


def spei_mean(warming_c: Array) -> Array:
    """Mean of annual SPEI-12 at each warming, so P(SPEI < -1.28) = 0.1 x multiplier."""
    m = frequency_multiplier("drought10", warming_c)
    q = _N.inv_cdf(P10)
    return np.array([q - _N.inv_cdf(min(P10 * float(x), 0.95)) for x in np.atleast_1d(m)])


def expected_disruption(mu: Array) -> Array:
    """E[clip((ONSET - S) / (ONSET - FULL), 0, 1)] for S ~ N(mu, 1)."""
    span = ONSET - FULL
    return np.array(
        [
            (_partial_expectation(ONSET - x) - _partial_expectation(FULL - x)) / span
            for x in mu.tolist()
        ]
    )


def drought(site: SiteBatch, cases: CaseGrid) -> HazardArrays:
    mu = spei_mean(cases.warming_c)  # (C,)
    disruption = expected_disruption(mu)
    p_severe = np.array([_N.cdf(ONSET - x) for x in mu.tolist()])
    factor = (DROUGHT_SENSITIVITY[site.use] * site.drought_factor * site.revenue_krw)[:, None]
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


def water_stress(site: SiteBatch, cases: CaseGrid) -> HazardArrays:
    growth = 1.0 + STRESS_PER_C * (cases.warming_c - PRESENT_WARMING_C)
    ratio = site.water_stress[:, None] * growth[None, :]
    pressure = np.clip((ratio - STRESS_LOW) / (STRESS_HIGH - STRESS_LOW), 0.0, 1.0)
    cost = site.revenue_krw[:, None] * WATER_INTENSITY[site.use][:, None] * pressure
    mu = spei_mean(cases.warming_c)
    p_dry = np.array([_N.cdf(-1.5 - x) for x in mu.tolist()])
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
