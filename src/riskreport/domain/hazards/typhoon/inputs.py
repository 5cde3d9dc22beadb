"""Typhoon inputs at a site: the 10-minute wind curve and the half-damage wind of the structure.

The 100-year 10-minute wind at 10 m, inland and at the open coast by province, decaying inland
over 10 km, with a Gumbel slope of 0.11 (V2 ~ 0.57 V100, V1000 ~ 1.25 V100); assumption anchored
on the Korean design wind map (KDS 41 10 15) and KMA typhoon records [kma-typhoon].
Half-damage wind by structure: 74.7 m/s is the published global default [emanuel-2011]; the
spread around it by structure is an assumption.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from riskreport.domain import regions as r
from riskreport.domain.array import Array
from riskreport.domain.damage import V_HALF_DEFAULT
from riskreport.domain.hazards.base import Given, Override
from riskreport.domain.hazards.block import InputBlock
from riskreport.domain.losses import RETURN_PERIODS
from riskreport.domain.quantity import Provenance
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY

KEY = "typhoon"
WIND_INLAND = r.by_province(
    {
        r.BUSAN: 32.0,
        r.ULSAN: 30.0,
        r.JEONNAM: 30.0,
        r.GYEONGNAM: 30.0,
        r.JEJU: 40.0,
        r.GWANGJU: 28.0,
        r.INCHEON: 28.0,
        r.CHUNGBUK: 24.0,
    },
    26.0,
)
WIND_COAST = r.by_province(
    {
        r.SEOUL: 28.0,
        r.INCHEON: 32.0,
        r.GYEONGGI: 30.0,
        r.GANGWON: 32.0,
        r.CHUNGNAM: 32.0,
        r.JEONBUK: 32.0,
        r.JEONNAM: 38.0,
        r.GYEONGBUK: 34.0,
        r.GYEONGNAM: 38.0,
        r.BUSAN: 40.0,
        r.ULSAN: 36.0,
        r.JEJU: 44.0,
        r.GWANGJU: 28.0,
    },
    26.0,
)
WIND_COAST_DECAY_KM = 10.0
WIND_GUMBEL_SLOPE = 0.11
# By structure (STRUCTURES order).
V_HALF_BY_STRUCTURE = np.array([84.0, 80.0, V_HALF_DEFAULT, 66.0, 62.0, 60.0])
OVERRIDES = (
    Override("wind_10min_ms", "wind_10min_ms", "10-min wind by RP, m/s", curve=True),
    Override(
        "v_half_ms",
        "v_half_ms",
        "Half-damage 1-minute wind, m/s",
        low=26.0,
        high=300.0,
        low_exclusive=True,
    ),
)


@dataclass(frozen=True, slots=True)
class TyphoonInputs:
    wind_10min_ms: Array  # (B, n_rp)
    v_half_ms: Array  # (B,)


def derive(site: SiteBatch) -> TyphoonInputs:
    coast = np.maximum(site.coast_km, 0.0)
    inland, sea = WIND_INLAND[site.province], WIND_COAST[site.province]
    wind100 = inland + (sea - inland) * np.exp(-coast / WIND_COAST_DECAY_KM)
    wind = wind100[:, None] * (1.0 + WIND_GUMBEL_SLOPE * np.log(RETURN_PERIODS / 100.0))
    return TyphoonInputs(wind, V_HALF_BY_STRUCTURE[site.structure])


def report_block(site: SiteBatch, inputs: TyphoonInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    v_half = float(inputs.v_half_ms[0])
    published = v_half == V_HALF_DEFAULT
    return {
        "wind_10min_ms": b.curve("wind_10min_ms", inputs.wind_10min_ms[0], "m/s", ASSUMPTIONS_KEY),
        "v_half_ms": b.one(
            "v_half_ms",
            v_half,
            "m/s",
            "emanuel-2011",
            Provenance.PUBLISHED if published else Provenance.ASSUMPTION,
        ),
    }
