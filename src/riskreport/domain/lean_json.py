"""The lean JSON form of a report: each figure as ``[value, kind]``, its metadata said once.

A verbose figure ``{"value": 7.004, "unit": "days", "provenance": "derived", "source":
"open-meteo-era5"}`` repeats its unit, provenance and source in every scenario x horizon x
hazard. The lean form keeps the number in place and names its metadata by a short key of a
top-level ``quantity_kinds`` table, so every number still resolves to its unit, provenance and
source (and the source to ``sources``)::

    lean = compact(report.as_dict())
    lean["hazards"][0]["baseline"]["score"]      # [2, "q7"]
    lean["quantity_kinds"]["q7"]                 # {"unit": "score", "provenance": ..., ...}
    expand(lean) == report.as_dict()             # lossless

A hazard's drivers say the same words in every case, so each case lists driver keys and the
hazard holds their texts once, under ``driver_texts``. Labels (``{"value": str, "provenance",
"source"}``) are few and stay as they are.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

KINDS: Final = "quantity_kinds"
_FIELDS: Final = frozenset(("value", "unit", "provenance", "source"))


def _is_figure(node: Mapping[str, Any]) -> bool:
    value = node.get("value")
    return node.keys() == _FIELDS and isinstance(value, int | float) and not isinstance(value, bool)


DRIVER_TEXTS: Final = "driver_texts"


def _figure_kind(node: list[Any]) -> str | None:
    """The kind ``qN`` of a lean figure ``[number, "qN"]``; None for any other list."""
    if (
        len(node) == 2
        and isinstance(node[0], int | float)
        and not isinstance(node[0], bool)
        and isinstance(node[1], str)
        and node[1].startswith("q")
        and node[1][1:].isdigit()
    ):
        return node[1]
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


def compact(report: Mapping[str, Any]) -> dict[str, Any]:
    """The lean form of a verbose report dict (kinds numbered in order of first use)."""
    kinds: dict[tuple[str, str, str], str] = {}

    def walk(node: Any) -> Any:
        if isinstance(node, Mapping):
            if _is_figure(node):
                meta = (str(node["unit"]), str(node["provenance"]), str(node["source"]))
                ref = kinds.setdefault(meta, f"q{len(kinds)}")
                return [node["value"], ref]
            return {k: walk(v) for k, v in node.items()}
        if isinstance(node, list | tuple):
            return [walk(v) for v in node]
        return node

    out: dict[str, Any] = walk(report)
    out["hazards"] = [_lean_drivers(h) for h in out.get("hazards", ())]
    out[KINDS] = {
        ref: {"unit": unit, "provenance": prov, "source": source}
        for (unit, prov, source), ref in kinds.items()
    }
    return out


def expand(report: Mapping[str, Any]) -> dict[str, Any]:
    """The verbose form of a lean report (a verbose one comes back unchanged)."""
    kinds: Mapping[str, Mapping[str, str]] = report.get(KINDS) or {}

    def walk(node: Any) -> Any:
        if isinstance(node, list):
            ref = _figure_kind(node)
            if ref is not None and ref in kinds:
                return {"value": node[0], **kinds[ref]}
            return [walk(v) for v in node]
        if isinstance(node, Mapping):
            return {k: walk(v) for k, v in node.items()}
        return node

    out = {k: walk(v) for k, v in report.items() if k != KINDS}
    if "hazards" in out:
        out["hazards"] = [_verbose_drivers(h) for h in out["hazards"]]
    return out


def figures(report: Mapping[str, Any]) -> list[tuple[float, Mapping[str, str]]]:
    """Every ``[value, kind]`` figure of a lean report with the metadata its kind names.

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

    walk({k: v for k, v in report.items() if k != KINDS})
    return found
