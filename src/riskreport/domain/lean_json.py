"""The lean JSON form of a report: each figure as ``[value, kind]``, its metadata said once.

A verbose figure ``{"value": 7.004, "unit": "days", "provenance": "derived", "source":
"open-meteo-era5"}`` repeats its unit, provenance and source in every scenario x horizon x
hazard. The lean form keeps the number in place and names its metadata by a short key of a
top-level ``quantity_kinds`` table, so every number still resolves to its unit, provenance and
source (and the source to ``sources``)::

    lean = report.as_dict()                      # compact(report.as_verbose_dict())
    lean["hazards"][0]["baseline"]["score"]      # [2, "q7"]
    lean["quantity_kinds"]["q7"]                 # {"unit": "score", "provenance": ..., ...}
    expand(lean) == report.as_verbose_dict()     # lossless

A hazard's drivers say the same words in every case, so each case lists driver keys and the
hazard holds their texts once, under ``driver_texts``; a case's score in words (``level_en``,
``level_ko``) depends on the score alone, so the top-level ``score_levels`` says it once
(``{"3": {"en": "medium", "ko": "보통"}}``). Labels (``{"value": str, "provenance",
"source"}``) are few and stay as they are.

Within a hazard, a result's figure almost always has the kind of the same figure in the case
before it (the same unit, provenance and source; another scenario or horizon). There it is a bare
number, of the kind of that figure: in the ``baseline`` for the first result, in the result
before it for the others. A figure of another kind, or with none before it (``null``), keeps its
own ``[value, kind]``::

    lean["hazards"][0]["baseline"]["eal"]        # [1234, "q15"]
    lean["hazards"][0]["results"][0]["eal"]      # 2345: kind "q15", as in the baseline
    lean["hazards"][0]["results"][1]["eal"]      # 3456: kind "q15", as in results[0]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

KINDS: Final = "quantity_kinds"
DRIVER_TEXTS: Final = "driver_texts"
LEVELS: Final = "score_levels"
_FIELDS: Final = frozenset(("value", "unit", "provenance", "source"))


def _is_number(node: object) -> bool:
    kind = type(node)
    if kind is float or kind is int:
        return True
    return kind is not bool and isinstance(node, int | float) and not isinstance(node, bool)


def _is_figure(node: Mapping[str, Any]) -> bool:
    return node.keys() == _FIELDS and _is_number(node.get("value"))


def _figure_kind(node: object) -> str | None:
    """The kind ``qN`` of a lean figure ``[number, "qN"]``; None for anything else."""
    if not isinstance(node, list) or len(node) != 2:
        return None
    value, kind = node
    if isinstance(kind, str) and kind.startswith("q") and kind[1:].isdigit() and _is_number(value):
        return kind
    return None


def _cases(hazard: Mapping[str, Any]) -> list[Any]:
    return [hazard.get("baseline"), *hazard.get("results", ())]


def _lean_drivers(hazard: Mapping[str, Any]) -> dict[str, Any]:
    texts: dict[str, dict[str, str]] = {}
    for case in _cases(hazard):
        for driver in (case or {}).get("drivers", ()):
            text = {"text_en": driver["text_en"], "text_ko": driver["text_ko"]}
            if texts.setdefault(driver["key"], text) != text:
                return dict(hazard)  # a key worded two ways: keep every case's own words

    def lean_case(case: Any) -> Any:
        if not isinstance(case, Mapping):
            return case
        return {**case, "drivers": [d["key"] for d in case.get("drivers", ())]}

    out = {k: v for k, v in hazard.items() if k not in ("baseline", "results")}
    out[DRIVER_TEXTS] = texts
    out["baseline"] = lean_case(hazard.get("baseline"))
    out["results"] = [lean_case(c) for c in hazard.get("results", ())]
    return out


def _verbose_drivers(hazard: Mapping[str, Any]) -> dict[str, Any]:
    texts = hazard.get(DRIVER_TEXTS)
    if texts is None:
        return dict(hazard)

    def case_of(case: Any) -> Any:
        if not isinstance(case, Mapping):
            return case
        drivers = [{"key": k, **texts[k]} for k in case.get("drivers", ())]
        return {**case, "drivers": drivers}

    out = {k: v for k, v in hazard.items() if k != DRIVER_TEXTS}
    out["baseline"] = case_of(hazard.get("baseline"))
    out["results"] = [case_of(c) for c in hazard.get("results", ())]
    return out


def _score_key(score: Any) -> str | None:
    """The ``score_levels`` key of a case's score (pair or quantity object), e.g. ``"3"``."""
    value = score.get("value") if isinstance(score, Mapping) else score
    if isinstance(value, list) and _figure_kind(value) is not None:
        value = value[0]
    return str(value) if _is_number(value) else None


def _lean_levels(hazards: list[Any]) -> tuple[list[Any], dict[str, dict[str, str]] | None]:
    """The hazards without each case's ``level_en``/``level_ko`` and the words of each score,
    once; the hazards as they are (and None) if a score is ever worded two ways."""
    levels: dict[str, dict[str, str]] = {}
    for hazard in hazards:
        for case in _cases(hazard):
            if not isinstance(case, Mapping) or "level_en" not in case:
                continue
            key = _score_key(case.get("score"))
            words = {"en": case["level_en"], "ko": case.get("level_ko")}
            if key is None or levels.setdefault(key, words) != words:
                return hazards, None

    def lean_case(case: Any) -> Any:
        if not isinstance(case, Mapping):
            return case
        return {k: v for k, v in case.items() if k not in ("level_en", "level_ko")}

    out = [
        {
            **h,
            "baseline": lean_case(h.get("baseline")),
            "results": [lean_case(c) for c in h.get("results", ())],
        }
        for h in hazards
    ]
    return out, dict(sorted(levels.items()))


def _verbose_levels(hazard: Mapping[str, Any], levels: Mapping[str, Mapping[str, str]]) -> Any:
    def case_of(case: Any) -> Any:
        if not isinstance(case, Mapping) or "score" not in case:
            return case
        words = levels[str(_score_key(case["score"]))]
        out: dict[str, Any] = {}
        for k, v in case.items():  # the words right after the score, where they were
            out[k] = v
            if k == "score":
                out["level_en"], out["level_ko"] = words["en"], words["ko"]
        return out

    return {
        **hazard,
        "baseline": case_of(hazard.get("baseline")),
        "results": [case_of(c) for c in hazard.get("results", ())],
    }


def _bare(node: Any, ref: Any) -> Any:
    """A lean case with each figure of the kind ``ref`` has at its place as a bare number."""
    # The plain types first: this runs over every figure of every result (see compact()).
    kind_of_ref = type(ref)
    if kind_of_ref is dict and type(node) is dict:
        return {k: _bare(v, ref.get(k)) for k, v in node.items()}
    if kind_of_ref is str or kind_of_ref is int or kind_of_ref is float or ref is None:
        return node
    kind = _figure_kind(ref)
    if kind is not None:
        if type(node) is list and len(node) == 2 and node[1] == kind and _is_number(node[0]):
            return node[0]  # _figure_kind(node) == kind, the common case, at less cost
        if _figure_kind(node) == kind:
            return node[0]
        if _is_number(node):
            # expand() would read this plain number as a figure: the form cannot say it.
            raise ValueError(f"a plain number {node!r} where the case before has a figure")
        return node
    if isinstance(node, Mapping) and isinstance(ref, Mapping):
        return {k: _bare(v, ref.get(k)) for k, v in node.items()}
    return node


def _with_kinds(node: Any, ref: Any) -> Any:
    """The inverse of :func:`_bare`: each bare number where ``ref`` has a figure becomes
    ``[number, kind]`` of that figure's kind."""
    kind = _figure_kind(ref)
    if kind is not None:
        return [node, kind] if _is_number(node) else node
    if isinstance(node, Mapping) and isinstance(ref, Mapping):
        return {k: _with_kinds(v, ref.get(k)) for k, v in node.items()}
    return node


def _lean_results(hazard: Any) -> Any:
    """The hazard with each result's figures bare where the case before has the same kind."""
    if not isinstance(hazard, Mapping) or not isinstance(hazard.get("baseline"), Mapping):
        return hazard
    before, results = hazard["baseline"], []
    for case in hazard.get("results", ()):
        results.append(_bare(case, before))
        before = case
    return {**hazard, "results": results}


def _full_results(hazard: Any) -> Any:
    """The inverse of :func:`_lean_results`: every figure of every result ``[value, kind]``."""
    if not isinstance(hazard, Mapping) or not isinstance(hazard.get("baseline"), Mapping):
        return hazard
    before, results = hazard["baseline"], []
    for case in hazard.get("results", ()):
        before = _with_kinds(case, before)
        results.append(before)
    return {**hazard, "results": results}


def compact(report: Mapping[str, Any]) -> dict[str, Any]:
    """The lean form of a verbose report dict (kinds numbered in order of first use)."""
    kinds: dict[tuple[str, str, str], str] = {}

    def figure(node: Mapping[str, Any]) -> list[Any]:
        meta = (str(node["unit"]), str(node["provenance"]), str(node["source"]))
        ref = kinds.get(meta)
        if ref is None:
            ref = kinds[meta] = f"q{len(kinds)}"
        return [node["value"], ref]

    def walk(node: Any) -> Any:
        # The plain JSON types by their exact type, and a figure by its size first: a report
        # has thousands of nodes, and isinstance() against the abstract Mapping per node was
        # most of the cost. Anything else takes the general path below.
        kind = type(node)
        if kind is dict:
            if len(node) == 4 and _is_figure(node):
                return figure(node)
            return {k: walk(v) for k, v in node.items()}
        if kind is str or kind is int or kind is float or node is None:
            return node
        if kind is list:
            return [walk(v) for v in node]
        if isinstance(node, Mapping):
            if _is_figure(node):
                return figure(node)
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list | tuple):
            return [walk(v) for v in node]
        return node

    out: dict[str, Any] = walk(report)
    hazards, levels = _lean_levels([_lean_drivers(h) for h in out.get("hazards", ())])
    out["hazards"] = [_lean_results(h) for h in hazards]
    if levels is not None:
        out[LEVELS] = levels
    out[KINDS] = {
        ref: {"unit": unit, "provenance": prov, "source": source}
        for (unit, prov, source), ref in kinds.items()
    }
    return out


def _with_all_kinds(report: Mapping[str, Any]) -> dict[str, Any]:
    """A lean report whose every figure is ``[value, kind]`` (the results' bare numbers given
    the kind of the case before)."""
    out = dict(report)
    if isinstance(out.get("hazards"), list):
        out["hazards"] = [_full_results(h) for h in out["hazards"]]
    return out


def expand(report: Mapping[str, Any]) -> dict[str, Any]:
    """The verbose form of a lean report (a verbose one comes back unchanged)."""
    kinds: Mapping[str, Mapping[str, str]] | None = report.get(KINDS)
    if not kinds:
        return dict(report)  # verbose already (schema 1): nothing to expand

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            ref = _figure_kind(node)
            if ref is not None and ref in kinds:
                return {"value": node[0], **kinds[ref]}
            return [walk(v) for v in node]
        if isinstance(node, Mapping):
            return {k: walk(v) for k, v in node.items()}
        return node

    out = {k: walk(v) for k, v in _with_all_kinds(report).items() if k not in (KINDS, LEVELS)}
    levels = report.get(LEVELS)
    if "hazards" in out:
        out["hazards"] = [_verbose_drivers(h) for h in out["hazards"]]
        if levels is not None:
            out["hazards"] = [_verbose_levels(h, levels) for h in out["hazards"]]
    return out


def figures(report: Mapping[str, Any]) -> list[tuple[float, Mapping[str, str]]]:
    """Every figure of a lean report with the metadata its kind names.

    Raises ``KeyError`` for a kind the table lacks.
    """
    kinds: Mapping[str, Mapping[str, str]] = report[KINDS]
    found: list[tuple[float, Mapping[str, str]]] = []

    def walk(node: Any) -> None:
        if isinstance(node, list):
            ref = _figure_kind(node)
            if ref is not None:
                found.append((float(node[0]), kinds[ref]))
                return
            for v in node:
                walk(v)
        elif isinstance(node, Mapping):
            for v in node.values():
                walk(v)

    walk({k: v for k, v in _with_all_kinds(report).items() if k not in (KINDS, LEVELS)})
    return found
