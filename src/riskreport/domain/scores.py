"""Scores 1-5 and the overall grade, by documented thresholds.

Acute hazards: the larger of a score on the 1-in-100-year loss (% of value; physrisk: above 10 %
very high, above 3 % high [physrisk-docs]; lower bands assumption) and a score on the expected
annual loss (% of value; assumption). Chronic hazards: annual cost as % of revenue (assumption).
The overall score is the worst hazard score over the requested cases; grades A (1) to E (5).

>>> import numpy as np
>>> acute_score(np.array([12.0, 4.0, 0.05]), np.array([0.0, 0.0, 0.0])).tolist()
[5, 4, 1]
>>> GRADES[5]
'E'
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from riskreport.domain.array import Array

RP100_BANDS = (0.1, 1.0, 3.0, 10.0)  # % of value: > each band adds one point
# The bands above published by physrisk (high above 3 %, very high above 10 %); every other band
# of this module is an assumption.
PHYSRISK_RP100_BANDS = frozenset((3.0, 10.0))
EAL_BANDS = (0.01, 0.1, 0.3, 1.0)  # % of value a year
CHRONIC_BANDS = (0.1, 0.5, 2.0, 5.0)  # % of revenue a year
GRADES = {1: "A", 2: "B", 3: "C", 4: "D", 5: "E"}
LEVELS_EN = {1: "very low", 2: "low", 3: "medium", 4: "high", 5: "very high"}
LEVELS_KO = {1: "매우 낮음", 2: "낮음", 3: "보통", 4: "높음", 5: "매우 높음"}


def _banded(x: Array, bands: tuple[float, ...]) -> npt.NDArray[np.int8]:
    # 1 + the number of bands below x. One comparison per band (four) is several times faster
    # than np.searchsorted, whose binary search per element dominates on unsorted input; int8
    # is the portfolio's score type, so no float array is made and cast.
    result = np.ones(np.shape(x), dtype=np.int8)
    for band in bands:
        result += x > band
    return result


def acute_score(rp100_pct: Array, eal_pct: Array) -> npt.NDArray[np.int8]:
    result = _banded(rp100_pct, RP100_BANDS)
    np.maximum(result, _banded(eal_pct, EAL_BANDS), out=result)
    return result


def chronic_score(revenue_share_pct: Array) -> npt.NDArray[np.int8]:
    return _banded(revenue_share_pct, CHRONIC_BANDS)


def acute_score_of(rp100_pct: float, eal_pct: float) -> int:
    """:func:`acute_score` for one building and case, without numpy overhead."""
    rp = 1 + sum(rp100_pct > b for b in RP100_BANDS)
    return max(rp, 1 + sum(eal_pct > b for b in EAL_BANDS))


def chronic_score_of(revenue_share_pct: float) -> int:
    """:func:`chronic_score` for one building and case."""
    return 1 + sum(revenue_share_pct > b for b in CHRONIC_BANDS)
