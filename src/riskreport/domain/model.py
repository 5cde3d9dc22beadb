"""Run the hazards for a batch of buildings and cases.

>>> import numpy as np
>>> from riskreport.domain.site import site_batch
>>> from riskreport.domain.cases import case_grid
>>> site = site_batch(lat=np.array([35.16]), lon=np.array([129.16]))
>>> out = run(site, case_grid(("SSP5-8.5",), (2100,)))
>>> sorted(out) == sorted(HAZARDS)
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards import HAZARDS, HazardArrays
from riskreport.domain.hazards.fire import wildfire
from riskreport.domain.hazards.flood import coastal_flood, river_flood, urban_flood
from riskreport.domain.hazards.temperature import cold_wave, heat_wave
from riskreport.domain.hazards.water import drought, water_stress
from riskreport.domain.hazards.wind import typhoon
from riskreport.domain.site import SiteBatch

HazardFunction = Callable[[SiteBatch, CaseGrid], HazardArrays]

HAZARD_FUNCTIONS: dict[str, HazardFunction] = {
    "heat_wave": heat_wave,
    "cold_wave": cold_wave,
    "wildfire": wildfire,
    "drought": drought,
    "water_stress": water_stress,
    "coastal_flood": coastal_flood,
    "river_flood": river_flood,
    "urban_flood": urban_flood,
    "typhoon": typhoon,
}


def run(
    site: SiteBatch,
    cases: CaseGrid,
    hazards: Sequence[str] = HAZARDS,
    progress: Callable[[str], None] | None = None,
) -> dict[str, HazardArrays]:
    """Compute the requested hazards; ``progress`` is called with each hazard's key first."""
    out: dict[str, HazardArrays] = {}
    for key in hazards:
        if progress is not None:
            progress(key)
        out[key] = HAZARD_FUNCTIONS[key](site, cases)
    return out
