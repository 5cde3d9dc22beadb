"""River-flood inputs at a site: the unprotected depth curve and the levee standard.

The distance is to the nearest mapped major river (WDBII centre lines [gshhg-2.3.6];
``riskreport.domain.geodata.rivers``, docs/data/rivers.md). These are Korea's national rivers,
whose levees are designed for 100-200-year floods [molit-2016]: 200 years in metropolitan
districts, 100 years elsewhere. Unprotected depth: 0 at the 2-year (bankfull) event and 2.5 m
for the 100-year event within ``BANK_OFFSET_M`` of the centre line (the banks of the wide national
rivers), decaying exponentially over ``RIVER_DECAY_M`` beyond, linear in ln(return period)
(assumption). Small urban streams are not mapped: their flooding is carried by urban flood.
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
RIVER_DEPTH_AT_BANK_M = 2.5  # 100-year depth at the bank without levees; assumption
# WDBII draws one line down each river; the national rivers are 0.2-1 km wide, so their banks lie
# about 300 m from the line (the Han is about 1 km wide in Seoul); assumption.
BANK_OFFSET_M = 300.0
# The floodplain depth halves about every 400 m away from the bank (e-folding 600 m); assumption.
RIVER_DECAY_M = 600.0
# National-river levee standard by urban class (Seoul districts, other districts, cities,
# counties): 200 years in metropolitan districts, 100 years elsewhere [molit-2016].
RIVER_RP = np.array([200.0, 200.0, 100.0, 100.0])
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
    beyond_bank = np.maximum(site.river_m - BANK_OFFSET_M, 0.0)
    h100 = RIVER_DEPTH_AT_BANK_M * np.exp(-beyond_bank / RIVER_DECAY_M)
    depth = np.maximum(log_rp_curve(np.zeros_like(h100), h100), 0.0)
    # Whole millimetres: the exponential tail gives depths like 1e-198 m kilometres away, which
    # damage nothing and read as noise in the report.
    np.round(depth, 3, out=depth)
    return RiverInputs(depth, RIVER_RP[site.urban_class])


def report_block(site: SiteBatch, inputs: RiverInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    return {
        "depth_m": b.curve("depth_m", inputs.depth_m[0], "m", ASSUMPTIONS_KEY),
        "protection_rp": b.one("protection_rp", inputs.protection_rp[0], "years", "molit-2016"),
    }
