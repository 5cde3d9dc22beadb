"""River flood: fluvial depth behind levees, JRC building damage (acute; flood family).

Inputs in ``inputs.py``, losses by case in ``model.py``, drivers and measures in ``advice.py``.
"""

from __future__ import annotations

from riskreport.domain.hazards.base import Hazard, Names
from riskreport.domain.hazards.flood_family import FAMILY, INTENSITY_LABELS
from riskreport.domain.hazards.river_flood import advice, inputs, model

HAZARD: Hazard[inputs.RiverInputs] = Hazard(
    key=inputs.KEY,
    kind="acute",
    names=Names("River flood", "하천 홍수", "river flood", "하천 홍수"),
    derive=inputs.derive,
    model=model.river_flood,
    report_inputs=inputs.report_block,
    drivers=advice.drivers,
    driver_texts=advice.DRIVER_TEXTS,
    measures=advice.MEASURES,
    intensity_labels={
        **INTENSITY_LABELS,
        "frequency_multiplier": ("frequency multiplier", "발생 빈도 배수"),
    },
    overrides=inputs.OVERRIDES,
    family=FAMILY,
    map_prefix="inunriver",
    storm=True,
    site_notes=(inputs.NETWORK_GAPS,),
)
