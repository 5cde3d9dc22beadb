"""Water stress: the cost of a strained water supply (chronic).

Inputs in ``inputs.py``, costs by case in ``model.py``, drivers and measures in ``advice.py``.
"""

from __future__ import annotations

from riskreport.domain.hazards.base import Hazard, Names
from riskreport.domain.hazards.water_stress import advice, inputs, model

HAZARD: Hazard[inputs.WaterInputs] = Hazard(
    key=inputs.KEY,
    kind="chronic",
    names=Names("Water stress", "물 부족", "water stress", "물 부족"),
    derive=inputs.derive,
    model=model.water_stress,
    report_inputs=inputs.report_block,
    drivers=advice.drivers,
    driver_texts=advice.DRIVER_TEXTS,
    measures=advice.MEASURES,
    intensity_labels={
        "water_stress_ratio": ("water stress ratio", "물 스트레스 비율"),
        "supply_pressure": ("supply pressure", "용수 공급 압박"),
    },
    overrides=inputs.OVERRIDES,
)
