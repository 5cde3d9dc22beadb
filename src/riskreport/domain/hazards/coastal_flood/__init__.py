"""Coastal flood and sea-level rise: storm tides over seawalls, JRC damage (acute; flood family).

Inputs in ``inputs.py``, losses by case in ``model.py``, drivers and measures in ``advice.py``.
"""

from __future__ import annotations

from riskreport.domain.hazards.base import Hazard, Names
from riskreport.domain.hazards.coastal_flood import advice, inputs, model
from riskreport.domain.hazards.flood_family import FAMILY, INTENSITY_LABELS

HAZARD: Hazard[inputs.CoastalInputs] = Hazard(
    key=inputs.KEY,
    kind="acute",
    names=Names(
        "Coastal flood and sea-level rise", "해안 침수·해수면 상승", "coastal flood", "해안 침수"
    ),
    derive=inputs.derive,
    model=model.coastal_flood,
    report_inputs=inputs.report_block,
    drivers=advice.drivers,
    driver_texts=advice.DRIVER_TEXTS,
    measures=advice.MEASURES,
    intensity_labels={
        "sea_level_rise_m": ("sea-level rise", "해수면 상승"),
        **INTENSITY_LABELS,
    },
    overrides=inputs.OVERRIDES,
    family=FAMILY,
    map_prefix="inuncoast",
    storm=True,
)
