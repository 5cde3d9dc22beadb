"""Coastal flood and sea-level rise: storm tides over seawalls, JRC damage (acute; flood family).

Inputs in ``inputs.py``, losses by case in ``model.py``, drivers and measures in ``advice.py``.
"""

from __future__ import annotations

from riskreport.domain.hazards.base import Hazard, Names
from riskreport.domain.hazards.coastal_flood import advice, inputs, model
from riskreport.domain.hazards.flood_family import FAMILY

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
        "depth_100yr_m": (
            "100-year flood depth without defences",
            "100년 빈도 침수 깊이(방재시설 없을 때)",
        ),
        # The defence holds what it was built for: today's climate's level of that period.
        "protection_rp": (
            "flood defence standard (today's climate)",
            "방재시설 설계 빈도(현재 기후 기준)",
        ),
    },
    overrides=inputs.OVERRIDES,
    family=FAMILY,
    map_prefix="inuncoast",
    storm=True,
)
