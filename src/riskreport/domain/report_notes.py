"""Notes of the report: the assumptions it used and the sentences beside its totals."""

from __future__ import annotations

from typing import Any

from riskreport.domain.building import BUILDING_FIELDS
from riskreport.domain.quantity import Provenance
from riskreport.domain.report_inputs import ReportInputs
from riskreport.domain.report_tree import Note, Text

FLOOD_NOTE = Text(
    "River, urban and coastal flooding can strike the same building in one event, so their "
    "losses are not added: the flood-family loss takes, at each return period, the largest of "
    "the three, and total_eal counts the flood family once.",
    "하천·도시·해안 침수는 한 사건에서 같은 건물을 함께 덮칠 수 있어 손실을 더하지 않습니다. "
    "재현기간마다 셋 중 가장 큰 손실을 침수 전체의 손실로 보고, total_eal에는 한 번만 넣었습니다.",
)
STORM_NOTE = Text(
    "A typhoon brings its wind and its flood in the same storm, so typhoon and flood losses are "
    "not added either: at each return period total_eal takes the larger of the typhoon's loss "
    "and the flood family's, then adds the other acute hazards (wildfire).",
    "태풍은 바람과 침수를 한 폭풍에서 함께 가져오므로 태풍 손실과 침수 손실도 더하지 않습니다. "
    "total_eal은 재현기간마다 태풍 손실과 침수 전체 손실 중 큰 쪽을 택한 뒤 산불 같은 다른 급성 "
    "재해의 손실을 더한 값입니다.",
)
CONTENTS_IN = Text(
    "Damage applies to the replacement value and the contents value you gave.",
    "피해율은 재조달 가액과 입력한 내부 자산 가액에 적용했습니다.",
)
CONTENTS_APART = Text(
    "Damage applies to the building's replacement value only. No contents value was given, so "
    "contents_eal shows the loss on an estimated contents value separately; it is not in "
    "total_eal.",
    "피해율은 건물의 재조달 가액에만 적용했습니다. 내부 자산 가액이 없어 추정한 내부 자산의 "
    "손실은 contents_eal에 따로 보였으며 total_eal에는 넣지 않았습니다.",
)
_NOTES = {
    "regional-anchors": (
        "Hazard intensities come from regional anchors (heat and cold days, typhoon wind, flood "
        "depths, wildfire probabilities, water stress) chosen by the riskreport developers, not "
        "from a site study; docs/model.md gives each one and its reasoning.",
        "폭염·한파 일수, 태풍 풍속, 침수심, 산불 확률, 물 스트레스는 현장 조사값이 아니라 "
        "riskreport가 정한 지역별 기준값에서 나왔습니다. 근거는 docs/model.md에 있습니다.",
    ),
    "flood-depths": (
        "Flood depths assume an average site in its district; a local flood map or study can "
        "replace them through analysis_params.overrides.",
        "침수심은 그 지역의 평균적인 위치를 가정했습니다. 지역 침수 지도나 조사 결과가 있으면 "
        "analysis_params.overrides로 바꿀 수 있습니다.",
    ),
}


def assumptions_list(inputs: ReportInputs) -> tuple[Note, ...]:
    """Human-readable notes for every default the report used."""
    notes: list[Note] = []
    b, a = inputs.building, inputs.asset
    fields: list[tuple[str, Any]] = [(n, getattr(b, n)) for n in BUILDING_FIELDS] + [
        (n, getattr(a, n))
        for n in (
            "replacement_value_krw",
            "contents_value_krw",
            "annual_revenue_krw",
            "insured_fraction",
        )
    ]
    for name, item in fields:
        if item.provenance is Provenance.ASSUMPTION:
            shown = item.value if isinstance(item.value, str) else f"{item.value:,.6g} {item.unit}"
            notes.append(
                Note(
                    f"default.{name}",
                    f"{name} was not given; assumed {shown}.",
                    f"{name} 값이 없어 {shown}(으)로 가정했습니다.",
                )
            )
    for name in ("ground_elevation_m", "distance_to_river_m", "distance_to_forest_m"):
        if f"site.{name}" not in inputs.input_provenance:
            notes.append(
                Note(
                    f"estimate.{name}",
                    f"{name} was not given; estimated from the location.",
                    f"{name} 값이 없어 위치로부터 추정했습니다.",
                )
            )
    for key, (en, ko) in _NOTES.items():
        notes.append(Note(key, en, ko))
    return tuple(notes)
