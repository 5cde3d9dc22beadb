"""Urban (pluvial) flood: excess rain -> depth -> sewer -> JRC damage, more frequent with warming.

The depth curve comes from the rain the sewer cannot take (``inputs.depth_curve``); the flood
family's :func:`~riskreport.domain.hazards.flood_family.rain_driven` applies the sewer's design
period, the JRC damage with the building's floors and basement, and the shift of heavy rain.
"""

from __future__ import annotations

from dataclasses import replace

from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays, Intensity
from riskreport.domain.hazards.flood_family import rain_driven
from riskreport.domain.hazards.urban_flood.inputs import KEY, UrbanInputs, depth_curve, rain_mm
from riskreport.domain.losses import interp_weights
from riskreport.domain.scenarios import frequency_multiplier
from riskreport.domain.site import SiteBatch


def urban_flood(site: SiteBatch, inputs: UrbanInputs, cases: CaseGrid) -> HazardArrays:
    result = rain_driven(KEY, site, cases, depth_curve(inputs), inputs.protection_rp)
    m = frequency_multiplier("precip10", cases.warming_c)
    rain100 = rain_mm(inputs) @ interp_weights(100.0 * m)  # today's (100 x m)-year rain, (B, C)
    intensity = {
        **result.intensity,
        "rain_100yr_mm": Intensity(rain100, "mm", "open-meteo-era5"),
    }
    return replace(result, intensity=intensity)
