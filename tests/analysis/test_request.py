"""Request validation: clear errors naming the field; conversion to domain values."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from riskreport.analysis.pipeline import analyze
from riskreport.analysis.request import BuildingInfo, ReportRequest
from riskreport.domain.lean_json import expand
from riskreport.domain.quantity import Provenance

POINT = {"lat": 37.5665, "lon": 126.978}


def _loc(body: dict[str, Any]) -> list[tuple[Any, ...]]:
    with pytest.raises(ValidationError) as info:
        ReportRequest.model_validate(body)
    return [tuple(e["loc"]) for e in info.value.errors()]


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"target_location": {"lat": 95, "lon": 127}}, ("target_location", "lat")),
        ({"target_location": {"lat": 45.0, "lon": 127}}, ("target_location", "lat")),
        ({"target_location": {"lat": 36.0, "lon": 124.6}}, ("target_location", "lon")),
        ({"target_location": {"address": "Tokyo, Japan"}}, ("target_location", "address")),
        ({"target_location": {"address": "중구"}}, ("target_location", "address")),
        (
            {"target_location": POINT, "analysis_params": {"scenarios": ["SSP2-4.5", "RCP8.5"]}},
            ("analysis_params", "scenarios", 1),
        ),
        (
            {"target_location": POINT, "analysis_params": {"horizons": [2050, 1800]}},
            ("analysis_params", "horizons", 1),
        ),
        (
            {"target_location": POINT, "asset_info": {"replacement_value_krw": -1}},
            ("asset_info", "replacement_value_krw"),
        ),
        (
            {"target_location": POINT, "building_info": {"structure": "straw"}},
            ("building_info", "structure"),
        ),
        (
            {"target_location": POINT, "analysis_params": {"hazards": ["earthquake"]}},
            ("analysis_params", "hazards", 0),
        ),
        (
            {
                "target_location": POINT,
                "analysis_params": {"overrides": {"river_flood": {"depth_m": {"100": -1}}}},
            },
            ("analysis_params", "overrides", "river_flood", "depth_m"),
        ),
        ({"target_location": POINT, "colour": "red"}, ("colour",)),
        ({"target_location": POINT, "language": "fr"}, ("language",)),
    ],
)
def test_bad_input_names_the_field(body: dict[str, Any], loc: tuple[Any, ...]) -> None:
    assert loc in _loc(body)


def test_location_needs_one_kind() -> None:
    assert ("target_location",) in _loc({"target_location": {"lat": 37.5}})
    assert ("target_location",) in _loc(
        {"target_location": {**POINT, "address": "서울특별시 중구"}}
    )


def test_defaults_and_domain_conversion() -> None:
    r = ReportRequest.model_validate(
        {
            "target_location": {"address": "강원특별자치도 홍천군"},
            "building_info": {"structure": "wood", "floors_above": 1},
            "analysis_params": {"horizons": ["baseline", 2100, 2050, 2050]},
        }
    )
    a = r.to_domain()
    assert a.scenarios == ("SSP2-4.5", "SSP5-8.5")
    assert a.horizons == (2050, 2100)
    assert len(a.hazards) == 9
    assert a.language == "ko"
    assert a.location.resolution == "municipality_point"
    assert a.location.lat.provenance is Provenance.DATA
    assert a.building.structure.provenance is Provenance.USER_INPUT
    assert a.building.use.provenance is Provenance.ASSUMPTION
    assert a.asset.replacement_value_krw.provenance is Provenance.ASSUMPTION


def test_overrides_to_domain() -> None:
    r = ReportRequest.model_validate(
        {
            "target_location": POINT,
            "analysis_params": {
                "overrides": {
                    "river_flood": {"depth_m": {"100": 1.2, "10": 0.1}, "protection_rp": 80},
                    "heat_wave": {"heat_days": 15},
                },
                "narrative": "llm",
            },
        }
    )
    o = r.to_domain().overrides
    assert o["river_flood"] == {"depth_m": ((10.0, 0.1), (100.0, 1.2)), "protection_rp": 80.0}
    assert o["heat_wave"] == {"heat_days": 15.0}
    assert r.to_domain().narrative == "llm"


def test_schema_has_example() -> None:
    schema = ReportRequest.model_json_schema()
    assert schema["examples"][0]["target_location"]["address"].startswith("서울")
    ReportRequest.model_validate(schema["examples"][0])


def test_request_enums_match_the_domain() -> None:
    from typing import get_args

    from riskreport.analysis.request import AnalysisParams, HazardKey, Scenario
    from riskreport.domain.hazards.registry import HAZARDS
    from riskreport.domain.scenarios import DEFAULT_HORIZONS, DEFAULT_SCENARIOS, SCENARIOS

    assert get_args(HazardKey) == HAZARDS
    assert get_args(Scenario) == SCENARIOS
    params = AnalysisParams()
    assert tuple(params.scenarios) == DEFAULT_SCENARIOS
    assert tuple(params.horizons) == DEFAULT_HORIZONS
    assert tuple(params.hazards) == HAZARDS


def test_a_site_is_placed_once_for_validation_and_domain() -> None:
    """Validation's boundary lookup is the one ``to_domain`` uses (one polygon lookup)."""
    from riskreport.analysis.location import point_areas

    # A point no other test uses, so the first lookup is a miss whatever ran before.
    body = {"target_location": {"lat": 36.35123, "lon": 127.38456}}
    before = point_areas.cache_info()
    request = ReportRequest.model_validate(body)
    after_validation = point_areas.cache_info()
    location = request.to_domain().location
    after_domain = point_areas.cache_info()
    assert after_validation.misses == before.misses + 1
    assert after_domain.misses == after_validation.misses
    assert after_domain.hits == after_validation.hits + 1
    assert location.muni_code != 0


@pytest.mark.parametrize(
    ("lat", "lon"),
    [(33.118, 126.267), (34.81, 126.39), (37.5665, 126.978)],  # Marado, Mokpo, Seoul
)
def test_the_site_facts_a_report_shows_can_be_sent_back_as_given(lat: float, lon: float) -> None:
    # Marado reads 297 km from a mapped river; the request refused more than 100 km, so a user
    # who copied the report's own figure into building_info got a 422.
    location = {"lat": lat, "lon": lon}
    report = expand(analyze(target_location=location, language="en"))
    facts = {k: q["value"] for k, q in report["site"].items() if k in BuildingInfo.model_fields}
    assert "distance_to_river_m" in facts
    again = expand(analyze(target_location=location, building_info=facts, language="en"))
    for name, value in facts.items():
        assert again["site"][name]["value"] == pytest.approx(value)
        assert again["site"][name]["provenance"] == Provenance.USER_INPUT.value
