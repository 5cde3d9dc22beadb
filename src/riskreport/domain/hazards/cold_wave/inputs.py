"""Cold-wave inputs at a site: cold days (morning minimum of at most -12 C) a year today.

Regional anchor by province, with Gangwon's east coast and cold inland north apart, moderated
near the sea (assumption; KMA advisory threshold [kma-warnings]).
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

KEY = "cold_wave"
COLD_DAYS = r.by_province(
    {
        r.SEOUL: 4.0,
        r.INCHEON: 2.0,
        r.GYEONGGI: 8.0,
        r.GANGWON: 15.0,
        r.CHUNGBUK: 8.0,
        r.CHUNGNAM: 4.0,
        r.DAEJEON: 3.0,
        r.SEJONG: 5.0,
        r.JEONBUK: 3.0,
        r.GWANGJU: 1.0,
        r.JEONNAM: 0.8,
        r.GYEONGBUK: 4.0,
        r.DAEGU: 1.5,
        r.GYEONGNAM: 0.8,
        r.BUSAN: 0.1,
        r.ULSAN: 0.5,
        r.JEJU: 0.02,
    },
    3.0,
)
COLD_DAYS_GANGWON_EAST = 2.0
COLD_DAYS_GANGWON_COLD_INLAND = 25.0
OVERRIDES = (Override("cold_days", "cold_days", "Cold days a year today", high=90.0),)


@dataclass(frozen=True, slots=True)
class ColdInputs:
    cold_days: Array  # (B,) days a year today


def derive(site: SiteBatch) -> ColdInputs:
    east = r.in_group(site.muni_code, r.GANGWON_EAST)
    inland = r.in_group(site.muni_code, r.GANGWON_COLD_INLAND)
    base = np.where(
        east > 0,
        COLD_DAYS_GANGWON_EAST,
        np.where(inland > 0, COLD_DAYS_GANGWON_COLD_INLAND, COLD_DAYS[site.province]),
    )
    coast = np.maximum(site.coast_km, 0.0)
    return ColdInputs(base * (0.4 + 0.6 * (1.0 - np.exp(-coast / 10.0))))


def report_block(site: SiteBatch, inputs: ColdInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    return {"cold_days_today": b.one("cold_days", inputs.cold_days[0], "days", ASSUMPTIONS_KEY)}
