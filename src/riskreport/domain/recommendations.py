"""Adaptation measures keyed by hazard and driver, in English and Korean.

>>> [m.key for m in measures_for("urban_flood", ["basement"])][:1]
['basement-flood-barriers']
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Measure:
    hazard: str
    driver: str  # a driver key, or "*" for the hazard in general
    key: str
    title_en: str
    title_ko: str
    text_en: str
    text_ko: str
    reduces: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "hazard": self.hazard,
            "driver": self.driver,
            "key": self.key,
            "title_en": self.title_en,
            "title_ko": self.title_ko,
            "text_en": self.text_en,
            "text_ko": self.text_ko,
            "reduces": list(self.reduces),
        }


_FLOODS = ("urban_flood", "river_flood", "coastal_flood")
_M = Measure
CATALOG: tuple[Measure, ...] = (
    _M(
        "urban_flood",
        "basement",
        "basement-flood-barriers",
        "Seal the basement entrances",
        "지하층 출입구 차수",
        "Fit flood barriers (차수판) at ramps and stairwells, a backflow valve on drains and a "
        "sump pump on standby power; move electrical and mechanical plant above ground.",
        "경사로와 계단실에 차수판을, 배수관에 역류방지밸브를, 비상전원에 연결된 배수펌프를 "
        "설치하고 전기·기계 설비를 지상층으로 옮기십시오.",
        _FLOODS,
    ),
    _M(
        "urban_flood",
        "dense_urban",
        "on-site-retention",
        "Hold rain on site",
        "빗물 저류",
        "Add a rainwater tank, green roof or permeable paving to delay runoff.",
        "빗물 저류조, 옥상녹화, 투수성 포장으로 유출을 늦추십시오.",
        ("urban_flood",),
    ),
    _M(
        "urban_flood",
        "*",
        "flood-plan",
        "Prepare a flood plan",
        "침수 대응 계획 수립",
        "Sign up for KMA heavy-rain alerts and rehearse who closes barriers and moves stock.",
        "기상청 호우 특보를 받고 차수판 설치와 물품 이동 담당을 정해 훈련하십시오.",
        _FLOODS,
    ),
    _M(
        "river_flood",
        "near_river",
        "raise-critical-equipment",
        "Raise critical equipment",
        "주요 설비 높이기",
        "Place switchgear, boilers and servers above the 100-year flood level.",
        "수배전반, 보일러, 서버를 100년 빈도 홍수위보다 높게 두십시오.",
        _FLOODS,
    ),
    _M(
        "river_flood",
        "*",
        "wet-floodproofing",
        "Flood-resilient ground floor",
        "침수에 강한 1층",
        "Use water-resistant finishes and raised sockets on the ground floor.",
        "1층에 내수성 마감재와 높은 위치의 콘센트를 쓰십시오.",
        _FLOODS,
    ),
    _M(
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
    _M(
        "coastal_flood",
        "basement",
        "basement-flood-barriers",
        "Seal the basement entrances",
        "지하층 출입구 차수",
        "Fit flood barriers at ramps and stairwells and keep goods and plant out of the basement.",
        "경사로와 계단실에 차수판을 설치하고 지하층에 물품과 설비를 두지 마십시오.",
        _FLOODS,
    ),
    _M(
        "coastal_flood",
        "*",
        "storm-surge-plan",
        "Storm-surge plan",
        "폭풍해일 대응 계획",
        "Follow KMA storm-surge warnings; move stock and vehicles to higher ground in time.",
        "기상청 폭풍해일 특보에 따라 물품과 차량을 미리 높은 곳으로 옮기십시오.",
        ("coastal_flood",),
    ),
    _M(
        "typhoon",
        "light_structure",
        "roof-cladding-fixings",
        "Strengthen roof and cladding",
        "지붕·외장재 보강",
        "Add fixings to roof sheets, panels and gutters; check them yearly.",
        "지붕판, 패널, 홈통의 고정을 보강하고 매년 점검하십시오.",
        ("typhoon",),
    ),
    _M(
        "typhoon",
        "*",
        "openings-protection",
        "Protect doors and windows",
        "개구부 보호",
        "Use wind-rated doors and shutters and secure loose objects before typhoons.",
        "내풍 설계된 문과 셔터를 쓰고 태풍 전에 날릴 수 있는 물건을 고정하십시오.",
        ("typhoon",),
    ),
    _M(
        "heat_wave",
        "labour_exposed",
        "heat-work-rules",
        "Heat-safe working hours",
        "폭염 작업 수칙",
        "Shift heavy work to cooler hours, add rest breaks and shaded, ventilated rest areas.",
        "무더운 시간대 작업을 줄이고 휴식 시간과 그늘진 휴게 공간을 마련하십시오.",
        ("heat_wave",),
    ),
    _M(
        "heat_wave",
        "*",
        "cool-envelope",
        "Cooler building envelope",
        "외피 차열",
        "Use a cool roof, external shading and efficient chillers to cut cooling energy.",
        "차열 지붕, 외부 차양, 고효율 냉방기로 냉방 에너지를 줄이십시오.",
        ("heat_wave",),
    ),
    _M(
        "cold_wave",
        "freeze_vulnerable_structure",
        "freeze-protection",
        "Protect pipes from frost",
        "동파 방지",
        "Insulate and heat-trace exposed pipes and meters; drain idle lines.",
        "노출 배관과 계량기를 보온하고 열선을 감으며, 쓰지 않는 배관은 물을 빼 두십시오.",
        ("cold_wave",),
    ),
    _M(
        "cold_wave",
        "*",
        "insulation-upgrade",
        "Upgrade insulation",
        "단열 보강",
        "Improve wall, roof and window insulation to current standards.",
        "벽, 지붕, 창호 단열을 현행 기준으로 보강하십시오.",
        ("cold_wave", "heat_wave"),
    ),
    _M(
        "wildfire",
        "near_forest",
        "defensible-space",
        "Clear a defensible space",
        "방화 공간 확보",
        "Keep 10-30 m around the building free of dead wood and dense brush.",
        "건물 주변 10-30 m의 마른 나무와 덤불을 정리하십시오.",
        ("wildfire",),
    ),
    _M(
        "wildfire",
        "flammable_structure",
        "ember-resistant-envelope",
        "Ember-resistant envelope",
        "불티에 강한 외피",
        "Replace combustible cladding and roofing; screen vents against embers.",
        "불에 타는 외장재와 지붕재를 바꾸고 환기구에 불티 차단망을 다십시오.",
        ("wildfire",),
    ),
    _M(
        "wildfire",
        "*",
        "fire-readiness",
        "Wildfire readiness",
        "산불 대비",
        "Install outdoor hydrants or sprinklers and plan evacuation in the dry spring season.",
        "옥외 소화전이나 살수 설비를 갖추고 봄철 건조기 대피 계획을 세우십시오.",
        ("wildfire",),
    ),
    _M(
        "drought",
        "*",
        "water-storage",
        "Back-up water",
        "비상 용수 확보",
        "Keep on-site storage for several days of essential use and a supply contingency.",
        "필수 용수 며칠분의 저장 시설과 대체 공급 계획을 마련하십시오.",
        ("drought", "water_stress"),
    ),
    _M(
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


def measures_for(hazard: str, driver_keys: Iterable[str]) -> list[Measure]:
    """Measures for a hazard: those keyed by its drivers first, then its general ones."""
    keys = list(driver_keys)
    specific = [m for d in keys for m in CATALOG if m.hazard == hazard and m.driver == d]
    general = [m for m in CATALOG if m.hazard == hazard and m.driver == "*"]
    return specific + general
