"""Heat wave and cold wave: chronic costs as a share of revenue.

Heat: days with a daily maximum of at least 33 C (KMA heat advisory [kma-warnings]) shift with the
warming of hot extremes (Figure SPM.6 [ipcc-ar6-wg1-spm-f6]) through a logistic model of the
summer daily maximum (scale 1.7 C, 92 summer days; assumption). Costs: cooling energy
(physrisk: CDD x 200 W/K x 24 / 1000 / COP 3 [physrisk-docs], scaled to floor area) and lost
labour productivity on heat days (ILO-style work-loss shares by use; assumption).

Cold: days with a morning minimum of at most -12 C (KMA cold-wave advisory [kma-warnings]) shrink
as winters warm (1.3 x global warming; assumption). Costs: extra heating and freeze damage to
pipes and finishes, higher for light and old buildings (assumption).
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards import HazardArrays, Intensity
from riskreport.domain.scenarios import PRESENT_WARMING_C, hot_extreme_shift_c
from riskreport.domain.site import SiteBatch

SUMMER_DAYS, HEAT_SCALE_C = 92.0, 1.7
WINTER_DAYS, COLD_SCALE_C, WINTER_AMPLIFICATION = 90.0, 2.2, 1.3
CDD_BASE_DAYS, CDD_PER_HEAT_DAY, CDD_PER_C = 80.0, 9.0, 70.0  # CDD(23 C) model; assumption
UA_W_PER_K_M2 = 2.0  # physrisk's 200 W/K taken as a 100 m2 reference dwelling; assumption
COP = 3.0  # [physrisk-docs]
POWER_KRW_KWH = 150.0  # assumption (KEPCO general-service average)
HEAT_KWH_M2_COLD_DAY = 0.12  # extra heating per m2 on a cold-wave day; assumption
FREEZE_SHARE_PER_DAY = 3e-5  # freeze damage per cold-wave day, share of replacement; assumption
WORKDAYS = 250.0
# By use (USES order): residential, office, commercial, industrial, logistics, data_center,
# hospital, school. All assumption.
LABOUR_SHARE = np.array([0.0, 0.4, 0.2, 0.25, 0.3, 0.1, 0.5, 0.6])
HEAT_DAY_LOSS = np.array([0.0, 0.02, 0.05, 0.15, 0.2, 0.02, 0.03, 0.05])
COOLING_FACTOR = np.array([1.0, 1.0, 1.0, 1.0, 0.5, 5.0, 1.5, 1.0])
# By structure (STRUCTURES order): reinforced_concrete, steel, masonry, wood, light_steel,
# sandwich_panel. Assumption.
FREEZE_VULNERABILITY = np.array([0.2, 0.3, 0.5, 1.0, 0.8, 0.8])


def _shifted_days(base_days: Array, season: float, shift: Array, scale: float) -> Array:
    """Days above a threshold after the seasonal distribution moves by ``shift``, (C, B).

    Cases first, buildings last: per-building factors then broadcast along long rows. The
    hazard functions return transposed (B, C) views.
    """
    b = np.clip(base_days, 1e-3, season - 1e-3)
    z0 = np.log(season / b - 1.0)
    result: Array = season / (1.0 + np.exp(z0[None, :] - shift[:, None] / scale))
    return result


def heat_wave(site: SiteBatch, cases: CaseGrid) -> HazardArrays:
    shift = hot_extreme_shift_c(cases.warming_c)  # (C,)
    days = _shifted_days(site.heat_days, SUMMER_DAYS, shift, HEAT_SCALE_C)  # (C, B)
    cdd = CDD_BASE_DAYS + CDD_PER_HEAT_DAY * site.heat_days[None, :] + CDD_PER_C * shift[:, None]
    kwh_per_cdd = UA_W_PER_K_M2 * site.floor_area_m2 * 24.0 / 1000.0 / COP
    cooling = cdd * (kwh_per_cdd * COOLING_FACTOR[site.use] * POWER_KRW_KWH)
    labour = days * (site.revenue_krw * (LABOUR_SHARE * HEAT_DAY_LOSS)[site.use] / WORKDAYS)
    shape = days.shape
    return HazardArrays(
        hazard="heat_wave",
        kind="chronic",
        loss=(cooling + labour).T,
        probability=(1.0 - np.exp(-days / 2.0)).T,
        damage=None,
        intensity={
            "heat_days": Intensity(days.T, "days", "kma-warnings"),
            "cooling_degree_days": Intensity(cdd.T, "degC day", "physrisk-docs"),
            "hot_extreme_shift_c": Intensity(
                np.broadcast_to(shift[:, None], shape).T, "degC", "ipcc-ar6-wg1-spm-f6"
            ),
            "cooling_cost_krw": Intensity(cooling.T, "KRW", "physrisk-docs"),
            "labour_cost_krw": Intensity(labour.T, "KRW", "physrisk-docs"),
        },
        source="physrisk-docs",
    )


def cold_wave(site: SiteBatch, cases: CaseGrid) -> HazardArrays:
    shift = WINTER_AMPLIFICATION * (cases.warming_c - PRESENT_WARMING_C)
    days = _shifted_days(site.cold_days, WINTER_DAYS, -shift, COLD_SCALE_C)  # (C, B)
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
