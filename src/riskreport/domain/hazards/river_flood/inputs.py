"""River-flood inputs at a site: the unprotected depth curve and the levee standard.

The distance is to the nearest mapped major river (WDBII centre lines [gshhg-2.3.6];
``riskreport.domain.geodata.rivers``, docs/data/rivers.md): the Han, Imjin, Nakdong and Geum
(the Yeongsan, the Seomjin and smaller rivers are not mapped; ``NETWORK_GAPS`` says so in the
report). These are national rivers, whose levees are designed for 100-200-year floods
[molit-2016]: 200 years in metropolitan districts, 100 years elsewhere. Unprotected depth: 0 at
the 2-year (bankfull) event and 2.5 m for the 100-year event within ``BANK_OFFSET_M`` of the
centre line (the banks of the wide national rivers), decaying exponentially over
``RIVER_DECAY_M`` beyond, linear in ln(return period) (assumption). Small urban streams are not
mapped: their flooding is carried by urban flood.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.hazards.base import Given, Override, SiteNote
from riskreport.domain.hazards.block import InputBlock
from riskreport.domain.hazards.flood_maps import MapCurves
from riskreport.domain.losses import log_rp_curve
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY

KEY = "river_flood"
RIVER_DEPTH_AT_BANK_M = 2.5  # 100-year depth at the bank without levees; assumption
# WDBII draws one line down each river; the national rivers are 0.2-1 km wide, so their banks lie
# about 300 m from the line (the Han is about 1 km wide in Seoul); assumption.
BANK_OFFSET_M = 300.0
# The floodplain depth halves about every 400 m away from the bank (e-folding 600 m); assumption.
RIVER_DECAY_M = 600.0
# National-river levee standard by urban class (Seoul districts, other districts, cities,
# counties): 200 years in metropolitan districts, 100 years elsewhere [molit-2016].
RIVER_RP = np.array([200.0, 200.0, 100.0, 100.0])
OVERRIDES = (
    Override("depth_m", "depth_m", "Flood depth at the site by RP, m", curve=True),
    Override(
        "protection_rp", "protection_rp", "Levee design return period", low=1.0, high=100_000.0
    ),
)

# The packaged network lacks two of the five great national rivers and every smaller one
# (docs/data/rivers.md), so a site far from its lines may still stand by a river: the report says
# so wherever the distance was not given, since river flood then reads 0 for want of data.
NETWORK_GAPS = SiteNote(
    "distance_to_river_m",
    "distance_to_river_m was not given, so it was measured to the packaged river network "
    "(WDBII major rivers). That network holds the Han, Imjin, Nakdong and Geum with their main "
    "branches, but not the Yeongsan, the Seomjin or any smaller river or stream. River flood "
    "rises only near its lines: a low river-flood result is not evidence of safety beside a "
    "river the network lacks. For such a site give distance_to_river_m, a flood depth curve "
    "(analysis_params.overrides) or flood maps (docs/hazard-maps.md).",
    "distance_to_river_m이 입력되지 않아 내장 하천망(WDBII 주요 하천)까지의 거리로 계산했습니다. "
    "이 하천망에는 한강·임진강·낙동강·금강과 주요 지류만 있고, 영산강·섬진강과 그보다 작은 "
    "하천·소하천은 없습니다. 하천 침수는 이 하천선 가까이에서만 나타나므로, 하천 침수 결과가 "
    "낮다고 해서 하천망에 없는 하천 옆이 안전하다는 뜻은 아닙니다. 그런 곳이라면 "
    "distance_to_river_m, 침수심 곡선(analysis_params.overrides) 또는 침수 지도"
    "(docs/hazard-maps.md)를 입력하십시오.",
    prefix="limit",
)


@dataclass(frozen=True, slots=True)
class RiverInputs:
    depth_m: Array  # (B, n_rp) unprotected flood depth at the site
    protection_rp: Array  # (B,)
    maps: MapCurves | None = None  # depth curves from hazard maps, where the user has them


def derive(site: SiteBatch) -> RiverInputs:
    beyond_bank = np.maximum(site.river_m - BANK_OFFSET_M, 0.0)
    h100 = RIVER_DEPTH_AT_BANK_M * np.exp(-beyond_bank / RIVER_DECAY_M)
    depth = np.maximum(log_rp_curve(np.zeros_like(h100), h100), 0.0)
    # Whole millimetres: the exponential tail gives depths like 1e-198 m kilometres away, which
    # damage nothing and read as noise in the report.
    np.round(depth, 3, out=depth)
    return RiverInputs(depth, RIVER_RP[site.urban_class])


def report_block(site: SiteBatch, inputs: RiverInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    return {
        "depth_m": b.curve("depth_m", inputs.depth_m[0], "m", ASSUMPTIONS_KEY),
        "protection_rp": b.one("protection_rp", inputs.protection_rp[0], "years", "molit-2016"),
    }
