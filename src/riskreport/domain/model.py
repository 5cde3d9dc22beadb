"""Run the hazards of the registry for a batch of buildings and cases.

>>> import numpy as np
>>> from riskreport.domain.site import site_batch
>>> from riskreport.domain.cases import case_grid
>>> site = site_batch(lat=np.array([35.16]), lon=np.array([129.16]))
>>> out = run(site, case_grid(("SSP5-8.5",), (2100,)))
>>> list(out) == list(HAZARDS)
True
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays, OverrideValue
from riskreport.domain.hazards.registry import HAZARDS, REGISTRY, Registry
from riskreport.domain.site import SiteBatch


def run(
    site: SiteBatch,
    cases: CaseGrid,
    hazards: Sequence[str] = HAZARDS,
    progress: Callable[[str], None] | None = None,
    overrides: Mapping[str, Mapping[str, OverrideValue]] | None = None,
    registry: Registry = REGISTRY,
    maps: Mapping[str, object] | None = None,
) -> dict[str, HazardArrays]:
    """Compute the requested hazards; ``progress`` is called with each hazard's key first.

    ``overrides`` replace hazard inputs (``{"typhoon": {"v_half_ms": 60.0}}``); each result
    keeps the inputs it used. ``maps`` gives hazards that take hazard maps their map curves
    (``hazards.flood_maps.MapCurves``); overrides still win over them.
    """
    given = overrides or {}
    out: dict[str, HazardArrays] = {}
    for key in hazards:
        if progress is not None:
            progress(key)
        out[key] = registry.get(key).run(site, cases, given.get(key), (maps or {}).get(key))
    return out
