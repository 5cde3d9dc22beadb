"""The lean JSON form: lossless, smaller, and every number resolves to its metadata."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from bench.report_size import BODY

from riskreport.analysis.pipeline import assess
from riskreport.analysis.request import ReportRequest
from riskreport.domain.lean_json import KINDS, LEVELS, compact, expand, figures
from riskreport.domain.quantity import Provenance


@cache
def _verbose() -> dict[str, Any]:
    request = ReportRequest.model_validate(BODY)  # the report of the schema's size table
    return assess(request).as_verbose_dict()


def _size(report: Any) -> int:
    return len(json.dumps(report, ensure_ascii=False).encode())


def test_expand_restores_the_verbose_report() -> None:
    verbose = _verbose()
    assert expand(compact(verbose)) == verbose


def test_every_number_resolves_to_unit_provenance_and_a_listed_source() -> None:
    lean = compact(_verbose())
    keys = {s["key"] for s in lean["sources"]}
    found = figures(lean)
    # As many figures as the verbose form holds quantity objects.
    assert len(found) == json.dumps(_verbose()).count('"unit": ')
    for _, meta in found:
        assert meta["unit"]
        assert meta["provenance"] in set(Provenance)
        assert meta["source"] in keys
    assert set(lean[KINDS]) == {f"q{i}" for i in range(len(lean[KINDS]))}


def test_lean_form_is_much_smaller_than_the_verbose_one() -> None:
    verbose = _verbose()
    # Measured 2.54x on the numbers alone (no narrative); 2.3 leaves room for new fields.
    assert _size(verbose) / _size(compact(verbose)) > 2.3


def _figure(value: float, unit: str = "KRW", source: str = "jrc-huizinga-2017") -> dict[str, Any]:
    return {"value": value, "unit": unit, "provenance": "derived", "source": source}


def _case(scenario: str, eal: Any, score: int, level: str = "low") -> dict[str, Any]:
    return {
        "scenario": scenario,
        "horizon": 2050 if scenario != "baseline" else "baseline",
        "eal": eal,
        "score": _figure(score, "score", "riskreport-scoring"),
        "level_en": level,
        "level_ko": level.upper(),
        "drivers": [],
    }


def _one_hazard(*cases: dict[str, Any]) -> dict[str, Any]:
    hazard = {"hazard": "urban_flood", "baseline": cases[0], "results": list(cases[1:])}
    return {"schema_version": "2", "hazards": [hazard], "sources": []}


def test_a_result_figure_is_bare_only_where_the_case_before_has_its_kind() -> None:
    report = _one_hazard(
        _case("baseline", None, 1),
        _case("SSP2-4.5", _figure(10.0), 2),  # no eal before it: keeps its kind
        _case("SSP5-8.5", _figure(20.0), 2),  # the same kind as the case before: bare
        _case("SSP1-2.6", _figure(30.0, source="emanuel-2011"), 2),  # another source: its own
    )
    lean = compact(report)
    first, second, third = lean["hazards"][0]["results"]
    assert first["eal"] == [10.0, first["eal"][1]]
    assert second["eal"] == 20.0
    assert third["eal"][0] == 30.0
    assert lean[KINDS][third["eal"][1]]["source"] == "emanuel-2011"
    assert second["score"] == 2
    assert expand(lean) == report


def test_a_plain_number_where_the_case_before_has_a_figure_is_refused() -> None:
    report = _one_hazard(_case("baseline", _figure(1.0), 1), _case("SSP2-4.5", 5.0, 1))
    with pytest.raises(ValueError, match="plain number"):
        compact(report)


def test_score_words_are_said_once_unless_a_score_is_worded_two_ways() -> None:
    same = _one_hazard(_case("baseline", _figure(1.0), 2), _case("SSP2-4.5", _figure(2.0), 2))
    lean = compact(same)
    assert lean[LEVELS] == {"2": {"en": "low", "ko": "LOW"}}
    assert "level_en" not in lean["hazards"][0]["baseline"]
    assert json.dumps(expand(lean)) == json.dumps(same)  # the words back in their place
    two_ways = _one_hazard(
        _case("baseline", _figure(1.0), 2), _case("SSP2-4.5", _figure(2.0), 2, "medium")
    )
    kept = compact(two_ways)
    assert LEVELS not in kept
    assert kept["hazards"][0]["results"][0]["level_en"] == "medium"
    assert expand(kept) == two_ways
