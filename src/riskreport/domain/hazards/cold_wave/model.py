"""Cold wave: chronic costs of extra heating and freeze damage on cold-wave days.

Days with a morning minimum of at most -12 C (KMA cold-wave advisory [kma-warnings]) shrink as
winters warm (1.3 x global warming; assumption). Costs: extra heating and freeze damage to pipes
and finishes, higher for light and old buildings (assumption).
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays, Intensity
from riskreport.domain.hazards.cold_wave.inputs import ColdInputs
from riskreport.domain.hazards.seasonal_days import POWER_KRW_KWH, shifted_days
from riskreport.domain.scenarios import PRESENT_WARMING_C
from riskreport.domain.site import SiteBatch

WINTER_DAYS, COLD_SCALE_C, WINTER_AMPLIFICATION = 90.0, 2.2, 1.3
HEAT_KWH_M2_COLD_DAY = 0.12  # extra heating per m2 on a cold-wave day; assumption
FREEZE_SHARE_PER_DAY = 3e-5  # freeze damage per cold-wave day, share of replacement; assumption
# By structure (STRUCTURES order): reinforced_concrete, steel, masonry, wood, light_steel,
# sandwich_panel. Assumption.
FREEZE_VULNERABILITY = np.array([0.2, 0.3, 0.5, 1.0, 0.8, 0.8])


def cold_wave(site: SiteBatch, inputs: ColdInputs, cases: CaseGrid) -> HazardArrays:
    shift = WINTER_AMPLIFICATION * (cases.warming_c - PRESENT_WARMING_C)
    days = shifted_days(inputs.cold_days, WINTER_DAYS, -shift, COLD_SCALE_C)  # (C, B)
    heating = days * (site.floor_area_m2 * HEAT_KWH_M2_COLD_DAY * POWER_KRW_KWH)
    age = np.where(site.year_built < 1990, 1.5, np.where(site.year_built < 2005, 1.2, 1.0))
    freeze = days * (
        FREEZE_SHARE_PER_DAY * FREEZE_VULNERABILITY[site.structure] * age * site.replacement_krw
    )
    shape = days.shape
    return HazardArrays(
        hazard="cold_wave",
        kind="chronic",
        loss=(heating + freeze).T,
        probability=(1.0 - np.exp(-days / 2.0)).T,
        damage=None,
        intensity={
            "cold_days": Intensity(days.T, "days", "kma-warnings"),
            "winter_warming_c": Intensity(
                np.broadcast_to(shift[:, None], shape).T, "degC", "riskreport-assumptions"
            ),
            "heating_cost_krw": Intensity(heating.T, "KRW", "riskreport-assumptions"),
            "freeze_damage_krw": Intensity(freeze.T, "KRW", "riskreport-assumptions"),
        },
        source="kma-warnings",
    )
