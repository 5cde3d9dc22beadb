"""Drought: operations disrupted by severe annual drought (chronic).

Inputs in ``inputs.py``, costs by case in ``model.py``, drivers and measures in ``advice.py``.
"""

from __future__ import annotations

from riskreport.domain.hazards.base import Hazard, Names
from riskreport.domain.hazards.drought import advice, inputs, model

HAZARD: Hazard[inputs.DroughtInputs] = Hazard(
    key=inputs.KEY,
    kind="chronic",
    names=Names("Drought", "가뭄", "drought", "가뭄"),
    derive=inputs.derive,
    model=model.drought,
    report_inputs=inputs.report_block,
    drivers=advice.drivers,
    driver_texts=advice.DRIVER_TEXTS,
    measures=advice.MEASURES,
    intensity_labels={
        "spei12_mean": ("mean drought index (SPEI)", "가뭄지수(SPEI) 평균"),
        "disruption_fraction": ("operations disrupted", "운영 차질 비율"),
    },
    overrides=inputs.OVERRIDES,
)
