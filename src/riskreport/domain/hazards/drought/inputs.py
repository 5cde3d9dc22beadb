"""Drought inputs at a site: the drought exposure of the local water supply (1 = average).

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

KEY = "drought"
DROUGHT_FACTOR = r.by_province(
    {
        r.CHUNGNAM: 1.4,
        r.GYEONGBUK: 1.2,
        r.GYEONGNAM: 1.1,
        r.JEONNAM: 1.2,
        r.JEJU: 1.1,
        r.SEOUL: 0.6,
        r.BUSAN: 0.8,
        r.DAEGU: 0.8,
        r.INCHEON: 0.8,
        r.GWANGJU: 0.8,
        r.DAEJEON: 0.8,
        r.ULSAN: 0.8,
    },
    1.0,
)
DROUGHT_FACTOR_GANGWON_EAST = 1.3
OVERRIDES = (
    Override(
        "drought_factor", "drought_factor", "Drought exposure of supply (1 = average)", high=10.0
    ),
)


@dataclass(frozen=True, slots=True)
class DroughtInputs:
    drought_factor: Array  # (B,)


def derive(site: SiteBatch) -> DroughtInputs:
    east = r.in_group(site.muni_code, r.GANGWON_EAST)
    return DroughtInputs(
        np.where(east > 0, DROUGHT_FACTOR_GANGWON_EAST, DROUGHT_FACTOR[site.province])
    )


def report_block(site: SiteBatch, inputs: DroughtInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    return {
        "drought_factor": b.one("drought_factor", inputs.drought_factor[0], "x", ASSUMPTIONS_KEY)
    }
