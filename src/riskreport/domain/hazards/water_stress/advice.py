"""Water stress: what drives the result, and what to do about it (English and Korean)."""

from __future__ import annotations

from riskreport.domain.hazards.base import HazardArrays, Measure
from riskreport.domain.hazards.water_stress.inputs import WaterInputs
from riskreport.domain.hazards.water_stress.model import WATER_INTENSITY
from riskreport.domain.site import SiteBatch

DRIVER_TEXTS: dict[str, tuple[str, str]] = {
    "high_water_stress": (
        "Water demand is high relative to supply.",
        "공급량에 비해 물 수요가 많습니다.",
    ),
    "water_intensive_use": ("The use consumes much water.", "물을 많이 쓰는 용도입니다."),
}


def drivers(h: HazardArrays, s: SiteBatch, inputs: WaterInputs, c: int) -> list[str]:
    out: list[str] = []
    out += ["high_water_stress"] if h.intensity["water_stress_ratio"].values[0, c] >= 0.5 else []
    out += ["water_intensive_use"] if WATER_INTENSITY[int(s.use[0])] >= 0.005 else []
    return out


MEASURES = (
    Measure(
        "water_stress",
        "*",
        "water-efficiency",
        "Use less water",
        "물 사용 절감",
        "Recycle process and cooling water and harvest rain to cut mains demand.",
        "공정수와 냉각수를 재이용하고 빗물을 모아 상수 사용을 줄이십시오.",
        ("water_stress", "drought"),
    ),
)
