"""Coastal flood: what drives the result, and what to do about it (English and Korean)."""

from __future__ import annotations

from riskreport.domain.hazards import flood_family as ff
from riskreport.domain.hazards.base import HazardArrays, Measure
from riskreport.domain.hazards.coastal_flood.inputs import CoastalInputs
from riskreport.domain.site import SiteBatch

DRIVER_TEXTS: dict[str, tuple[str, str]] = {
    "basement": ff.DRIVER_TEXTS["basement"],
    "near_coast": ("The building is close to the sea.", "건물이 바다와 가깝습니다."),
    "low_ground": ("The ground is low above sea level.", "지반고가 해수면에 비해 낮습니다."),
    # Said instead of low_ground when the height is the waterfront default, not the user's: the
    # report must not state as the site's a height it assumed (Seogwipo's old town stands on a
    # cliff the default knows nothing of).
    "low_ground_assumed": (
        "No ground elevation was given, and the default for a site this close to the sea is low; "
        "give ground_elevation_m if the building stands higher.",
        "지반고가 입력되지 않아 바다에 이만큼 가까운 부지의 낮은 기본값을 썼습니다. 건물이 더 "
        "높은 곳에 있다면 ground_elevation_m을 입력하십시오.",
    ),
    "sea_level_rise": (
        "Sea-level rise lifts every storm tide.",
        "해수면 상승으로 폭풍해일 수위가 높아집니다.",
    ),
}


def drivers(h: HazardArrays, s: SiteBatch, inputs: CoastalInputs, c: int) -> list[str]:
    out: list[str] = []
    if s.coast_km[0] < 5:
        out += ["near_coast"] if s.coast_km[0] < 1 else []
        if s.ground_m[0] < 5:
            out += ["low_ground"] if s.ground_given[0] > 0 else ["low_ground_assumed"]
        out += ["sea_level_rise"] if h.intensity["sea_level_rise_m"].values[0, c] > 0.1 else []
        out += ff.basement_driver(h, s, c)
    return out


MEASURES = (
    Measure(
        "coastal_flood",
        "sea_level_rise",
        "coastal-defence",
        "Plan for higher sea levels",
        "해수면 상승 대비",
        "Raise the site's sea wall or install demountable barriers; plan floor levels for the "
        "2100 sea level.",
        "호안을 높이거나 이동식 차수벽을 설치하고, 2100년 해수면을 고려해 바닥 높이를 정하십시오.",
        ("coastal_flood",),
    ),
    Measure(
        "coastal_flood",
        "basement",
        "basement-flood-barriers",
        "Seal the basement entrances",
        "지하층 출입구 차수",
        "Fit flood barriers at ramps and stairwells and keep goods and plant out of the basement.",
        "경사로와 계단실에 차수판을 설치하고 지하층에 물품과 설비를 두지 마십시오.",
        ff.MEMBERS,
    ),
    Measure(
        "coastal_flood",
        "*",
        "storm-surge-plan",
        "Storm-surge plan",
        "폭풍해일 대응 계획",
        "Follow KMA storm-surge warnings; move stock and vehicles to higher ground in time.",
        "기상청 폭풍해일 특보에 따라 물품과 차량을 미리 높은 곳으로 옮기십시오.",
        ("coastal_flood",),
    ),
)
