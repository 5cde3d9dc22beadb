"""End to end through ``analyze``: three buildings, provenance everywhere, determinism."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from pydantic import ValidationError

import riskreport
from riskreport.analysis.narrative import TemplateWriter, Unlimited
from riskreport.analysis.pipeline import analyze as lean_analyze
from riskreport.analysis.pipeline import compute as lean_compute
from riskreport.analysis.request import ReportRequest
from riskreport.domain.hazards.registry import HAZARDS
from riskreport.domain.lean_json import expand
from riskreport.domain.quantity import Provenance


def analyze(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """``analyze`` in the verbose form (every figure a quantity object), as read here."""
    return expand(lean_analyze(*args, **kwargs))


def compute(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """``compute`` in the verbose form (every figure a quantity object), as read here."""
    return expand(lean_compute(*args, **kwargs))


PROVENANCES = {p.value for p in Provenance}
SEOUL_OFFICE: dict[str, Any] = {
    "target_location": {"address": "서울특별시 중구 세종대로 110"},
    "building_info": {
        "structure": "reinforced_concrete",
        "year_built": 1998,
        "floors_above": 12,
        "floors_below": 2,
        "use": "office",
        "floor_area_m2": 15000,
    },
    "asset_info": {"replacement_value_krw": 30e9, "annual_revenue_krw": 3e9},
}
BUSAN_WAREHOUSE: dict[str, Any] = {
    "target_location": {"address": "부산광역시 해운대구 우동 1406"},
    "building_info": {
        "structure": "steel",
        "year_built": 2008,
        "floors_above": 1,
        "floors_below": 1,
        "use": "logistics",
        "floor_area_m2": 5000,
        "ground_elevation_m": 2.5,
        "distance_to_coast_m": 80,
    },
    "asset_info": {"replacement_value_krw": 6e9},
}
GANGWON_HOUSE: dict[str, Any] = {
    "target_location": {"address": "강원특별자치도 홍천군 서석면"},
    "building_info": {
        "structure": "wood",
        "year_built": 1985,
        "floors_above": 1,
        "floors_below": 0,
        "use": "residential",
        "floor_area_m2": 110,
        "distance_to_forest_m": 20,
    },
    "asset_info": {"replacement_value_krw": 3e8},
}


@cache
def _report(name: str) -> str:
    body = {"SEOUL": SEOUL_OFFICE, "BUSAN": BUSAN_WAREHOUSE, "GANGWON": GANGWON_HOUSE}[name]
    return json.dumps(analyze(**body, language="en"), ensure_ascii=False, sort_keys=True)


def report(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(_report(name))
    return result


def test_seoul_office_dominated_by_urban_flood_and_heat() -> None:
    r = report("SEOUL")
    assert r["summary"]["dominant_hazards"][:2] == ["urban_flood", "heat_wave"]
    urban = next(h for h in r["hazards"] if h["hazard"] == "urban_flood")
    keys = {d["key"] for d in urban["results"][-1]["drivers"]}
    assert {"basement", "dense_urban"} <= keys


def test_busan_warehouse_dominated_by_coastal_flood_typhoon_above_seoul() -> None:
    r = report("BUSAN")
    dominant = r["summary"]["dominant_hazards"]
    # Still-water levels from the tide stations (docs/data/coast.md): at 2.5 m above the sea the
    # warehouse floods from about the 900-year level today, and ever more often as the sea rises;
    # its basement keeps urban flood first.
    assert "coastal_flood" in dominant[:3]
    # With the calibrated North-West Pacific damage function (v_half 135.6 m/s) wind damage to
    # a steel warehouse is modest, but the sea front of Haeundae scores above central Seoul.
    scores = r["summary"]["hazard_scores"]
    assert (
        scores["typhoon"]["value"] > report("SEOUL")["summary"]["hazard_scores"]["typhoon"]["value"]
    )
    coastal = next(h for h in r["hazards"] if h["hazard"] == "coastal_flood")
    typhoon = next(h for h in r["hazards"] if h["hazard"] == "typhoon")
    # By 2100 under SSP5-8.5 the rising sea makes coastal flood outweigh the typhoon's wind.
    assert coastal["results"][-1]["eal"]["value"] > typhoon["results"][-1]["eal"]["value"]
    assert coastal["results"][0]["eal"]["value"] < coastal["results"][-1]["eal"]["value"]
    keys = {d["key"] for d in coastal["results"][-1]["drivers"]}
    assert {"near_coast", "sea_level_rise", "basement"} <= keys


def test_gangwon_house_dominated_by_heat_and_cold_not_fire() -> None:
    """Hongcheon's representative point (361 m): the satellite record holds no vegetation fire
    within 10 km and 21 within 25 km in 2020-2023 (Seoul: 20 and 141), so wildfire stays minor
    even with forest 20 m away; the user's forest distance is applied and tagged as theirs."""
    r = report("GANGWON")
    assert set(r["summary"]["dominant_hazards"][:2]) == {"heat_wave", "cold_wave"}
    fire = next(h for h in r["hazards"] if h["hazard"] == "wildfire")
    keys = {d["key"] for d in fire["results"][-1]["drivers"]}
    assert {"near_forest", "flammable_structure"} <= keys
    assert "fire_prone_region" not in keys
    assert fire["inputs"]["forest_factor"]["provenance"] == "user_input"
    assert fire["inputs"]["forest_factor"]["value"] > 1.0


def test_the_distance_to_forest_is_a_fact_only_where_the_user_gave_it() -> None:
    """Nothing packaged estimates it: a report without it shows no distance it did not use, and
    says instead that wildfire took the landscape's burn probability (a note, both languages)."""
    given = report("GANGWON")
    assert given["site"]["distance_to_forest_m"]["provenance"] == "user_input"
    assert "unknown.distance_to_forest_m" not in {n["key"] for n in given["assumptions"]}

    seoul = report("SEOUL")
    assert "distance_to_forest_m" not in seoul["site"]
    notes = {n["key"]: n for n in seoul["assumptions"]}
    note = notes["unknown.distance_to_forest_m"]
    assert "landscape" in note["text_en"]
    assert "경관" in note["text_ko"]
    fire = next(h for h in seoul["hazards"] if h["hazard"] == "wildfire")
    assert fire["inputs"]["forest_factor"]["value"] == 1.0
    assert fire["inputs"]["forest_factor"]["provenance"] == "assumption"

    # Without wildfire among the hazards, nothing is said of the forest.
    alone = analyze(**SEOUL_OFFICE, analysis_params={"hazards": ["heat_wave"]}, language="en")
    assert "unknown.distance_to_forest_m" not in {n["key"] for n in alone["assumptions"]}


def test_a_river_the_network_lacks_is_said_to_be_missing_not_safe() -> None:
    """Naju stands on the Yeongsan, a national river WDBII does not draw: its river flood reads 0
    for want of data, and the report says the network's gap beside that 0 (both languages)."""
    naju = analyze(target_location={"lat": 35.03, "lon": 126.71}, language="en")
    assert naju["site"]["distance_to_river_m"]["value"] > 50_000  # the Han/Geum/Nakdong lines
    river = next(h for h in naju["hazards"] if h["hazard"] == "river_flood")
    assert river["baseline"]["eal"]["value"] == 0
    note = {n["key"]: n for n in naju["assumptions"]}["limit.distance_to_river_m"]
    assert "Yeongsan" in note["text_en"]
    assert "not evidence of safety" in note["text_en"]
    assert "영산강" in note["text_ko"]
    assert "WDBII" in TemplateWriter().write(naju, Unlimited()).sections["assumptions"]

    # A distance the user gave is the user's, and no gap is claimed for it.
    given = analyze(
        target_location={"lat": 35.03, "lon": 126.71},
        analysis_params={"hazards": ["river_flood"]},
        building_info={"distance_to_river_m": 150},
        language="en",
    )
    assert "limit.distance_to_river_m" not in {n["key"] for n in given["assumptions"]}
    river = next(h for h in given["hazards"] if h["hazard"] == "river_flood")
    assert river["baseline"]["eal"]["value"] > 0
    # Without river flood among the hazards, nothing is said of the network.
    alone = analyze(
        target_location={"lat": 35.03, "lon": 126.71}, analysis_params={"hazards": ["heat_wave"]}
    )
    assert "limit.distance_to_river_m" not in {n["key"] for n in alone["assumptions"]}


def test_drought_and_wildfire_give_their_own_reasons() -> None:
    """A drier climate is a reason for both, in their own words: drought's never speaks of fire
    weather, and a fire-prone landscape is said as observed, not as one region's winds."""
    seoul = report("SEOUL")
    drought = next(h for h in seoul["hazards"] if h["hazard"] == "drought")
    texts = {d["key"]: d["text_en"] for d in drought["results"][-1]["drivers"]}
    assert "more_droughts" in texts
    assert "fire" not in " ".join(texts.values()).lower()
    fire = next(h for h in seoul["hazards"] if h["hazard"] == "wildfire")
    assert "drier_climate" in {d["key"] for d in fire["results"][-1]["drivers"]}

    # Uljin's hills, where the 2022 fire started: fire-prone by the satellite record.
    uljin = analyze(target_location={"lat": 37.08, "lon": 129.35}, language="en")
    fire = next(h for h in uljin["hazards"] if h["hazard"] == "wildfire")
    prone = next(d for d in fire["results"][0]["drivers"] if d["key"] == "fire_prone_region")
    assert "satellite" in prone["text_en"]
    assert "foehn" not in prone["text_en"]


def test_dominant_hazards_differ() -> None:
    tops = {
        tuple(report(n)["summary"]["dominant_hazards"][:2]) for n in ("SEOUL", "BUSAN", "GANGWON")
    }
    assert len(tops) == 3


def _walk(node: Any, path: str, keys: set[str], bad: list[str]) -> None:
    if isinstance(node, dict):
        if "provenance" in node:
            if node.get("provenance") not in PROVENANCES or not isinstance(node.get("source"), str):
                bad.append(f"{path}: bad provenance/source")
            keys.add(node["source"])
            if "unit" in node:
                v = node.get("value")
                if isinstance(v, bool) or not isinstance(v, int | float):
                    bad.append(f"{path}: quantity without a number")
            return
        for k, v in node.items():
            if (path == "" and k == "parameters") or (path == ".location" and k == "input"):
                continue  # echoes of the request
            if k == "horizon" and (isinstance(v, int) or v == "baseline"):
                continue  # a label, not a measured number
            _walk(v, f"{path}.{k}", keys, bad)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            _walk(v, f"{path}[{i}]", keys, bad)
    elif isinstance(node, int | float) and not isinstance(node, bool):
        bad.append(f"{path}: bare number {node}")


@pytest.mark.parametrize("name", ["SEOUL", "BUSAN", "GANGWON"])
def test_every_number_has_provenance_and_a_resolvable_source(name: str) -> None:
    r = report(name)
    keys: set[str] = set()
    bad: list[str] = []
    _walk(r, "", keys, bad)
    assert bad == []
    cited = {s["key"] for s in r["sources"]}
    assert keys <= cited
    assert all(s["citation"] for s in r["sources"])


def test_report_shape() -> None:
    r = report("SEOUL")
    assert [h["hazard"] for h in r["hazards"]] == list(HAZARDS)
    assert r["location"]["resolution"] == "municipality_point"
    assert r["location"]["matched"]["code"] == "11020"
    urban = next(h for h in r["hazards"] if h["hazard"] == "urban_flood")
    assert len(urban["results"]) == 6
    assert urban["baseline"]["horizon"] == "baseline"
    assert set(urban["results"][0]["return_period_losses"]) == {"10", "50", "100", "250"}
    heat = r["hazards"][0]
    assert "annual_cost" in heat["results"][0]
    assert "eal" not in heat["results"][0]
    assert r["summary"]["overall_grade"] in "ABCDE"
    assert set(r["summary"]["total_eal"]) == {"baseline", "SSP2-4.5", "SSP5-8.5"}
    assert r["recommendations"]
    assert all(rec["reduces"] for rec in r["recommendations"])
    assert r["building"]["use"]["provenance"] == "user_input"
    assert r["asset"]["contents_value_krw"]["provenance"] == "assumption"


def test_flood_family_is_not_added() -> None:
    r = report("BUSAN")
    s = r["summary"]
    floods = {h["hazard"]: h for h in r["hazards"] if h["hazard"].endswith("flood")}
    case = ("SSP5-8.5", 2100)
    family = s["flood_family"][case[0]][str(case[1])]["eal"]["value"]
    parts = [
        next(c for c in f["results"] if (c["scenario"], c["horizon"]) == case)["eal"]["value"]
        for f in floods.values()
    ]
    assert max(parts) <= family <= sum(parts) * 1.0001
    assert family < sum(parts)


def test_deterministic_and_fast_enough_to_repeat() -> None:
    req = ReportRequest.model_validate(SEOUL_OFFICE)
    assert json.dumps(compute(req), sort_keys=True) == json.dumps(compute(req), sort_keys=True)


def test_progress_is_reported_in_order() -> None:
    seen: list[tuple[float, str]] = []
    compute(ReportRequest.model_validate(GANGWON_HOUSE), progress=lambda f, s: seen.append((f, s)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions)
    assert fractions[0] == 0.0
    assert fractions[-1] == 1.0
    assert sum(1 for _, s in seen if s.startswith("hazard:")) == 9


def test_overrides_carry_user_input_and_change_results() -> None:
    base = analyze(**GANGWON_HOUSE)
    body = {
        **GANGWON_HOUSE,
        "analysis_params": {
            "overrides": {"river_flood": {"depth_m": {"2": 0.0, "100": 1.5, "1000": 3.0}}}
        },
    }
    r = analyze(**body)
    river = next(h for h in r["hazards"] if h["hazard"] == "river_flood")
    assert river["inputs"]["depth_m"]["100"] == {
        "value": 1.5,
        "unit": "m",
        "provenance": "user_input",
        "source": "user-input",
    }
    assert river["baseline"]["intensity"]["depth_100yr_m"]["provenance"] == "user_input"
    before = next(h for h in base["hazards"] if h["hazard"] == "river_flood")
    assert river["baseline"]["eal"]["value"] > before["baseline"]["eal"]["value"]


def test_coordinates_and_subset_of_hazards() -> None:
    r = analyze(
        {"lat": 35.1587, "lon": 129.1604},
        analysis_params={"hazards": ["typhoon"], "scenarios": ["SSP1-2.6"], "horizons": [2040]},
        language="ko",
    )
    assert [h["hazard"] for h in r["hazards"]] == ["typhoon"]
    assert r["location"]["resolution"] == "coordinates"
    assert r["location"]["lat"]["provenance"] == "user_input"
    assert r["summary"]["dominant_hazards"] == ["typhoon"]


def test_bad_input_raises_validation_error_naming_field() -> None:
    with pytest.raises(ValidationError, match=r"target_location\.lat"):
        analyze({"lat": 95, "lon": 127})


def test_package_exposes_api_lazily() -> None:
    assert riskreport.analyze is lean_analyze
    assert riskreport.expand is expand
    with pytest.raises(AttributeError):
        _ = riskreport.nothing_here


def test_change_pct_is_null_without_baseline_loss() -> None:
    r = report("SEOUL")
    coastal = next(h for h in r["hazards"] if h["hazard"] == "coastal_flood")
    assert coastal["baseline"]["eal"]["value"] == 0
    assert coastal["results"][0]["change_vs_baseline_pct"] is None
    assert coastal["results"][0]["change_vs_baseline_krw"]["value"] == 0


def test_flood_family_with_two_floods_takes_the_larger() -> None:
    r = analyze(
        **{**BUSAN_WAREHOUSE, "analysis_params": {"hazards": ["urban_flood", "coastal_flood"]}}
    )
    family = r["summary"]["flood_family"]["SSP5-8.5"]["2100"]["eal"]["value"]
    parts = [h["results"][-1]["eal"]["value"] for h in r["hazards"]]
    assert max(parts) <= family < sum(parts)
    assert r["summary"]["total_eal"]["SSP5-8.5"]["2100"]["value"] == family


def _notes(lat: float, lon: float, hazards: list[str] | None = None) -> set[str]:
    params = {} if hazards is None else {"hazards": hazards}
    report = lean_analyze({"lat": lat, "lon": lon}, analysis_params=params)
    return {note["key"] for note in report["assumptions"]}


def test_notes_say_where_intensities_come_from() -> None:
    seogwipo, seoul = (33.2496, 126.56), (37.5665, 126.978)
    for site in (seogwipo, seoul):
        assert {"hazard-data", "flood-depths"} <= _notes(*site)
    # No flood hazard asked for: no flood note.
    assert "flood-depths" not in _notes(*seogwipo, hazards=["heat_wave"])


def test_every_score_follows_from_the_thresholds_the_report_states() -> None:
    """``summary.score_bands`` is what the scores were made with: each case's score of each
    hazard is 1 plus the thresholds its measure exceeds (an acute hazard's, the higher of its
    1-in-100-year loss and its expected annual loss, as % of the value at risk)."""
    r = report("BUSAN")
    bands = {k: [q["value"] for q in v] for k, v in r["summary"]["score_bands"].items()}
    assert bands == {
        "acute_rp100_loss_pct_of_value": [0.1, 1, 3, 10],
        "acute_eal_pct_of_value": [0.01, 0.1, 0.3, 1],
        "chronic_cost_pct_of_revenue": [0.1, 0.5, 2, 5],
    }
    sources = {q["source"] for v in r["summary"]["score_bands"].values() for q in v}
    assert sources == {"physrisk-docs", "riskreport-assumptions"}

    def exceeded(value: float, key: str) -> int:
        return 1 + sum(1 for b in bands[key] if value > b)

    value = r["asset"]["value_at_risk_krw"]["value"]
    scores = set()
    for hazard in r["hazards"]:
        for row in [hazard["baseline"], *hazard["results"]]:
            if hazard["kind"] == "acute":
                rp100 = row["return_period_losses"]["100"]["value"] / value * 100
                expected = max(
                    exceeded(rp100, "acute_rp100_loss_pct_of_value"),
                    exceeded(row["eal_pct"]["value"], "acute_eal_pct_of_value"),
                )
            else:
                share = row["revenue_share_pct"]["value"]
                expected = exceeded(share, "chronic_cost_pct_of_revenue")
            assert row["score"]["value"] == expected, (hazard["hazard"], row["scenario"])
            scores.add(expected)
    assert len(scores) >= 3  # the check covers several bands, not one score everywhere
    # The document states them where it gives the grade.
    grade = TemplateWriter().write(r, Unlimited()).sections["grade"]
    assert "1-in-100-year loss against 0.1%, 1%, 3% and 10% of the value at risk" in grade
    assert "annual cost against 0.1%, 0.5%, 2% and 5% of revenue" in grade


def test_the_ground_elevation_is_a_site_fact_only_where_the_user_gave_it() -> None:
    """Without it heat and cold read the ETOPO5 low ground and coastal flood a waterfront
    default (150 m, its cap, 29 km inland at Gangnam): no one of them is shown as the site's, each
    hazard shows its own, and the document says why."""
    gangnam = analyze(target_location={"address": "서울특별시 강남구 역삼동"}, language="en")
    assert "ground_elevation_m" not in gangnam["site"]
    inputs = {h["hazard"]: h["inputs"] for h in gangnam["hazards"]}
    heat, coast = (
        inputs["heat_wave"]["ground_elevation_m"],
        inputs["coastal_flood"]["ground_elevation_m"],
    )
    assert heat["source"] == "etopo5"
    assert coast["value"] == 150.0
    assert heat["value"] < 100.0
    assert {heat["provenance"], coast["provenance"]} == {"assumption"}
    notes = TemplateWriter().write(gangnam, Unlimited()).sections["assumptions"]
    assert "ground_elevation_m was not given" in notes
    assert "| Ground elevation |" not in TemplateWriter().write(gangnam, Unlimited()).markdown

    busan = report("BUSAN")  # the user gave 2.5 m: every hazard uses it, and the site shows it
    assert busan["site"]["ground_elevation_m"]["value"] == 2.5
    assert busan["site"]["ground_elevation_m"]["provenance"] == "user_input"
    for hazard in ("heat_wave", "cold_wave", "coastal_flood"):
        used = next(h for h in busan["hazards"] if h["hazard"] == hazard)["inputs"]
        assert used["ground_elevation_m"]["value"] == 2.5
        assert used["ground_elevation_m"]["provenance"] == "user_input"
    assert "estimate.ground_elevation_m" not in {n["key"] for n in busan["assumptions"]}


def test_a_low_ground_is_stated_as_the_sites_only_when_the_user_gave_it() -> None:
    """Seogwipo's old town stands on a cliff; without a given height the waterfront default
    puts it low, and the driver says that this was the default, not the site's height."""
    seogwipo = analyze(target_location={"lat": 33.2476, "lon": 126.56}, language="en")
    coast = next(h for h in seogwipo["hazards"] if h["hazard"] == "coastal_flood")
    keys = {d["key"]: d for d in coast["results"][0]["drivers"]}
    assert "low_ground" not in keys
    assert "ground_elevation_m" in keys["low_ground_assumed"]["text_en"]
    assert "ground_elevation_m" in keys["low_ground_assumed"]["text_ko"]

    busan = report("BUSAN")  # 2.5 m given: the low ground is the site's
    coast = next(h for h in busan["hazards"] if h["hazard"] == "coastal_flood")
    given = {d["key"] for d in coast["results"][0]["drivers"]}
    assert "low_ground" in given
    assert "low_ground_assumed" not in given
