"""Typhoon: what drives the result, and what to do about it (English and Korean)."""

from __future__ import annotations

from riskreport.domain import regions as r
from riskreport.domain.hazards.base import HazardArrays, Measure
from riskreport.domain.hazards.typhoon.inputs import TyphoonInputs
from riskreport.domain.site import SiteBatch

DRIVER_TEXTS: dict[str, tuple[str, str]] = {
    "exposed_coast": (
        "Open to typhoon winds from the sea.",
        "바다에서 오는 태풍 바람에 노출됩니다.",
    ),
    "south_coast_or_jeju": (
        "The south coast and Jeju take most typhoon landfalls.",
        "남해안과 제주는 태풍이 가장 많이 지나는 곳입니다.",
    ),
    "light_structure": (
        "A light structure is damaged at lower wind speeds.",
        "가벼운 구조라 낮은 풍속에서도 피해를 입습니다.",
    ),
    "stronger_typhoons": (
        "Typhoons grow stronger with warming.",
        "온난화로 태풍 강도가 세집니다.",
    ),
}
SOUTH = (r.BUSAN, r.ULSAN, r.GYEONGNAM, r.JEONNAM, r.JEJU)


def drivers(h: HazardArrays, s: SiteBatch, inputs: TyphoonInputs, c: int) -> list[str]:
    out: list[str] = []
    out += ["exposed_coast"] if s.coast_km[0] < 5 else []
    out += ["south_coast_or_jeju"] if int(s.province[0]) in SOUTH else []
    out += ["light_structure"] if inputs.v_half_ms[0] < 70 else []
    out += ["stronger_typhoons"] if h.intensity["intensity_change_pct"].values[0, c] > 2 else []
    return out


MEASURES = (
    Measure(
        "typhoon",
        "light_structure",
        "roof-cladding-fixings",
        "Strengthen roof and cladding",
        "지붕·외장재 보강",
        "Add fixings to roof sheets, panels and gutters; check them yearly.",
        "지붕판, 패널, 홈통의 고정을 보강하고 매년 점검하십시오.",
        ("typhoon",),
    ),
    Measure(
        "typhoon",
        "*",
        "openings-protection",
        "Protect doors and windows",
        "개구부 보호",
        "Use wind-rated doors and shutters and secure loose objects before typhoons.",
        "내풍 설계된 문과 셔터를 쓰고 태풍 전에 날릴 수 있는 물건을 고정하십시오.",
        ("typhoon",),
    ),
)
