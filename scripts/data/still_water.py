"""Extreme still-water levels at Korean tide stations (metres above mean sea level).

Level at return period T: ``HT + s2 + (s100 - s2) * ln(T / 2) / ln(50)`` where ``HT`` is the
annual highest predicted (astronomical) tide above mean sea level and ``s2`` / ``s100`` the
meteorological rise (seasonal mean sea level, surge) that the 2- and 100-year levels add to it.

``HT``: KHOA's tide tables give the year's highest predicted tide above the chart datum (Korea's
datum is the approximate lowest low water, MSL minus the four main constituents, so mean sea
level sits half-way to the approximate highest high water: Donghae MSL 17.1 cm, AHHW 34.2 cm
above datum [khoa-tide-tables]). Half the published highest tide is therefore its height above
mean sea level; stations without a published figure take a neighbour's (tagged assumption).
``s2`` / ``s100`` are assumptions anchored on cited events and analyses (docs/data/coast.md):
west-coast extremes are tide-dominated, south-coast extremes surge-dominated [kscoe-2018-esl];
Maemi (2003) raised Masan by about 2.3 m near spring high water [kang-2005-maemi]; the summer
mean sea level stands 9-14.5 cm above the annual mean [kscoe-2021-summer-msl].
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

# name, lat, lon, HT (m above MSL), HT published?, s2, s100 (m)
# Published HT: half KHOA's predicted annual highest tide above datum, means of the years reported
# (Incheon 965/972/970 cm, Gunsan 757/752/753, Mokpo 514/521/511, Busan 148/146/146, Yeosu
# 391/388/387, Masan 229/229/227, Jeju 330/320, Wando 421) [khoa-tide-tables]; Mukho from the
# Donghae datum (AHHW - MSL = 0.17 m) plus 0.03 m for the year's highest tide (assumption).
STATIONS: tuple[tuple[str, float, float, float, bool, float, float], ...] = (
    ("INCHEON", 37.45, 126.59, 4.84, True, 0.15, 0.8),
    ("ANHEUNG", 36.67, 126.13, 3.40, False, 0.15, 0.8),
    ("GUNSAN", 35.98, 126.56, 3.77, True, 0.15, 0.9),
    ("MOKPO", 34.78, 126.38, 2.58, True, 0.2, 1.0),
    ("HEUKSANDO", 34.68, 125.44, 1.80, False, 0.2, 1.0),
    ("WANDO", 34.32, 126.76, 2.10, True, 0.2, 1.1),
    ("GEOMUNDO", 34.03, 127.31, 1.60, False, 0.2, 1.2),
    ("YEOSU", 34.75, 127.77, 1.94, True, 0.2, 1.3),
    ("TONGYEONG", 34.83, 128.43, 1.40, False, 0.2, 1.4),
    ("MASAN", 35.21, 128.58, 1.14, True, 0.25, 2.3),
    ("BUSAN", 35.10, 129.04, 0.73, True, 0.25, 1.3),
    ("ULSAN", 35.50, 129.39, 0.35, False, 0.25, 0.9),
    ("POHANG", 36.05, 129.38, 0.20, False, 0.25, 0.8),
    ("MUKHO", 37.55, 129.12, 0.20, True, 0.25, 0.8),
    ("SOKCHO", 38.21, 128.59, 0.20, False, 0.25, 0.8),
    ("ULLEUNG", 37.49, 130.91, 0.20, False, 0.25, 0.8),
    ("JEJU", 33.53, 126.54, 1.62, True, 0.2, 1.1),
    ("SEOGWIPO", 33.24, 126.56, 1.35, False, 0.2, 1.1),
)
# Waterfront ground height above the annual highest tide (assumption): reclaimed and waterfront
# land in Korea is built above the highest tide with about a metre to spare; +-0.5 m is shown as
# the sensitivity in docs/data/coast.md.
WATERFRONT_FREEBOARD_M = 1.0


def still_water_arrays() -> dict[str, npt.NDArray[Any]]:
    """The station table as arrays for ``write_npz`` (prefix ``swl_``)."""
    names = [s[0] for s in STATIONS]
    return {
        "swl_name": np.array(names),
        "swl_lat": np.array([s[1] for s in STATIONS], dtype=np.float32),
        "swl_lon": np.array([s[2] for s in STATIONS], dtype=np.float32),
        "swl_ht_m": np.array([s[3] for s in STATIONS], dtype=np.float32),
        "swl_ht_published": np.array([s[4] for s in STATIONS]),
        "swl_s2_m": np.array([s[5] for s in STATIONS], dtype=np.float32),
        "swl_s100_m": np.array([s[6] for s in STATIONS], dtype=np.float32),
        "swl_freeboard_m": np.array(WATERFRONT_FREEBOARD_M, dtype=np.float32),
    }
