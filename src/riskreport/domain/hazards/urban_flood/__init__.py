"""Urban (pluvial) flood: rain the sewers cannot take, JRC building damage (acute; flood family).

Inputs in ``inputs.py``, losses by case in ``model.py``, drivers and measures in ``advice.py``.
"""

from __future__ import annotations

from riskreport.domain.hazards.base import Hazard, Names
from riskreport.domain.hazards.flood_family import FAMILY, INTENSITY_LABELS
from riskreport.domain.hazards.urban_flood import advice, inputs, model

HAZARD: Hazard[inputs.UrbanInputs] = Hazard(
    key=inputs.KEY,
    kind="acute",
    names=Names("Urban flood", "도시 침수", "urban (pluvial) flood", "도시 침수"),
    derive=inputs.derive,
    model=model.urban_flood,
    report_inputs=inputs.report_block,
    drivers=advice.drivers,
    driver_texts=advice.DRIVER_TEXTS,
    measures=advice.MEASURES,
    intensity_labels={
        **INTENSITY_LABELS,
        "rain_100yr_mm": ("100-year daily rain", "100년 빈도 일강수량"),
        "frequency_multiplier": ("frequency multiplier", "발생 빈도 배수"),
    },
    overrides=inputs.OVERRIDES,
    family=FAMILY,
    storm=True,
)
