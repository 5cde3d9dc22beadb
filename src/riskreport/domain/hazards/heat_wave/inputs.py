"""Heat-wave inputs at a site: heat days (daily maximum of at least 33 C) a year today.

Regional anchor by province, moderated near the sea (sea breezes; assumption). Seoul metropolitan
area 7.8 and Gyeongsang 12 are KMA figures [kma-warnings]; the other provinces are assumptions.
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

KEY = "heat_wave"
HEAT_DAYS_PUBLISHED = (
    r.SEOUL,
    r.INCHEON,
    r.GYEONGGI,
    r.BUSAN,
    r.DAEGU,
    r.ULSAN,
    r.GYEONGBUK,
    r.GYEONGNAM,
)
# Heat days a year, 1995-2014-ish, by province.
HEAT_DAYS = r.by_province(
    {
        r.SEOUL: 7.8,
        r.INCHEON: 7.8,
        r.GYEONGGI: 7.8,
        r.BUSAN: 12.0,
        r.DAEGU: 12.0,
        r.ULSAN: 12.0,
        r.GYEONGBUK: 12.0,
        r.GYEONGNAM: 12.0,
        r.GWANGJU: 10.0,
        r.JEONNAM: 9.0,
        r.JEONBUK: 10.0,
        r.DAEJEON: 8.0,
        r.SEJONG: 8.0,
        r.CHUNGBUK: 9.0,
        r.CHUNGNAM: 7.0,
        r.GANGWON: 6.0,
        r.JEJU: 3.0,
    },
    8.0,
)
OVERRIDES = (Override("heat_days", "heat_days", "Heat days a year today", high=92.0),)


@dataclass(frozen=True, slots=True)
class HeatInputs:
    heat_days: Array  # (B,) days a year today


def derive(site: SiteBatch) -> HeatInputs:
    coast = np.maximum(site.coast_km, 0.0)
    # Sea breezes moderate heat near the coast (assumption).
    return HeatInputs(HEAT_DAYS[site.province] * (0.5 + 0.5 * (1.0 - np.exp(-coast / 5.0))))


def report_block(site: SiteBatch, inputs: HeatInputs, given: Given) -> dict[str, Any]:
    src = "kma-warnings" if int(site.province[0]) in HEAT_DAYS_PUBLISHED else ASSUMPTIONS_KEY
    b = InputBlock(KEY, given)
    return {"heat_days_today": b.one("heat_days", inputs.heat_days[0], "days", src)}
