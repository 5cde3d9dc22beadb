"""Regions and site-geography defaults: provinces (시도), municipality groups, urban classes.

The hazards' own regional anchors live in their folders (``hazards/<key>/inputs.py``), built
with :func:`by_province`. Nothing here is a published site value: defaults are assumptions
(``riskreport-assumptions``); reasoning for each table is in docs/model.md.

>>> import numpy as np
>>> float(province_table(by_province({SEOUL: 7.8}, 8.0), np.array([11]))[0])
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


def by_province(values: dict[int, float], default: float) -> Array:
    table = np.full(40, default)
    for code, v in values.items():
        table[code] = v
    return table


def province_table(table: Array, province: IntArray) -> Array:
    result: Array = table[province]
    return result


def in_group(muni_code: IntArray, group: tuple[int, ...]) -> Array:
    return np.isin(muni_code, np.array(group)).astype(np.float64)


# Urban classes from the gazetteer: 0 Seoul district, 1 other district (구), 2 city (시),
# 3 county (군).
IMPERVIOUS = np.array([0.9, 0.75, 0.5, 0.25])  # impervious share by class; assumption
