"""Cold wave: days of -12 C or less, heating and freeze damage (chronic).

Inputs in ``inputs.py``, costs by case in ``model.py``, drivers and measures in ``advice.py``.
"""

from __future__ import annotations

from riskreport.domain.hazards.base import Hazard, Names
from riskreport.domain.hazards.cold_wave import advice, inputs, model

HAZARD: Hazard[inputs.ColdInputs] = Hazard(
    key=inputs.KEY,
    kind="chronic",
    names=Names("Cold wave", "한파", "cold wave", "한파"),
    derive=inputs.derive,
    model=model.cold_wave,
    report_inputs=inputs.report_block,
    drivers=advice.drivers,
    driver_texts=advice.DRIVER_TEXTS,
    measures=advice.MEASURES,
    intensity_labels={
        "cold_days": ("cold days", "한파일수"),
        "winter_warming_c": ("winter warming", "겨울철 기온 상승"),
        "heating_cost_krw": ("heating cost", "난방비"),
        "freeze_damage_krw": ("freeze damage", "동파 손해"),
    },
    overrides=inputs.OVERRIDES,
)
