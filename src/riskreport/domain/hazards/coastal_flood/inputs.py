"""Coastal-flood inputs at a site: still-water levels, the seawall standard, relative sea level.

- Still-water level above mean sea level by return period at the nearest of 18 tide stations:
  annual highest tide [khoa-tide-tables] plus a surge and seasonal rise anchored on Maemi 2003 and
  published analyses [kang-2005-maemi, kscoe-2018-esl, kscoe-2021-summer-msl]
  (``riskreport.domain.geodata.coast``; docs/data/coast.md).
- Relative sea level in 2100 by scenario, low / central / high: the AR6 global mean of each SSP
  [ipcc-ar6-wg1-ch9] plus the nearest Korean gauge's departure from the all-gauge mean
  [grandey-2025-rsl] (``riskreport.domain.geodata.sea_level``; docs/data/sea-level.md).
- Seawalls by urban class (assumption).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.geodata.coast import default_ground_at, still_water_at
from riskreport.domain.geodata.sea_level import departure_m, global_mean_m
from riskreport.domain.hazards.base import Given, Override
from riskreport.domain.hazards.block import InputBlock
from riskreport.domain.hazards.flood_maps import MapCurves
from riskreport.domain.losses import RETURN_PERIODS
from riskreport.domain.quantity import Provenance, Quantity
from riskreport.domain.scenarios import SCENARIOS
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY

KEY = "coastal_flood"
COAST_RP = np.array([50.0, 50.0, 20.0, 20.0])  # seawall standard by urban class; assumption
SWL_SOURCE = "khoa-tide-tables"
SLR_SOURCE = "grandey-2025-rsl"
OVERRIDES = (
    Override("still_water_level_m", "still_water_level_m", "m above MSL by RP", curve=True),
    Override(
        "protection_rp", "protection_rp", "Seawall design return period", low=1.0, high=100_000.0
    ),
)


@dataclass(frozen=True, slots=True)
class CoastalInputs:
    """``slr_2100_low_m`` / ``_high_m`` (B, 4), where a source gives a likely range around the
    central ``slr_2100_m``, give the expected annual loss its low and high ends (``eal_range``).

    ``ground_measured`` is 1.0 where the site's ground height differs from the default (given by
    the user): only such a ground height is compared with a water level attenuated over land,
    since the default already rises with the distance to the sea.
    """

    still_water_level_m: Array  # (B, n_rp) above mean sea level today
    protection_rp: Array  # (B,)
    slr_2100_m: Array  # (B, 4) regional relative sea level in 2100 by scenario (central)
    slr_2100_low_m: Array | None = None
    slr_2100_high_m: Array | None = None
    ground_measured: Array | None = None  # (B,) 1.0 / 0.0
    maps: MapCurves | None = None  # depth curves from hazard maps, where the user has them


def relative_sea_level_2100(lat: Array, lon: Array) -> Array:
    """Relative sea level in 2100, shape (B, 4 scenarios, 3 bounds: low / central / high)."""
    offset = departure_m(lat, lon, 2100)  # (B, 3), the same for every scenario
    glob = np.stack([global_mean_m(s, 2100) for s in SCENARIOS])  # (4, 3)
    result: Array = offset[:, None, :] + glob[None, :, :]
    return result


def derive(site: SiteBatch) -> CoastalInputs:
    slr = relative_sea_level_2100(site.lat, site.lon)
    default = default_ground_at(site.station, site.coast_km)
    return CoastalInputs(
        still_water_level_m=still_water_at(site.station, RETURN_PERIODS),
        protection_rp=COAST_RP[site.urban_class],
        slr_2100_m=slr[:, :, 1],
        slr_2100_low_m=slr[:, :, 0],
        slr_2100_high_m=slr[:, :, 2],
        ground_measured=(~np.isclose(site.ground_m, default, atol=1e-6)).astype(np.float64),
    )


def report_block(site: SiteBatch, inputs: CoastalInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    block: dict[str, Any] = {
        "still_water_level_m": b.curve(
            "still_water_level_m", inputs.still_water_level_m[0], "m", SWL_SOURCE
        ),
        "protection_rp": b.one("protection_rp", inputs.protection_rp[0], "years", ASSUMPTIONS_KEY),
        # The ground the water levels are compared with: the user's, or the waterfront default
        # (the tide station's annual highest tide plus 1 m, 10 m more per km inland, 150 m at
        # most; geodata/coast.py), which is this hazard's alone (heat and cold read ETOPO5).
        "ground_elevation_m": b.from_site(
            "ground_elevation_m", site.ground_m[0], "m", ASSUMPTIONS_KEY
        ),
        "regional_slr_2100_m": {
            s: Quantity(
                float(inputs.slr_2100_m[0, i]), "m", Provenance.DERIVED, SLR_SOURCE
            ).as_dict()
            for i, s in enumerate(SCENARIOS)
        },
    }
    if inputs.slr_2100_low_m is not None and inputs.slr_2100_high_m is not None:
        for name, arr in (("low", inputs.slr_2100_low_m), ("high", inputs.slr_2100_high_m)):
            block[f"regional_slr_2100_{name}_m"] = {
                s: Quantity(float(arr[0, i]), "m", Provenance.DERIVED, SLR_SOURCE).as_dict()
                for i, s in enumerate(SCENARIOS)
            }
    return block
