"""The lean JSON form: lossless, smaller, and every number resolves to its metadata."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

import pytest
from bench.report_size import BODY

from riskreport.analysis.job import WARM_REQUEST
from riskreport.analysis.pipeline import assess
from riskreport.analysis.request import ReportRequest
from riskreport.domain.lean_json import (
    KINDS,
    LEVELS,
    _lean_drivers,
    _lean_levels,
    compact,
    expand,
    figures,
)
from riskreport.domain.quantity import Provenance
from tests.analysis.narrative.reports import BUILDINGS


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


# -- the lean form as first written: generic, slow and plain, kept as the reference ---------


def _reference_is_number(node: object) -> bool:
    return isinstance(node, int | float) and not isinstance(node, bool)


def _reference_kind(node: object) -> str | None:
    if (
        isinstance(node, list)
        and len(node) == 2
        and _reference_is_number(node[0])
        and isinstance(node[1], str)
        and node[1].startswith("q")
        and node[1][1:].isdigit()
    ):
        return node[1]
    return None


def _reference_bare(node: Any, ref: Any) -> Any:
    kind = _reference_kind(ref)
    if kind is not None:
        if _reference_kind(node) == kind:
            return node[0]
        if _reference_is_number(node):
            raise ValueError(f"a plain number {node!r} where the case before has a figure")
        return node
    if isinstance(node, Mapping) and isinstance(ref, Mapping):
        return {k: _reference_bare(v, ref.get(k)) for k, v in node.items()}
    return node


def _reference_compact(report: Mapping[str, Any]) -> dict[str, Any]:
    kinds: dict[tuple[str, str, str], str] = {}
    fields = frozenset(("value", "unit", "provenance", "source"))

    def walk(node: Any) -> Any:
        if isinstance(node, Mapping):
            if node.keys() == fields and _reference_is_number(node.get("value")):
                meta = (str(node["unit"]), str(node["provenance"]), str(node["source"]))
                ref = kinds.setdefault(meta, f"q{len(kinds)}")
                return [node["value"], ref]
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list | tuple):
            return [walk(v) for v in node]
        return node

    def lean_results(hazard: Any) -> Any:
        if not isinstance(hazard, Mapping) or not isinstance(hazard.get("baseline"), Mapping):
            return hazard
        before, results = hazard["baseline"], []
        for case in hazard.get("results", ()):
            results.append(_reference_bare(case, before))
            before = case
        return {**hazard, "results": results}

    out: dict[str, Any] = walk(report)
    hazards, levels = _lean_levels([_lean_drivers(h) for h in out.get("hazards", ())])
    out["hazards"] = [lean_results(h) for h in hazards]
    if levels is not None:
        out[LEVELS] = levels
    out[KINDS] = {
        ref: {"unit": unit, "provenance": prov, "source": source}
        for (unit, prov, source), ref in kinds.items()
    }
    return out


@pytest.mark.parametrize("name", [*BUILDINGS, "report_size", "warm_up"])
@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_lean_form_is_the_reference_forms_to_the_byte(name: str, language: str) -> None:
    # compact() walks by exact types to be quick; it must say what the plain walk said.
    body = {"report_size": BODY, "warm_up": WARM_REQUEST}.get(name) or BUILDINGS[name]
    request = ReportRequest.model_validate({**body, "language": language})
    verbose = assess(request).as_verbose_dict()
    made = json.dumps(compact(verbose), ensure_ascii=False)
    assert made == json.dumps(_reference_compact(verbose), ensure_ascii=False)


@pytest.mark.parametrize(
    "report",
    [
        # Tuples, a figure inside a list, a list shaped like a lean figure, a bool value.
        {"a": ({"value": 1, "unit": "m", "provenance": "data", "source": "s"}, 2)},
        {"a": [[3, "q0"], {"value": True, "unit": "m", "provenance": "data", "source": "s"}]},
        _one_hazard(_case("baseline", [7, "q9"], 1), _case("SSP2-4.5", [8, "q9"], 1)),
        _one_hazard(_case("baseline", _figure(1), 1), _case("SSP2-4.5", [2, "q0"], 1)),
    ],
)
def test_odd_trees_take_the_lean_form_the_reference_gives(report: dict[str, Any]) -> None:
    assert json.dumps(compact(report)) == json.dumps(_reference_compact(report))
