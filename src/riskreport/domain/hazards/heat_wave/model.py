"""Heat wave: chronic costs of cooling and lost labour on heat days.

Days with a daily maximum of at least 33 C (KMA heat advisory [kma-warnings]) shift with the
warming of hot extremes (Figure SPM.6 [ipcc-ar6-wg1-spm-f6]) through a logistic model of the
summer daily maximum (scale 1.7 C, 92 summer days; assumption). Costs: cooling energy
(physrisk: CDD x 200 W/K x 24 / 1000 / COP 3 [physrisk-docs], scaled to floor area) and lost
labour productivity on heat days (ILO-style work-loss shares by use; assumption).
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays, Intensity
from riskreport.domain.hazards.heat_wave.inputs import HeatInputs
from riskreport.domain.hazards.seasonal_days import POWER_KRW_KWH, shifted_days
from riskreport.domain.scenarios import hot_extreme_shift_c
from riskreport.domain.site import SiteBatch

SUMMER_DAYS, HEAT_SCALE_C = 92.0, 1.7
CDD_BASE_DAYS, CDD_PER_HEAT_DAY, CDD_PER_C = 80.0, 9.0, 70.0  # CDD(23 C) model; assumption
UA_W_PER_K_M2 = 2.0  # physrisk's 200 W/K taken as a 100 m2 reference dwelling; assumption
COP = 3.0  # [physrisk-docs]
WORKDAYS = 250.0
# By use (USES order): residential, office, commercial, industrial, logistics, data_center,
# hospital, school. All assumption.
LABOUR_SHARE = np.array([0.0, 0.4, 0.2, 0.25, 0.3, 0.1, 0.5, 0.6])
HEAT_DAY_LOSS = np.array([0.0, 0.02, 0.05, 0.15, 0.2, 0.02, 0.03, 0.05])
COOLING_FACTOR = np.array([1.0, 1.0, 1.0, 1.0, 0.5, 5.0, 1.5, 1.0])


def heat_wave(site: SiteBatch, inputs: HeatInputs, cases: CaseGrid) -> HazardArrays:
    base = inputs.heat_days
    shift = hot_extreme_shift_c(cases.warming_c)  # (C,)
    days = shifted_days(base, SUMMER_DAYS, shift, HEAT_SCALE_C)  # (C, B)
    cdd = CDD_BASE_DAYS + CDD_PER_HEAT_DAY * base[None, :] + CDD_PER_C * shift[:, None]
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
