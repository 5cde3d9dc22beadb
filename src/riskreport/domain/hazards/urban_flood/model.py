"""Urban (pluvial) flood: depth curve -> sewer -> JRC damage, more frequent with heavier rain."""

from __future__ import annotations

from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays
from riskreport.domain.hazards.flood_family import rain_driven
from riskreport.domain.hazards.urban_flood.inputs import KEY, UrbanInputs
from riskreport.domain.site import SiteBatch


def urban_flood(site: SiteBatch, inputs: UrbanInputs, cases: CaseGrid) -> HazardArrays:
    return rain_driven(KEY, site, cases, inputs.depth_m, inputs.protection_rp)
