"""Notes of the report: the assumptions it used and the sentences beside its totals."""

from __future__ import annotations

from typing import Any

from riskreport.domain.building import BUILDING_FIELDS, REVENUE_SHARE
from riskreport.domain.hazards.registry import FLOOD_FAMILY, REGISTRY
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
# Without the user's ground elevation two defaults serve, each where it is least wrong, and the
# report shows each beside its hazard rather than one number as the site's.
GROUND_UNKNOWN = Text(
    "ground_elevation_m was not given, so no ground elevation is shown as the site's. Heat and "
    "cold days are read at the lowest ETOPO5 ground nearby; coastal flood compares the sea "
    "with a waterfront default, the nearest tide station's annual highest tide plus 1 m, "
    "rising 10 m per km inland up to 150 m. Each hazard's inputs in the JSON report give the "
    "height it used. Give ground_elevation_m for all of them to use the site's own.",
    "ground_elevation_m이 입력되지 않아 부지의 지반고로 보인 값은 없습니다. 폭염·한파 일수는 "
    "주변 ETOPO5 격자 중 가장 낮은 지반고에서 읽었고, 해안 침수는 가장 가까운 조위 관측소의 "
    "연 최고 조위에 1 m를 더하고 내륙으로 1 km마다 10 m씩 높인(최대 150 m) 해안 기본값과 "
    "해수위를 비교했습니다. 재해별로 쓴 지반고는 JSON 보고서의 각 재해 inputs에 있습니다. "
    "ground_elevation_m을 입력하면 모든 재해가 그 값을 씁니다.",
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
# General notes, in every report. They say where the intensities come from: a professional reader
# must not take the packaged tables for a site survey, nor for numbers made up.
_NOTES = {
    "hazard-data": (
        "Hazard intensities are estimated for the site from packaged tables built from "
        "observations: heat and cold days from ERA5 city series calibrated to the KMA Seoul "
        "station, extreme daily rain from the same series brought to station level with KMA "
        "records (Seoul's daily series; the heavy-rain normals of Seogwipo, Changwon and Daegu "
        "in the National Atlas of Korea), typhoon wind from JTWC best tracks, extreme sea "
        "levels from KHOA tide tables and published surge analyses with IPCC AR6 sea-level "
        "rise adjusted by Korean tide gauges, wildfire from VIIRS detections of spreading "
        "fires (industrial heat sources and lone field burns left out) calibrated on Korea "
        "Forest Service burnt area. Water stress and drought are provincial values "
        "set by the riskreport developers, and flood defence standards (levees, seawalls, "
        "sewers) follow the district's urban class. This is not a site survey; docs/model.md "
        "and docs/data/ give each source, method and limit.",
        "재해 강도는 관측 자료로 만든 내장 표에서 이 위치에 맞게 추정했습니다. 폭염·한파 "
        "일수는 기상청 서울 관측소에 맞춘 ERA5 도시 자료, 극한 일강수량은 같은 자료를 기상청 "
        "관측값(서울의 일별 자료, 국가지도집에 실린 서귀포·창원·대구의 호우 일수 평년값)으로 "
        "관측소 수준에 맞춘 값, 태풍 풍속은 JTWC 최적 경로, 극한 해수위는 국립해양조사원 "
        "조석표와 발표된 해일 분석에 국내 조위 관측소로 보정한 IPCC AR6 해수면 상승을 더한 값, "
        "산불은 산림청 피해 면적으로 보정한 VIIRS 화재 탐지(산업 열원과 홀로 탐지된 논밭 "
        "소각은 제외하고 번지는 불만)에서 나왔습니다. 물 스트레스와 "
        "가뭄은 riskreport가 정한 시·도별 값이고, 제방·방조제·하수도의 방어 기준은 지역의 도시 "
        "유형을 따릅니다. 현장 조사값은 아니며, 각 자료의 출처·방법·한계는 docs/model.md와 "
        "docs/data/에 있습니다.",
    ),
    "flood-depths": (
        "Where no flood map or override was given (each hazard's hazard_data says), flood depths "
        "are modelled, not mapped: river flood from the distance to the nearest major river, "
        "urban flood from the rain the district's sewers cannot take, coastal flood from the "
        "ground elevation against extreme sea levels. A local flood map or study can replace them "
        "(RISKREPORT_HAZARD_MAPS or analysis_params.overrides).",
        "침수 지도나 직접 입력한 값이 없으면(재해별 hazard_data에 표시) 침수심은 지도가 아니라 "
        "모형으로 추정했습니다. 하천 침수는 가장 가까운 주요 하천까지의 거리, 도시 침수는 지역 "
        "하수도가 감당하지 못하는 강우, 해안 침수는 극한 해수위에 대한 지반고로 계산합니다. 지역 "
        "침수 지도나 조사 결과가 있으면 그것으로 바꿀 수 있습니다(RISKREPORT_HAZARD_MAPS 또는 "
        "analysis_params.overrides).",
    ),
}


def _imputed_revenue(share: float) -> Note:
    pct = f"{share * 100:.3g}%"
    return Note(
        "imputed.annual_revenue_krw",
        "annual_revenue_krw was given as 0. Drought and water stress cost a share of what the "
        "building's use produces, and chronic hazards are scored on costs against it, so the "
        f"output such a building produces was used instead: {pct} of the replacement value a "
        "year (for housing, the imputed rent; docs/model.md). Give the rent or output the "
        "building supports to replace it.",
        "annual_revenue_krw가 0으로 입력되었습니다. 가뭄과 물 스트레스 비용은 건물의 용도가 만드는 "
        "산출의 일부로 계산하고 만성 재해 점수도 그에 대한 비용 비율로 매기므로, 이런 건물이 "
        f"만드는 산출인 재조달 가액의 연 {pct}(주거는 귀속 임대료, docs/model.md)를 대신 "
        "사용했습니다. 건물이 실제로 만드는 임대료나 산출을 입력하면 그 값으로 바뀝니다.",
    )


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
        if name == "annual_revenue_krw" and a.revenue_imputed:
            notes.append(_imputed_revenue(REVENUE_SHARE[b.use_enum]))
        elif item.provenance is Provenance.ASSUMPTION:
            shown = item.value if isinstance(item.value, str) else f"{item.value:,.6g} {item.unit}"
            notes.append(
                Note(
                    f"default.{name}",
                    f"{name} was not given; assumed {shown}.",
                    f"{name} 값이 없어 {shown}(으)로 가정했습니다.",
                )
            )
    if "site.ground_elevation_m" not in inputs.input_provenance:
        notes.append(Note("estimate.ground_elevation_m", GROUND_UNKNOWN.en, GROUND_UNKNOWN.ko))
    if "site.distance_to_river_m" not in inputs.input_provenance:
        notes.append(
            Note(
                "estimate.distance_to_river_m",
                "distance_to_river_m was not given; estimated from the location.",
                "distance_to_river_m 값이 없어 위치로부터 추정했습니다.",
            )
        )
    for hazard in REGISTRY:
        if hazard.key in inputs.hazards:
            notes += [
                Note(f"{n.prefix}.{n.fact}", n.en, n.ko)
                for n in hazard.site_notes
                if f"site.{n.fact}" not in inputs.input_provenance
            ]
    floods = not set(FLOOD_FAMILY).isdisjoint(inputs.hazards)
    for key, (en, ko) in _NOTES.items():
        if key == "flood-depths" and not floods:
            continue
        notes.append(Note(key, en, ko))
    return tuple(notes)
