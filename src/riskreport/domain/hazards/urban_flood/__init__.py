"""Urban (pluvial) flood: rain the sewers cannot take, JRC building damage (acute; flood family).

Inputs in ``inputs.py``, losses by case in ``model.py``, drivers and measures in ``advice.py``.
"""

from __future__ import annotations

from riskreport.domain.hazards.base import Hazard, Names
from riskreport.domain.hazards.flood_family import FAMILY
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
        "depth_100yr_m": (
            "100-year flood depth without defences",
            "100년 빈도 침수 깊이(방재시설 없을 때)",
        ),
        # The defence holds what it was built for: today's climate's level of that period.
        "protection_rp": (
            "flood defence standard (today's climate)",
            "방재시설 설계 빈도(현재 기후 기준)",
        ),
        "rain_100yr_mm": ("100-year daily rain", "100년 빈도 일강수량"),
        "frequency_multiplier": ("frequency multiplier", "발생 빈도 배수"),
    },
    overrides=inputs.OVERRIDES,
    family=FAMILY,
    storm=True,
)
