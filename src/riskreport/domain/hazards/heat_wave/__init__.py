"""Heat wave: days of 33 C or more, cooling and lost labour (chronic).

Inputs in ``inputs.py``, costs by case in ``model.py``, drivers and measures in ``advice.py``.
"""

from __future__ import annotations

from riskreport.domain.hazards.base import Hazard, Names
from riskreport.domain.hazards.heat_wave import advice, inputs, model

HAZARD: Hazard[inputs.HeatInputs] = Hazard(
    key=inputs.KEY,
    kind="chronic",
    names=Names("Heat wave", "폭염", "heatwave", "폭염"),
    derive=inputs.derive,
    model=model.heat_wave,
    report_inputs=inputs.report_block,
    drivers=advice.drivers,
    driver_texts=advice.DRIVER_TEXTS,
    measures=advice.MEASURES,
    intensity_labels={
        "heat_days": ("heat days", "폭염일수"),
        "cooling_degree_days": ("cooling degree days", "냉방도일"),
        "hot_extreme_shift_c": ("shift of hot extremes", "극한 고온 상승폭"),
        "cooling_cost_krw": ("extra cooling cost", "냉방비 증가"),
        "labour_cost_krw": ("labour lost to heat", "더위로 인한 노동 손실"),
    },
    overrides=inputs.OVERRIDES,
)
