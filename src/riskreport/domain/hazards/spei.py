"""The annual drought index SPEI-12 under warming: shared by drought and water stress.

Annual SPEI-12 is standard normal today; warming shifts its mean so that the 10-year
agricultural drought becomes m times as frequent (Figure SPM.6 [ipcc-ar6-wg1-spm-f6]; the values
are marked "verify", so results built on them are tagged assumption). Operations disruption rises
linearly from 0 at SPEI -2.0 to 1 at -3.5 [physrisk-docs]; its expectation is closed-form.

>>> import numpy as np
>>> round(float(spei_mean(np.array([0.85]))[0]), 6)
0.0
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.scenarios import frequency_multiplier

NORMAL = NormalDist()
ONSET, FULL = -2.0, -3.5  # SPEI-12 disruption ramp [physrisk-docs]
P10 = 0.1


def _partial_expectation(a: float) -> float:
    """E[(a - Z)+] for a standard normal Z."""
    return a * NORMAL.cdf(a) + NORMAL.pdf(a)


def spei_mean(warming_c: Array) -> Array:
    """Mean of annual SPEI-12 at each warming, so P(SPEI < -1.28) = 0.1 x multiplier."""
    m = frequency_multiplier("drought10", warming_c)
    q = NORMAL.inv_cdf(P10)
    return np.array([q - NORMAL.inv_cdf(min(P10 * float(x), 0.95)) for x in np.atleast_1d(m)])


def expected_disruption(mu: Array) -> Array:
    """E[clip((ONSET - S) / (ONSET - FULL), 0, 1)] for S ~ N(mu, 1)."""
    span = ONSET - FULL
    return np.array(
        [
            (_partial_expectation(ONSET - x) - _partial_expectation(FULL - x)) / span
            for x in mu.tolist()
        ]
    )
