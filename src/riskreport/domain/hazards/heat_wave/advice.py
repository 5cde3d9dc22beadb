"""Heat wave: what drives the result, and what to do about it (English and Korean)."""

from __future__ import annotations

from riskreport.domain.hazards.base import HazardArrays, Measure
from riskreport.domain.hazards.heat_wave.inputs import HeatInputs
from riskreport.domain.hazards.heat_wave.model import HEAT_DAY_LOSS, LABOUR_SHARE
from riskreport.domain.site import SiteBatch

DRIVER_TEXTS: dict[str, tuple[str, str]] = {
    "hot_region": ("The region has many heat days today.", "이 지역은 현재도 폭염일이 많습니다."),
    "more_heat_days": (
        "Warming multiplies the days of 33 C or more.",
        "온난화로 33도 이상인 날이 크게 늘어납니다.",
    ),
    "labour_exposed": (
        "The use relies on work that heat slows down.",
        "더위에 작업 능률이 떨어지는 용도입니다.",
    ),
    "cooling_load": ("A large or sensitive cooling load.", "냉방 부하가 크거나 민감합니다."),
}


def drivers(h: HazardArrays, s: SiteBatch, inputs: HeatInputs, c: int) -> list[str]:
    use, today = int(s.use[0]), float(inputs.heat_days[0])
    out: list[str] = []
    out += ["hot_region"] if today >= 10 else []
    out += ["more_heat_days"] if h.intensity["heat_days"].values[0, c] >= 1.5 * today else []
    out += ["labour_exposed"] if LABOUR_SHARE[use] * HEAT_DAY_LOSS[use] >= 0.01 else []
    out += ["cooling_load"] if use in (5, 6) or s.floor_area_m2[0] >= 5000 else []
    return out


MEASURES = (
    Measure(
        "heat_wave",
        "labour_exposed",
        "heat-work-rules",
        "Heat-safe working hours",
        "폭염 작업 수칙",
        "Shift heavy work to cooler hours, add rest breaks and shaded, ventilated rest areas.",
        "무더운 시간대 작업을 줄이고 휴식 시간과 그늘진 휴게 공간을 마련하십시오.",
        ("heat_wave",),
    ),
    Measure(
        "heat_wave",
        "*",
        "cool-envelope",
        "Cooler building envelope",
        "외피 차열",
        "Use a cool roof, external shading and efficient chillers to cut cooling energy.",
        "차열 지붕, 외부 차양, 고효율 냉방기로 냉방 에너지를 줄이십시오.",
        ("heat_wave",),
    ),
)
