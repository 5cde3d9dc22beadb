"""Water-stress inputs at a site: today's withdrawal-to-supply ratio.

By province, with Gangwon's east apart (assumption).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from riskreport.domain import regions as r
from riskreport.domain.array import Array
from riskreport.domain.hazards.base import Given, Override
from riskreport.domain.hazards.block import InputBlock
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY

KEY = "water_stress"
WATER_STRESS = r.by_province(
    {
        r.SEOUL: 0.45,
        r.INCHEON: 0.5,
        r.GYEONGGI: 0.5,
        r.GANGWON: 0.2,
        r.CHUNGBUK: 0.3,
        r.CHUNGNAM: 0.55,
        r.DAEJEON: 0.35,
        r.SEJONG: 0.35,
        r.JEONBUK: 0.4,
        r.GWANGJU: 0.45,
        r.JEONNAM: 0.4,
        r.GYEONGBUK: 0.45,
        r.DAEGU: 0.5,
        r.GYEONGNAM: 0.45,
        r.BUSAN: 0.55,
        r.ULSAN: 0.55,
        r.JEJU: 0.45,
    },
    0.4,
)
WATER_STRESS_GANGWON_EAST = 0.35
OVERRIDES = (
    Override("water_stress", "water_stress", "Withdrawal-to-supply ratio today", high=5.0),
)


@dataclass(frozen=True, slots=True)
class WaterInputs:
    water_stress: Array  # (B,) ratio today


def derive(site: SiteBatch) -> WaterInputs:
    east = r.in_group(site.muni_code, r.GANGWON_EAST)
    return WaterInputs(np.where(east > 0, WATER_STRESS_GANGWON_EAST, WATER_STRESS[site.province]))


def report_block(site: SiteBatch, inputs: WaterInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    return {
        "water_stress_today": b.one(
            "water_stress", inputs.water_stress[0], "ratio", ASSUMPTIONS_KEY
        )
    }
