"""River flood: fluvial depth behind levees, JRC building damage (acute; flood family).

Inputs in ``inputs.py``, losses by case in ``model.py``, drivers and measures in ``advice.py``.
"""

from __future__ import annotations

from riskreport.domain.hazards.base import Hazard, Names
from riskreport.domain.hazards.flood_family import FAMILY
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
        "depth_100yr_m": (
            "100-year flood depth without defences",
            "100년 빈도 침수 깊이(방재시설 없을 때)",
        ),
        # The defence holds what it was built for: today's climate's level of that period.
        "protection_rp": (
            "flood defence standard (today's climate)",
            "방재시설 설계 빈도(현재 기후 기준)",
        ),
        "frequency_multiplier": ("frequency multiplier", "발생 빈도 배수"),
    },
    overrides=inputs.OVERRIDES,
    family=FAMILY,
    map_prefix="inunriver",
    storm=True,
)
