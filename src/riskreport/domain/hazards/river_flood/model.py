"""River flood: depth curve -> levee -> JRC damage, more frequent with heavier rain.

Where hazard maps cover the site, their depths by scenario and year replace the curve and its
rain-frequency shift (``flood_maps``); the levee stays.
"""

from __future__ import annotations

from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays
from riskreport.domain.hazards.flood_family import damage, rain_driven
from riskreport.domain.hazards.flood_maps import with_maps
from riskreport.domain.hazards.river_flood.inputs import KEY, RiverInputs
from riskreport.domain.site import SiteBatch


def river_flood(site: SiteBatch, inputs: RiverInputs, cases: CaseGrid) -> HazardArrays:
    result = rain_driven(KEY, site, cases, inputs.depth_m, inputs.protection_rp)
    return with_maps(
        result,
        lambda depth: damage(site, depth),
        inputs.maps,
        cases,
        inputs.protection_rp,
        site.value_krw,
        "warming",
    )
