"""Regional anchors of the hazard model, by province (시도) and a few municipality groups.

Nothing here is a published site value: these are regional anchors chosen by the riskreport
developers (``riskreport-assumptions``) or regional averages from a publication applied to a site
(then the source key names the publication). Reasoning for each table is in docs/model.md.

>>> import numpy as np
>>> float(province_table(HEAT_DAYS, np.array([11]))[0])
7.8
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.array import Array, IntArray

SEOUL, BUSAN, DAEGU, INCHEON, GWANGJU, DAEJEON, ULSAN, SEJONG = 11, 21, 22, 23, 24, 25, 26, 29
GYEONGGI, GANGWON, CHUNGBUK, CHUNGNAM, JEONBUK, JEONNAM, GYEONGBUK, GYEONGNAM, JEJU = (
    31,
    32,
    33,
    34,
    35,
    36,
    37,
    38,
    39,
)
METROPOLITAN = (SEOUL, BUSAN, DAEGU, INCHEON, GWANGJU, DAEJEON, ULSAN)

# Gangwon east of the Taebaek ridge (영동): dry, foehn-driven spring fires, mild winters.
GANGWON_EAST = (32030, 32040, 32050, 32060, 32070, 32400, 32410)
# Gangwon's cold inland north (철원, 화천, 양구, 인제, 홍천, 평창).
GANGWON_COLD_INLAND = (32310, 32340, 32360, 32370, 32380, 32390)
# North Gyeongsang's fire-prone east and north-east
# (포항, 경주, 안동, 의성, 청송, 영양, 영덕, 봉화, 울진).
GYEONGBUK_FIRE = (37011, 37012, 37020, 37040, 37320, 37330, 37340, 37350, 37410, 37420)


def _by_province(values: dict[int, float], default: float) -> Array:
    table = np.full(40, default)
    for code, v in values.items():
        table[code] = v
    return table


def province_table(table: Array, province: IntArray) -> Array:
    result: Array = table[province]
    return result


def in_group(muni_code: IntArray, group: tuple[int, ...]) -> Array:
    return np.isin(muni_code, np.array(group)).astype(np.float64)


# Heat days (daily max >= 33 C) a year, 1995-2014-ish. Seoul metropolitan area 7.8 and Gyeongsang
# 12 are KMA figures [kma-warnings]; the other provinces are assumptions.
HEAT_DAYS_PUBLISHED = (SEOUL, INCHEON, GYEONGGI, BUSAN, DAEGU, ULSAN, GYEONGBUK, GYEONGNAM)
HEAT_DAYS = _by_province(
    {
        SEOUL: 7.8,
        INCHEON: 7.8,
        GYEONGGI: 7.8,
        BUSAN: 12.0,
        DAEGU: 12.0,
        ULSAN: 12.0,
        GYEONGBUK: 12.0,
        GYEONGNAM: 12.0,
        GWANGJU: 10.0,
        JEONNAM: 9.0,
        JEONBUK: 10.0,
        DAEJEON: 8.0,
        SEJONG: 8.0,
        CHUNGBUK: 9.0,
        CHUNGNAM: 7.0,
        GANGWON: 6.0,
        JEJU: 3.0,
    },
    8.0,
)
# Cold-wave days (morning min <= -12 C) a year; assumption (KMA advisory threshold [kma-warnings]).
COLD_DAYS = _by_province(
    {
        SEOUL: 4.0,
        INCHEON: 2.0,
        GYEONGGI: 8.0,
        GANGWON: 15.0,
        CHUNGBUK: 8.0,
        CHUNGNAM: 4.0,
        DAEJEON: 3.0,
        SEJONG: 5.0,
        JEONBUK: 3.0,
        GWANGJU: 1.0,
        JEONNAM: 0.8,
        GYEONGBUK: 4.0,
        DAEGU: 1.5,
        GYEONGNAM: 0.8,
        BUSAN: 0.1,
        ULSAN: 0.5,
        JEJU: 0.02,
    },
    3.0,
)
COLD_DAYS_GANGWON_EAST = 2.0
COLD_DAYS_GANGWON_COLD_INLAND = 25.0

# 100-year 10-minute wind at 10 m (m/s), inland and at the open coast; assumption anchored on the
# Korean design wind map (KDS 41 10 15) and KMA typhoon records [kma-typhoon].
WIND_INLAND = _by_province(
    {
        BUSAN: 32.0,
        ULSAN: 30.0,
        JEONNAM: 30.0,
        GYEONGNAM: 30.0,
        JEJU: 40.0,
        GWANGJU: 28.0,
        INCHEON: 28.0,
        CHUNGBUK: 24.0,
    },
    26.0,
)
WIND_COAST = _by_province(
    {
        SEOUL: 28.0,
        INCHEON: 32.0,
        GYEONGGI: 30.0,
        GANGWON: 32.0,
        CHUNGNAM: 32.0,
        JEONBUK: 32.0,
        JEONNAM: 38.0,
        GYEONGBUK: 34.0,
        GYEONGNAM: 38.0,
        BUSAN: 40.0,
        ULSAN: 36.0,
        JEJU: 44.0,
        GWANGJU: 28.0,
    },
    26.0,
)
WIND_COAST_DECAY_KM = 10.0
WIND_GUMBEL_SLOPE = 0.11  # V(T) = V100 (1 + 0.11 ln(T/100)): V2 ~ 0.57 V100, V1000 ~ 1.25 V100

# Annual probability that a wildfire reaches a building at the forest edge; assumption.
FIRE_PROBABILITY = _by_province(
    {
        GANGWON: 0.003,
        GYEONGBUK: 0.002,
        GYEONGNAM: 0.0015,
        JEONNAM: 0.0015,
        CHUNGBUK: 0.0015,
        CHUNGNAM: 0.0015,
        JEONBUK: 0.0012,
        GYEONGGI: 0.0012,
        JEJU: 0.0005,
    },
    0.0008,
)
FIRE_PROBABILITY_GANGWON_EAST = 0.006
FIRE_PROBABILITY_GYEONGBUK_FIRE = 0.005
FOREST_DECAY_M = 150.0

# Baseline water-stress ratio (withdrawal / renewable supply); assumption.
WATER_STRESS = _by_province(
    {
        SEOUL: 0.45,
        INCHEON: 0.5,
        GYEONGGI: 0.5,
        GANGWON: 0.2,
        CHUNGBUK: 0.3,
        CHUNGNAM: 0.55,
        DAEJEON: 0.35,
        SEJONG: 0.35,
        JEONBUK: 0.4,
        GWANGJU: 0.45,
        JEONNAM: 0.4,
        GYEONGBUK: 0.45,
        DAEGU: 0.5,
        GYEONGNAM: 0.45,
        BUSAN: 0.55,
        ULSAN: 0.55,
        JEJU: 0.45,
    },
    0.4,
)
WATER_STRESS_GANGWON_EAST = 0.35
# Drought exposure of the local water supply (1 = national average); assumption.
DROUGHT_FACTOR = _by_province(
    {
        CHUNGNAM: 1.4,
        GYEONGBUK: 1.2,
        GYEONGNAM: 1.1,
        JEONNAM: 1.2,
        JEJU: 1.1,
        SEOUL: 0.6,
        BUSAN: 0.8,
        DAEGU: 0.8,
        INCHEON: 0.8,
        GWANGJU: 0.8,
        DAEJEON: 0.8,
        ULSAN: 0.8,
    },
    1.0,
)
DROUGHT_FACTOR_GANGWON_EAST = 1.3

# Urban classes from the gazetteer: 0 Seoul district, 1 other district (구), 2 city (시),
# 3 county (군).
IMPERVIOUS = np.array([0.9, 0.75, 0.5, 0.25])  # impervious share by class; assumption
SEWER_RP = np.array([30.0, 20.0, 10.0, 10.0])  # sewer design return period [molit-2016, verify]
RIVER_RP = np.array([100.0, 100.0, 50.0, 50.0])  # national vs local levee standard [molit-2016]
COAST_RP = np.array([50.0, 50.0, 20.0, 20.0])  # seawall standard; assumption
FOREST_DISTANCE_M = np.array([800.0, 400.0, 200.0, 60.0])  # default distance to forest; assumption
RIVER_DISTANCE_M = 1000.0  # default distance to the nearest river; assumption

# Coast segments: still-water level above mean sea level (tide + surge) at 2 and 100 years, and
# the typical ground level of the waterfront (m above MSL); assumption. West: macro-tidal Yellow
# Sea; south-west: Mokpo; south: Busan-Yeosu (Maemi 2003 surge); east: micro-tidal East Sea; Jeju.
COAST_SEGMENTS = ("west", "southwest", "south", "east", "jeju")
SWL_2 = np.array([4.0, 2.4, 1.0, 0.4, 1.5])
SWL_100 = np.array([5.0, 3.4, 2.3, 1.3, 2.6])
WATERFRONT_GROUND_M = np.array([6.0, 4.0, 2.8, 2.5, 3.5])
GROUND_RISE_PER_KM = 10.0  # default ground rises 10 m per km inland, to at most 150 m
OVERLAND_DECAY_PER_KM = 1.0  # surge loses 1 m per km over land


def coast_segment(lat: Array, lon: Array) -> IntArray:
    """Index into COAST_SEGMENTS from position alone."""
    seg = np.full(lat.shape, 2, dtype=np.int64)  # south
    seg = np.where((lon > 129.1) & (lat > 35.4), 3, seg)  # east (Ulsan northwards)
    seg = np.where(
        lon > 128.3, np.where(lat > 36.0, 3, seg), seg
    )  # east coast of Gangwon/Gyeongbuk
    seg = np.where((lon < 126.6) & (lat <= 35.5), 1, seg)  # south-west
    seg = np.where((lon < 126.9) & (lat > 35.5), 0, seg)  # west
    seg = np.where(lat < 33.8, 4, seg)  # Jeju
    result: IntArray = seg
    return result
