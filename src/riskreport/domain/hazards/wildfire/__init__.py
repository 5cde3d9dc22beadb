"""Wildfire: the chance a fire reaches the building, 0.7 damage when it does (acute).

Inputs in ``inputs.py``, losses by case in ``model.py``, drivers and measures in ``advice.py``.
"""

from __future__ import annotations

from riskreport.domain.hazards.base import Hazard, Names
from riskreport.domain.hazards.wildfire import advice, inputs, model

HAZARD: Hazard[inputs.FireInputs] = Hazard(
    key=inputs.KEY,
    kind="acute",
    names=Names("Wildfire", "산불", "wildfire", "산불"),
    derive=inputs.derive,
    model=model.wildfire,
    report_inputs=inputs.report_block,
    drivers=advice.drivers,
    driver_texts=advice.DRIVER_TEXTS,
    measures=advice.MEASURES,
    intensity_labels={
        "fire_probability": ("fire probability", "산불 발생 확률"),
        "frequency_multiplier": ("frequency multiplier", "발생 빈도 배수"),
    },
    overrides=inputs.OVERRIDES,
    site_notes=(inputs.NO_FOREST_DISTANCE,),
)
