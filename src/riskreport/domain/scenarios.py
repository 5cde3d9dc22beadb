"""Scenarios and horizons: global warming, frequency multipliers and sea level by year.

>>> round(warming("SSP5-8.5", 2050), 2)
2.4
>>> round(gmsl("SSP5-8.5", 2100), 2)
0.77
>>> baseline_warming()
0.85
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.array import Array

SCENARIOS: tuple[str, ...] = ("SSP1-2.6", "SSP2-4.5", "SSP3-7.0", "SSP5-8.5")
DEFAULT_SCENARIOS: tuple[str, ...] = ("SSP2-4.5", "SSP5-8.5")
DEFAULT_HORIZONS: tuple[int, ...] = (2030, 2050, 2100)
# The case the headline grade comes from unless the request picks another.
DEFAULT_HEADLINE: tuple[str, int] = ("SSP2-4.5", 2050)
FIRST_YEAR, LAST_YEAR = 2025, 2100

# Present-day reference 1995-2014 (midpoint 2005) is +0.85 C over 1850-1900 [ipcc-ar6-wg1-spm-t1].
PRESENT_YEAR = 2005
PRESENT_WARMING_C = 0.85

# AR6 Table SPM.1 best estimates at the period midpoints 2030 (2021-2040), 2050 (2041-2060) and
# 2090 (2081-2100), degrees C vs 1850-1900 [ipcc-ar6-wg1-spm-t1]. The near-term column is marked
# "verify" in the reference notes; it is used as printed and the warming is tagged `derived`.
_WARMING_YEARS = (PRESENT_YEAR, 2030, 2050, 2090)
_WARMING: dict[str, tuple[float, float, float, float]] = {
    "SSP1-2.6": (PRESENT_WARMING_C, 1.5, 1.7, 1.8),
    "SSP2-4.5": (PRESENT_WARMING_C, 1.5, 2.0, 2.7),
    "SSP3-7.0": (PRESENT_WARMING_C, 1.5, 2.1, 3.6),
    "SSP5-8.5": (PRESENT_WARMING_C, 1.6, 2.4, 4.4),
}

# Global mean sea level, metres vs 1995-2014, medians [ipcc-ar6-wg1-ch9]. 2005 is the reference 0.
_GMSL: dict[str, tuple[tuple[int, float], ...]] = {
    "SSP1-2.6": ((2005, 0.0), (2030, 0.09), (2050, 0.19), (2100, 0.44)),
    "SSP2-4.5": ((2005, 0.0), (2030, 0.09), (2050, 0.20), (2100, 0.56)),
    "SSP3-7.0": ((2005, 0.0), (2030, 0.09), (2050, 0.22), (2100, 0.68)),
    "SSP5-8.5": (
        (2005, 0.0),
        (2030, 0.10),
        (2050, 0.23),
        (2060, 0.31),
        (2070, 0.40),
        (2080, 0.51),
        (2090, 0.63),
        (2100, 0.77),
    ),
}

# Relative sea level at 2100 around Korea, median, 1-degree cells (lat, lon) -> SSP1-2.6, SSP2-4.5,
# SSP3-7.0, SSP5-8.5 [ipcc-ar6-wg1-ch9]. The model now takes sea-level rise at a site from the
# nearest tide gauge (geodata.sea_level) and no longer reads this table; it stays as transcribed
# from the reference (tests/domain/test_published_values.py checks the transcription).
REGIONAL_SLR_2100: dict[tuple[int, int], tuple[float, float, float, float]] = {
    (37, 127): (0.41, 0.53, 0.68, 0.79),
    (37, 126): (0.40, 0.52, 0.67, 0.78),
    (35, 129): (0.45, 0.58, 0.73, 0.84),
    (36, 129): (0.50, 0.63, 0.77, 0.88),
    (35, 126): (0.52, 0.64, 0.79, 0.90),
    (34, 126): (0.44, 0.56, 0.71, 0.82),
    (38, 129): (0.41, 0.54, 0.68, 0.80),
    (37, 129): (0.45, 0.58, 0.72, 0.83),
    (33, 126): (0.46, 0.58, 0.73, 0.84),
    (35, 128): (0.41, 0.53, 0.68, 0.79),
    (34, 127): (0.52, 0.65, 0.80, 0.91),
}

# Figure SPM.6 frequency multipliers vs 1850-1900 at +0 / +1 / +1.5 / +2 / +4 C
# [ipcc-ar6-wg1-spm-f6]; beyond +4 C the last segment is extended linearly.
_SPM6_WARMING = (0.0, 1.0, 1.5, 2.0, 4.0)
SPM6_FREQUENCY: dict[str, tuple[float, ...]] = {
    "hot10": (1.0, 2.8, 4.1, 5.6, 9.4),
    "hot50": (1.0, 4.8, 8.6, 13.9, 39.2),
    "precip10": (1.0, 1.3, 1.5, 1.7, 2.7),
    # Marked "verify" in the reference notes: used, but tagged `assumption` where it drives output.
    "drought10": (1.0, 1.7, 2.0, 2.4, 4.1),
}
# Intensity change of the 10-year hot extreme, degrees C [ipcc-ar6-wg1-spm-f6].
SPM6_HOT10_INTENSITY_C = (0.0, 1.2, 1.9, 2.6, 5.1)

# Knutson et al. (2020), North-West Pacific at +2 C, medians [knutson-2020].
KNUTSON_FREQUENCY_2C = -0.103


def baseline_warming() -> float:
    return PRESENT_WARMING_C


def warming(scenario: str, year: int | float) -> float:
    """Global warming (C vs 1850-1900) for a scenario and year, interpolated in time.

    Past 2090 the 2050-2090 slope continues to 2100 (the table's last period is 2081-2100).
    """
    table = _WARMING[scenario]
    if year <= _WARMING_YEARS[-1]:
        return float(np.interp(year, _WARMING_YEARS, table))
    slope = (table[3] - table[2]) / (_WARMING_YEARS[3] - _WARMING_YEARS[2])
    return table[3] + slope * (year - _WARMING_YEARS[3])


def gmsl(scenario: str, year: int | float) -> float:
    """Global mean sea level (m vs 1995-2014), linear between the published years."""
    pts = _GMSL[scenario]
    return float(np.interp(year, [p[0] for p in pts], [p[1] for p in pts]))


def slr_fraction(scenario: str, year: int | float) -> float:
    """GMSL(year) / GMSL(2100): scales a regional 2100 value to the year (tagged `derived`)."""
    return gmsl(scenario, year) / gmsl(scenario, 2100)


def _spm6(table: tuple[float, ...], warming_c: Array) -> Array:
    w = np.asarray(warming_c, dtype=np.float64)
    inside = np.interp(w, _SPM6_WARMING, table)
    slope = (table[-1] - table[-2]) / (_SPM6_WARMING[-1] - _SPM6_WARMING[-2])
    return np.where(w > _SPM6_WARMING[-1], table[-1] + slope * (w - _SPM6_WARMING[-1]), inside)


def frequency_multiplier(kind: str, warming_c: Array) -> Array:
    """Frequency of an extreme relative to today (1995-2014), from Figure SPM.6.

    >>> float(frequency_multiplier("precip10", np.array(0.85))[()])
    1.0
    """
    table = SPM6_FREQUENCY[kind]
    return _spm6(table, warming_c) / _spm6(table, np.array(PRESENT_WARMING_C))


def hot_extreme_shift_c(warming_c: Array) -> Array:
    """Warming of the 10-year hot extreme relative to today, C [ipcc-ar6-wg1-spm-f6]."""
    return _spm6(SPM6_HOT10_INTENSITY_C, warming_c) - _spm6(
        SPM6_HOT10_INTENSITY_C, np.array(PRESENT_WARMING_C)
    )
