"""Where each hazard's intensity came from: the built-in model or hazard maps (their files).

The report's ``hazards[].hazard_data`` and, with maps, each case's ``hazard_data``
(docs/report-schema.md, docs/hazard-maps.md).
"""

from __future__ import annotations

from typing import Any

from riskreport.domain.hazards.base import HazardArrays
from riskreport.domain.hazards.flood_maps import MapCurves

# Where a case's hazard intensity came from, when hazard maps were given (flood_maps codes).
CASE_DATA = ("built_in_model", "hazard_maps", "hazard_maps_interpolated")


def hazard_data(h: HazardArrays, requested: int | None = None) -> dict[str, Any]:
    """Which source gave the hazard's intensity: hazard maps (their files) or the built-in model.

    ``requested``: the cases the report shows (the first ones), for the count in the note.

    >>> import numpy as np
    >>> h = HazardArrays("x", "acute", np.zeros((1, 1)), np.zeros((1, 1)), None, {}, "k")
    >>> hazard_data(h)["used"]
    'built_in_model'
    """
    maps = getattr(h.inputs, "maps", None)
    codes = [] if h.map_cases is None else [int(v) for v in h.map_cases[0][:requested]]
    n_map = sum(1 for v in codes if v)
    if not isinstance(maps, MapCurves):
        return {"used": "built_in_model", "maps_source": None, "files": []}
    if n_map == 0:
        return {
            "used": "built_in_model",
            "maps_source": None,
            "files": [],
            "note_en": "Hazard maps were given, but none covers this site for these cases: "
            "the built-in model answered.",
            "note_ko": "재해 지도가 주어졌지만 이 위치와 시나리오를 덮는 지도가 없어 내장 모델로 "
            "계산했습니다.",
        }
    return {
        "used": "hazard_maps",
        "maps_source": maps.source,
        "files": list(maps.files),
        "note_en": f"Flood depths from hazard maps in {n_map} of {len(codes)} cases (undefended "
        "maps; the model's flood defences still apply); the other cases from the built-in model.",
        "note_ko": f"{len(codes)}개 경우 중 {n_map}개의 침수 깊이는 재해 지도에서 읽었습니다"
        "(방재시설이 없는 지도이므로 모델의 방재 기준은 그대로 적용). 나머지는 내장 모델입니다.",
    }
