"""River flood: what drives the result, and what to do about it (English and Korean)."""

from __future__ import annotations

from riskreport.domain.hazards import flood_family as ff
from riskreport.domain.hazards.base import HazardArrays, Measure
from riskreport.domain.hazards.river_flood.inputs import RiverInputs
from riskreport.domain.site import SiteBatch

# Within 1 km of a mapped river's centre line: on or near its floodplain (the banks lie about
# 300 m out, see inputs.BANK_OFFSET_M).
NEAR_RIVER_M = 1000.0

DRIVER_TEXTS: dict[str, tuple[str, str]] = {
    **ff.DRIVER_TEXTS,
    "near_river": ("The building is close to a river.", "건물이 하천과 가깝습니다."),
    # Said only where the levee standard is 50 years or less: the packaged standards of the
    # mapped national rivers are 100-200 years, so it takes a user's protection_rp.
    "local_levee": (
        "The levees here are designed for floods of 50 years or less.",
        "이곳의 제방은 50년 빈도 이하의 홍수에 맞춰 설계되었습니다.",
    ),
}


def drivers(h: HazardArrays, s: SiteBatch, inputs: RiverInputs, c: int) -> list[str]:
    out = ff.basement_driver(h, s, c)  # the main driver first
    out += ["near_river"] if s.river_m[0] < NEAR_RIVER_M else []
    out += ["local_levee"] if inputs.protection_rp[0] <= 50 and h.loss[0, c] > 0 else []
    return out + ff.rain_tail_drivers(h, s, c)


MEASURES = (
    Measure(
        "river_flood",
        "near_river",
        "raise-critical-equipment",
        "Raise critical equipment",
        "주요 설비 높이기",
        "Place switchgear, boilers and servers above the 100-year flood level.",
        "수배전반, 보일러, 서버를 100년 빈도 홍수위보다 높게 두십시오.",
        ff.MEMBERS,
    ),
    Measure(
        "river_flood",
        "*",
        "wet-floodproofing",
        "Flood-resilient ground floor",
        "침수에 강한 1층",
        "Use water-resistant finishes and raised sockets on the ground floor.",
        "1층에 내수성 마감재와 높은 위치의 콘센트를 쓰십시오.",
        ff.MEMBERS,
    ),
)
