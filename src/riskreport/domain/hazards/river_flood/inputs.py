"""River-flood inputs at a site: the unprotected depth curve and the levee standard.

Depth 0 at the 2-year (bankfull) event and 2.5 m at the bank for the 100-year event, decaying
with the distance to the river, linear in ln(return period) (assumption). Levees: national rivers
100 years, local rivers 50 years, by urban class [molit-2016].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.hazards.base import Given, Override
from riskreport.domain.hazards.block import InputBlock
from riskreport.domain.hazards.flood_maps import MapCurves
from riskreport.domain.losses import log_rp_curve
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY

KEY = "river_flood"
RIVER_DEPTH_AT_BANK_M = 2.5
RIVER_DECAY_M = 300.0
# Levee standard by urban class: national vs local rivers [molit-2016].
RIVER_RP = np.array([100.0, 100.0, 50.0, 50.0])
OVERRIDES = (
    Override("depth_m", "depth_m", "Flood depth at the site by RP, m", curve=True),
    Override(
        "protection_rp", "protection_rp", "Levee design return period", low=1.0, high=100_000.0
    ),
)


@dataclass(frozen=True, slots=True)
class RiverInputs:
    depth_m: Array  # (B, n_rp) unprotected flood depth at the site
    protection_rp: Array  # (B,)
    maps: MapCurves | None = None  # depth curves from hazard maps, where the user has them


def derive(site: SiteBatch) -> RiverInputs:
    h100 = RIVER_DEPTH_AT_BANK_M * np.exp(-np.maximum(site.river_m, 0.0) / RIVER_DECAY_M)
    depth = np.maximum(log_rp_curve(np.zeros_like(h100), h100), 0.0)
    return RiverInputs(depth, RIVER_RP[site.urban_class])


def report_block(site: SiteBatch, inputs: RiverInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    return {
        "depth_m": b.curve("depth_m", inputs.depth_m[0], "m", ASSUMPTIONS_KEY),
        "protection_rp": b.one("protection_rp", inputs.protection_rp[0], "years", "molit-2016"),
    }
