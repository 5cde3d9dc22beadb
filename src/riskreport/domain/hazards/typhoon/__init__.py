"""Typhoon: wind damage by the Emanuel function, with Knutson's changes (acute).

Inputs in ``inputs.py``, losses by case in ``model.py``, drivers and measures in ``advice.py``.
"""

from __future__ import annotations

from riskreport.domain.hazards.base import Hazard, Names
from riskreport.domain.hazards.typhoon import advice, inputs, model

HAZARD: Hazard[inputs.TyphoonInputs] = Hazard(
    key=inputs.KEY,
    kind="acute",
    names=Names("Typhoon", "태풍", "typhoon", "태풍"),
    derive=inputs.derive,
    model=model.typhoon,
    report_inputs=inputs.report_block,
    drivers=advice.drivers,
    driver_texts=advice.DRIVER_TEXTS,
    measures=advice.MEASURES,
    intensity_labels={
        "wind_10min_100yr_ms": ("100-year wind (10-minute mean)", "100년 빈도 풍속(10분 평균)"),
        "intensity_change_pct": ("typhoon intensity change", "태풍 강도 변화"),
        "frequency_change_pct": ("typhoon frequency change", "태풍 빈도 변화"),
    },
    overrides=inputs.OVERRIDES,
    storm=True,
)
