"""Drought: what drives the result, and what to do about it (English and Korean)."""

from __future__ import annotations

from riskreport.domain.hazards.base import HazardArrays, Measure
from riskreport.domain.hazards.drought.inputs import DroughtInputs
from riskreport.domain.hazards.drought.model import DROUGHT_SENSITIVITY
from riskreport.domain.site import SiteBatch

DRIVER_TEXTS: dict[str, tuple[str, str]] = {
    "water_dependent_use": ("The use depends on water supply.", "물 공급에 의존하는 용도입니다."),
    "drought_prone_region": (
        "The local water supply is drought-prone.",
        "지역 상수원이 가뭄에 취약합니다.",
    ),
    "more_droughts": (
        "Droughts become more frequent and severe with warming.",
        "온난화로 가뭄이 잦아지고 심해집니다.",
    ),
}


def drivers(h: HazardArrays, s: SiteBatch, inputs: DroughtInputs, c: int) -> list[str]:
    out: list[str] = []
    out += ["water_dependent_use"] if DROUGHT_SENSITIVITY[int(s.use[0])] >= 0.3 else []
    out += ["drought_prone_region"] if inputs.drought_factor[0] >= 1.2 else []
    out += ["more_droughts"] if h.intensity["spei12_mean"].values[0, c] < -0.2 else []
    return out


MEASURES = (
    Measure(
        "drought",
        "*",
        "water-storage",
        "Back-up water",
        "비상 용수 확보",
        "Keep on-site storage for several days of essential use and a supply contingency.",
        "필수 용수 며칠분의 저장 시설과 대체 공급 계획을 마련하십시오.",
        ("drought", "water_stress"),
    ),
)
