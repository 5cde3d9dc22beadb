"""Main drivers of each hazard's result: short keys with an English and a Korean sentence.

Drivers are read from the building's inputs and one case's results (B = 1 arrays, index 0).

>>> DRIVER_TEXT["basement"][0]
'The basement floods as soon as water tops the entrance sill.'
"""

from __future__ import annotations

from dataclasses import dataclass

from riskreport.domain import regions as r
from riskreport.domain.hazards import HazardArrays
from riskreport.domain.hazards.temperature import HEAT_DAY_LOSS, LABOUR_SHARE
from riskreport.domain.hazards.water import DROUGHT_SENSITIVITY, WATER_INTENSITY
from riskreport.domain.site import SiteBatch

DRIVER_TEXT: dict[str, tuple[str, str]] = {
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
    "near_forest": ("The building stands close to forest.", "건물이 숲과 가깝습니다."),
    "fire_prone_region": (
        "A region of large spring wildfires (dry foehn winds).",
        "봄철 건조한 바람으로 대형 산불이 잦은 지역입니다.",
    ),
    "flammable_structure": (
        "The structure burns (wood or foam-cored panels).",
        "목조나 단열재 샌드위치 패널처럼 불에 타는 구조입니다.",
    ),
    "drier_climate": (
        "Droughts and fire weather become more frequent.",
        "가뭄과 산불 기상이 잦아집니다.",
    ),
    "water_dependent_use": ("The use depends on water supply.", "물 공급에 의존하는 용도입니다."),
    "drought_prone_region": (
        "The local water supply is drought-prone.",
        "지역 상수원이 가뭄에 취약합니다.",
    ),
    "high_water_stress": (
        "Water demand is high relative to supply.",
        "공급량에 비해 물 수요가 많습니다.",
    ),
    "water_intensive_use": ("The use consumes much water.", "물을 많이 쓰는 용도입니다."),
    "near_coast": ("The building is close to the sea.", "건물이 바다와 가깝습니다."),
    "low_ground": ("The ground is low above sea level.", "지반고가 해수면에 비해 낮습니다."),
    "sea_level_rise": (
        "Sea-level rise lifts every storm tide.",
        "해수면 상승으로 폭풍해일 수위가 높아집니다.",
    ),
    "basement": (
        "The basement floods as soon as water tops the entrance sill.",
        "물이 출입구 턱을 넘으면 지하층이 바로 잠깁니다.",
    ),
    "near_river": ("The building is close to a river.", "건물이 하천과 가깝습니다."),
    "local_levee": (
        "Local-river levees are designed for 50-year floods.",
        "지방하천 제방은 50년 빈도 홍수로 설계됩니다.",
    ),
    "heavier_rain": (
        "Heavy rain becomes more frequent with warming.",
        "온난화로 집중호우가 잦아집니다.",
    ),
    "dense_urban": (
        "Dense, sealed city ground sends rain to the sewers fast.",
        "불투수면이 많은 도심이라 빗물이 하수도로 빨리 몰립니다.",
    ),
    "low_first_floor": ("The first floor is close to the ground.", "1층 바닥이 지면과 가깝습니다."),
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
    "modest_exposure": (
        "Little exposure at this site.",
        "이 위치에서는 노출이 크지 않습니다.",
    ),
}


@dataclass(frozen=True, slots=True)
class Driver:
    key: str

    def as_dict(self) -> dict[str, object]:
        en, ko = DRIVER_TEXT[self.key]
        return {"key": self.key, "text_en": en, "text_ko": ko}


def drivers(h: HazardArrays, site: SiteBatch, case: int) -> list[Driver]:
    """The drivers of hazard ``h`` for building 0 in case ``case``."""
    keys = _keys(h, site, case)
    return [Driver(k) for k in (keys or ["modest_exposure"])]


def _keys(h: HazardArrays, s: SiteBatch, c: int) -> list[str]:
    i = h.intensity
    use, st = int(s.use[0]), int(s.structure[0])
    basement = s.floors_below[0] > 0
    out: list[str] = []
    if h.hazard == "heat_wave":
        out += ["hot_region"] if s.heat_days[0] >= 10 else []
        out += ["more_heat_days"] if i["heat_days"].values[0, c] >= 1.5 * s.heat_days[0] else []
        out += ["labour_exposed"] if LABOUR_SHARE[use] * HEAT_DAY_LOSS[use] >= 0.01 else []
        out += ["cooling_load"] if use in (5, 6) or s.floor_area_m2[0] >= 5000 else []
    elif h.hazard == "cold_wave":
        out += ["cold_region"] if s.cold_days[0] >= 10 else []
        out += ["freeze_vulnerable_structure"] if st in (2, 3, 4, 5) else []
        out += ["old_building"] if s.year_built[0] < 1990 else []
        out += ["fewer_cold_days"] if i["cold_days"].values[0, c] < 0.8 * s.cold_days[0] else []
    elif h.hazard == "wildfire":
        out += ["near_forest"] if s.forest_m[0] < 200 else []
        regional = r.FIRE_PROBABILITY[s.province[0]]
        out += ["fire_prone_region"] if regional >= 0.002 or _fire_group(s) else []
        out += ["flammable_structure"] if st in (3, 5) else []
        out += ["drier_climate"] if i["frequency_multiplier"].values[0, c] > 1.2 else []
    elif h.hazard == "drought":
        out += ["water_dependent_use"] if DROUGHT_SENSITIVITY[use] >= 0.3 else []
        out += ["drought_prone_region"] if s.drought_factor[0] >= 1.2 else []
        out += ["drier_climate"] if i["spei12_mean"].values[0, c] < -0.2 else []
    elif h.hazard == "water_stress":
        out += ["high_water_stress"] if i["water_stress_ratio"].values[0, c] >= 0.5 else []
        out += ["water_intensive_use"] if WATER_INTENSITY[use] >= 0.005 else []
    elif h.hazard == "coastal_flood":
        if s.coast_km[0] < 5:
            out += ["near_coast"] if s.coast_km[0] < 1 else []
            out += ["low_ground"] if s.ground_m[0] < 5 else []
            out += ["sea_level_rise"] if i["sea_level_rise_m"].values[0, c] > 0.1 else []
            out += ["basement"] if basement and h.loss[0, c] > 0 else []
    elif h.hazard in ("river_flood", "urban_flood"):
        out += ["basement"] if basement and h.loss[0, c] > 0 else []  # the main driver first
        if h.hazard == "river_flood":
            out += ["near_river"] if s.river_m[0] < 300 else []
            out += ["local_levee"] if s.river_protection_rp[0] <= 50 and h.loss[0, c] > 0 else []
        else:
            out += ["dense_urban"] if s.urban_class[0] <= 1 else []
        low = s.first_floor_m[0] < 0.5 and s.piloti[0] == 0 and h.loss[0, c] > 0
        out += ["low_first_floor"] if low else []
        out += ["heavier_rain"] if i["frequency_multiplier"].values[0, c] > 1.1 else []
    elif h.hazard == "typhoon":
        out += ["exposed_coast"] if s.coast_km[0] < 5 else []
        south = (r.BUSAN, r.ULSAN, r.GYEONGNAM, r.JEONNAM, r.JEJU)
        out += ["south_coast_or_jeju"] if int(s.province[0]) in south else []
        out += ["light_structure"] if s.v_half_ms[0] < 70 else []
        out += ["stronger_typhoons"] if i["intensity_change_pct"].values[0, c] > 2 else []
    return out


def _fire_group(s: SiteBatch) -> bool:
    groups = r.GANGWON_EAST + r.GYEONGBUK_FIRE
    return int(s.muni_code[0]) in groups
