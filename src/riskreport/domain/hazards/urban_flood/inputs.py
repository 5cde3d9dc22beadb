"""Urban (pluvial) flood inputs at a site: the unprotected depth curve and the sewer standard.

Depth 0 at the 5-year rain, and at the 100-year rain 0.05 m plus 0.2 m x the impervious share of
the urban class, linear in ln(return period) (assumption). Sewers by urban class [molit-2016].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from riskreport.domain import regions as r
from riskreport.domain.array import Array
from riskreport.domain.hazards.base import Given, Override
from riskreport.domain.hazards.block import InputBlock
from riskreport.domain.losses import RETURN_PERIODS
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY

KEY = "urban_flood"
URBAN_DEPTH_BASE_M = 0.05
URBAN_DEPTH_PER_IMPERVIOUS_M = 0.2
SEWER_RP = np.array([30.0, 20.0, 10.0, 10.0])  # sewer design return period [molit-2016, verify]
OVERRIDES = (
    Override("depth_m", "depth_m", "Flood depth at the site by RP, m", curve=True),
    Override(
        "protection_rp", "protection_rp", "Sewer design return period", low=1.0, high=100_000.0
    ),
)


@dataclass(frozen=True, slots=True)
class UrbanInputs:
    depth_m: Array  # (B, n_rp) unprotected flood depth at the site
    protection_rp: Array  # (B,)


def derive(site: SiteBatch) -> UrbanInputs:
    h100 = URBAN_DEPTH_BASE_M + URBAN_DEPTH_PER_IMPERVIOUS_M * r.IMPERVIOUS[site.urban_class]
    depth = np.maximum(h100[:, None] * np.log(RETURN_PERIODS / 5.0) / np.log(20.0), 0.0)
    return UrbanInputs(depth, SEWER_RP[site.urban_class])


def report_block(site: SiteBatch, inputs: UrbanInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    return {
        "depth_m": b.curve("depth_m", inputs.depth_m[0], "m", ASSUMPTIONS_KEY),
        "protection_rp": b.one("protection_rp", inputs.protection_rp[0], "years", "molit-2016"),
    }
