"""Coastal-flood inputs at a site: still-water levels, the seawall standard, regional sea level.

Still-water level above mean sea level (tide + surge) at 2 and 100 years by coast segment, linear
in ln(return period) (assumption; west: macro-tidal Yellow Sea; south-west: Mokpo; south:
Busan-Yeosu, Maemi 2003 surge; east: micro-tidal East Sea; Jeju). Seawalls by urban class
(assumption). Regional relative sea level in 2100 by scenario [ipcc-ar6-wg1-ch9].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from riskreport.domain import regions as r
from riskreport.domain.array import Array
from riskreport.domain.hazards.base import Given, Override
from riskreport.domain.hazards.block import InputBlock
from riskreport.domain.hazards.flood_maps import MapCurves
from riskreport.domain.losses import log_rp_curve
from riskreport.domain.quantity import Provenance, Quantity
from riskreport.domain.scenarios import SCENARIOS, regional_slr_2100
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY

KEY = "coastal_flood"
# By coast segment (regions.COAST_SEGMENTS order).
SWL_2 = np.array([4.0, 2.4, 1.0, 0.4, 1.5])
SWL_100 = np.array([5.0, 3.4, 2.3, 1.3, 2.6])
COAST_RP = np.array([50.0, 50.0, 20.0, 20.0])  # seawall standard by urban class; assumption
OVERRIDES = (
    Override("still_water_level_m", "still_water_level_m", "m above MSL by RP", curve=True),
    Override(
        "protection_rp", "protection_rp", "Seawall design return period", low=1.0, high=100_000.0
    ),
)


@dataclass(frozen=True, slots=True)
class CoastalInputs:
    """``slr_2100_low_m`` / ``_high_m`` (B, 4), where a source gives a likely range around the
    central ``slr_2100_m``, give the expected annual loss its low and high ends (``eal_range``)."""

    still_water_level_m: Array  # (B, n_rp) above mean sea level today
    protection_rp: Array  # (B,)
    slr_2100_m: Array  # (B, 4) regional relative sea level in 2100 by scenario (central)
    slr_2100_low_m: Array | None = None
    slr_2100_high_m: Array | None = None
    maps: MapCurves | None = None  # depth curves from hazard maps, where the user has them


def derive(site: SiteBatch) -> CoastalInputs:
    seg = r.coast_segment(site.lat, site.lon)
    return CoastalInputs(
        still_water_level_m=log_rp_curve(SWL_2[seg], SWL_100[seg]),
        protection_rp=COAST_RP[site.urban_class],
        slr_2100_m=regional_slr_2100(site.lat, site.lon),
    )


def report_block(site: SiteBatch, inputs: CoastalInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    return {
        "still_water_level_m": b.curve(
            "still_water_level_m", inputs.still_water_level_m[0], "m", ASSUMPTIONS_KEY
        ),
        "protection_rp": b.one("protection_rp", inputs.protection_rp[0], "years", ASSUMPTIONS_KEY),
        "regional_slr_2100_m": {
            s: Quantity(
                float(inputs.slr_2100_m[0, i]), "m", Provenance.PUBLISHED, "ipcc-ar6-wg1-ch9"
            ).as_dict()
            for i, s in enumerate(SCENARIOS)
        },
    }
