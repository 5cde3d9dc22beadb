"""Urban flood: what drives the result, and what to do about it (English and Korean)."""

from __future__ import annotations

from riskreport.domain.hazards import flood_family as ff
from riskreport.domain.hazards.base import HazardArrays, Measure
from riskreport.domain.hazards.urban_flood.inputs import UrbanInputs
from riskreport.domain.site import SiteBatch

DRIVER_TEXTS: dict[str, tuple[str, str]] = {
    **ff.DRIVER_TEXTS,
    "dense_urban": (
        "Dense, sealed city ground sends rain to the sewers fast.",
        "불투수면이 많은 도심이라 빗물이 하수도로 빨리 몰립니다.",
    ),
}


def drivers(h: HazardArrays, s: SiteBatch, inputs: UrbanInputs, c: int) -> list[str]:
    out = ff.basement_driver(h, s, c)  # the main driver first
    out += ["dense_urban"] if s.urban_class[0] <= 1 else []
    return out + ff.rain_tail_drivers(h, s, c)


MEASURES = (
    Measure(
        "urban_flood",
        "basement",
        "basement-flood-barriers",
        "Seal the basement entrances",
        "지하층 출입구 차수",
        "Fit flood barriers (차수판) at ramps and stairwells, a backflow valve on drains and a "
        "sump pump on standby power; move electrical and mechanical plant above ground.",
        "경사로와 계단실에 차수판을, 배수관에 역류방지밸브를, 비상전원에 연결된 배수펌프를 "
        "설치하고 전기·기계 설비를 지상층으로 옮기십시오.",
        ff.MEMBERS,
    ),
    Measure(
        "urban_flood",
        "dense_urban",
        "on-site-retention",
        "Hold rain on site",
        "빗물 저류",
        "Add a rainwater tank, green roof or permeable paving to delay runoff.",
        "빗물 저류조, 옥상녹화, 투수성 포장으로 유출을 늦추십시오.",
        ("urban_flood",),
    ),
    Measure(
        "urban_flood",
        "*",
        "flood-plan",
        "Prepare a flood plan",
        "침수 대응 계획 수립",
        "Sign up for KMA heavy-rain alerts and rehearse who closes barriers and moves stock.",
        "기상청 호우 특보를 받고 차수판 설치와 물품 이동 담당을 정해 훈련하십시오.",
        ff.MEMBERS,
    ),
)
