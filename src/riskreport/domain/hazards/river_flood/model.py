"""River flood: depth curve -> levee -> JRC damage, more frequent with heavier rain."""

from __future__ import annotations

from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays
from riskreport.domain.hazards.flood_family import rain_driven
from riskreport.domain.hazards.river_flood.inputs import KEY, RiverInputs
from riskreport.domain.site import SiteBatch


def river_flood(site: SiteBatch, inputs: RiverInputs, cases: CaseGrid) -> HazardArrays:
    return rain_driven(KEY, site, cases, inputs.depth_m, inputs.protection_rp)
