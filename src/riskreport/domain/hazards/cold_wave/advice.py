"""Cold wave: what drives the result, and what to do about it (English and Korean)."""

from __future__ import annotations

from riskreport.domain.hazards.base import HazardArrays, Measure
from riskreport.domain.hazards.cold_wave.inputs import ColdInputs
from riskreport.domain.site import SiteBatch

DRIVER_TEXTS: dict[str, tuple[str, str]] = {
    "cold_region": ("The region has many cold-wave days.", "이 지역은 한파일이 많습니다."),
    "freeze_vulnerable_structure": (
        "The structure lets pipes and finishes freeze.",
        "배관과 마감재가 얼기 쉬운 구조입니다.",
    ),
    "old_building": (
        "Built before current insulation standards.",
        "현행 단열 기준 이전에 지어졌습니다.",
    ),
    "fewer_cold_days": ("Warming reduces cold-wave days.", "온난화로 한파일이 줄어듭니다."),
}


def drivers(h: HazardArrays, s: SiteBatch, inputs: ColdInputs, c: int) -> list[str]:
    today = float(inputs.cold_days[0])
    out: list[str] = []
    out += ["cold_region"] if today >= 10 else []
    out += ["freeze_vulnerable_structure"] if int(s.structure[0]) in (2, 3, 4, 5) else []
    out += ["old_building"] if s.year_built[0] < 1990 else []
    out += ["fewer_cold_days"] if h.intensity["cold_days"].values[0, c] < 0.8 * today else []
    return out


MEASURES = (
    Measure(
        "cold_wave",
        "freeze_vulnerable_structure",
        "freeze-protection",
        "Protect pipes from frost",
        "동파 방지",
        "Insulate and heat-trace exposed pipes and meters; drain idle lines.",
        "노출 배관과 계량기를 보온하고 열선을 감으며, 쓰지 않는 배관은 물을 빼 두십시오.",
        ("cold_wave",),
    ),
    Measure(
        "cold_wave",
        "*",
        "insulation-upgrade",
        "Upgrade insulation",
        "단열 보강",
        "Improve wall, roof and window insulation to current standards.",
        "벽, 지붕, 창호 단열을 현행 기준으로 보강하십시오.",
        ("cold_wave", "heat_wave"),
    ),
)
