"""The scenario x horizon cases of one analysis, with today's baseline first.

>>> g = case_grid(("SSP5-8.5",), (2050,))
>>> g.labels
(('baseline', 'baseline'), ('SSP5-8.5', 2050))
>>> [round(w, 2) for w in g.warming_c.tolist()]
[0.85, 2.4]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from riskreport.domain.array import Array, IntArray
from riskreport.domain.scenarios import (
    PRESENT_WARMING_C,
    PRESENT_YEAR,
    SCENARIOS,
    slr_fraction,
    warming,
)

BASELINE = "baseline"


@dataclass(frozen=True, slots=True)
class CaseGrid:
    """C cases: index 0 is the baseline (today, 1995-2014 climate), then scenario x horizon."""

    labels: tuple[tuple[str, str | int], ...]
    scenario_index: IntArray  # index into SCENARIOS; -1 for the baseline
    year: Array
    warming_c: Array
    slr_fraction: Array  # GMSL(year) / GMSL(2100) of the scenario; 0 for the baseline
    requested: int = 0  # the first ``requested`` cases were asked for; the rest are extra (0: all)

    @property
    def size(self) -> int:
        return len(self.labels)

    @property
    def requested_size(self) -> int:
        """Cases asked for (baseline included); extra cases, such as the headline, follow."""
        return self.requested or self.size

    def index(self, scenario: str, horizon: int) -> int:
        """The position of a case; ``ValueError`` if it is not in the grid."""
        return self.labels.index((scenario, horizon))


def case_grid(
    scenarios: Sequence[str],
    horizons: Sequence[int],
    extra: Sequence[tuple[str, int]] = (),
) -> CaseGrid:
    """Baseline, then every scenario x horizon, then any ``extra`` case not already there.

    >>> g = case_grid(("SSP5-8.5",), (2100,), extra=[("SSP2-4.5", 2050)])
    >>> g.labels[-1], g.requested_size, g.size
    (('SSP2-4.5', 2050), 2, 3)
    """
    labels: list[tuple[str, str | int]] = [(BASELINE, BASELINE)]
    sidx, years, warm, frac = [-1], [float(PRESENT_YEAR)], [PRESENT_WARMING_C], [0.0]
    pairs = [(s, h) for s in scenarios for h in horizons]
    requested = len(pairs) + 1
    pairs += [p for p in dict.fromkeys(extra) if p not in pairs]
    for s, h in pairs:
        labels.append((s, h))
        sidx.append(SCENARIOS.index(s))
        years.append(float(h))
        warm.append(warming(s, h))
        frac.append(slr_fraction(s, h))
    return CaseGrid(
        labels=tuple(labels),
        scenario_index=np.array(sidx, dtype=np.int64),
        year=np.array(years),
        warming_c=np.array(warm),
        slr_fraction=np.array(frac),
        requested=requested,
    )
