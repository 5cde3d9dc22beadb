"""Assemble the report of one building from the model's arrays (B = 1), as a typed tree.

The tree is :class:`riskreport.domain.report_tree.Report`; its JSON form (``Report.as_dict()``)
is documented in docs/report-schema.md. Every number is a quantity
``{"value", "unit", "provenance", "source"}`` (in the lean JSON form, ``[value, kind]`` with the
kind in ``quantity_kinds``); numbers outside quantities appear only in the echo of the request
(``location.input``, ``parameters``) and as the ``horizon`` label.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from riskreport.domain.building import BUILDING_FIELDS, Asset, Building
from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays
from riskreport.domain.hazards.registry import REGISTRY, Registry
from riskreport.domain.losses import REPORTED_RETURN_PERIODS
from riskreport.domain.quantity import Label, Provenance, Quantity
from riskreport.domain.regions import IMPERVIOUS
from riskreport.domain.report_inputs import LocationInfo, ReportInputs
from riskreport.domain.report_notes import assumptions_list
from riskreport.domain.report_parts import hazard_report, recommendations
from riskreport.domain.report_summary import build_summary
from riskreport.domain.report_tree import Case, Parameters, Report, source_keys
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY, SOURCES, USER_KEY

SCHEMA_VERSION = "2"  # "1": every figure a quantity object; "2": lean (lean_json)
MODEL_VERSION = "riskreport-physical-1.1"
_D = Provenance.DERIVED


def build_report(
    inputs: ReportInputs,
    results: Mapping[str, HazardArrays],
    cases: CaseGrid,
    registry: Registry = REGISTRY,
) -> Report:
    """The report of one building: a frozen tree, deterministic; ``.as_dict()`` is its JSON."""
    site = inputs.site
    entries = []
    every: dict[str, list[Case]] = {}
    for hazard in (hz for hz in registry if hz.key in results):
        entry, all_cases = hazard_report(results[hazard.key], cases, inputs, registry)
        entries.append(entry)
        every[hazard.key] = all_cases
    summary, worst = build_summary(results, every, cases, site, inputs.headline, registry)
    parts: dict[str, Any] = {
        "location": _location(inputs.location),
        "building": _building(inputs.building),
        "asset": _asset(inputs.asset),
        "site": _site(site, inputs),
        "hazards": tuple(entries),
        "summary": summary,
        "recommendations": recommendations(
            results, worst, list(summary.dominant_hazards), site, cases.requested_size, registry
        ),
        "assumptions": assumptions_list(inputs),
    }
    keys = source_keys(tuple(parts.values())) | set(inputs.location.sources)
    return Report(
        schema_version=SCHEMA_VERSION,
        model_version=MODEL_VERSION,
        language=inputs.language,
        parameters=Parameters(
            scenarios=inputs.scenarios,
            horizons=inputs.horizons,
            hazards=inputs.hazards,
            return_periods=REPORTED_RETURN_PERIODS,
            headline=inputs.headline,
            narrative=inputs.narrative,
        ),
        sources=tuple(SOURCES[k] for k in sorted(keys)),
        **parts,
    )


def _location(loc: LocationInfo) -> dict[str, Any]:
    return {
        "lat": loc.lat.as_dict(),
        "lon": loc.lon.as_dict(),
        "input": dict(loc.input),
        "resolution": loc.resolution,
        "matched": dict(loc.matched) if loc.matched is not None else None,
        "note": loc.note_en,
        "note_en": loc.note_en,
        "note_ko": loc.note_ko,
        "levels": [dict(level) for level in loc.levels],
        "source": loc.source,
    }


def _building(b: Building) -> dict[str, Quantity | Label]:
    out: dict[str, Quantity | Label] = {}
    for name in BUILDING_FIELDS:
        out[name] = getattr(b, name)
    return out


def _asset(a: Asset) -> dict[str, Quantity]:
    return {
        "replacement_value_krw": a.replacement_value_krw,
        "contents_value_krw": a.contents_value_krw,
        "annual_revenue_krw": a.annual_revenue_krw,
        "insured_fraction": a.insured_fraction,
        "value_at_risk_krw": Quantity(a.value_at_risk_krw, "KRW", _D, ASSUMPTIONS_KEY),
    }


def _site(site: SiteBatch, inputs: ReportInputs) -> dict[str, Quantity]:
    """The site facts the model used. The ground elevation and the distance to forest are
    facts only where the user gave them (report_notes says what the hazards did without)."""

    def fact(name: str, value: float, unit: str, prov: Provenance, src: str) -> Quantity:
        p, s = inputs.input_provenance.get(f"site.{name}", (prov, src))
        return Quantity(float(value), unit, p, s)

    a = Provenance.ASSUMPTION
    facts = {
        "distance_to_coast_m": fact(
            "distance_to_coast_m",
            max(float(site.coast_km[0]), 0.0) * 1000.0,
            "m",
            Provenance.DATA,
            "gshhg-2.3.6",  # the GSHHG shoreline (domain/geodata/coast.py)
        ),
        "distance_to_river_m": fact(  # to the WDBII major rivers (domain/geodata/rivers.py)
            "distance_to_river_m", site.river_m[0], "m", Provenance.DATA, "gshhg-2.3.6"
        ),
        "impervious_share": Quantity(
            float(IMPERVIOUS[int(site.urban_class[0])]), "fraction", a, ASSUMPTIONS_KEY
        ),
    }
    # Without the user's ground elevation no single one was used: heat and cold read the ETOPO5
    # low ground, coastal flood a waterfront default; each hazard's inputs show its own.
    if site.ground_given[0] > 0:
        facts["ground_elevation_m"] = fact(
            "ground_elevation_m", site.ground_m[0], "m", Provenance.USER_INPUT, USER_KEY
        )
    if site.forest_given[0] > 0:
        facts["distance_to_forest_m"] = fact(
            "distance_to_forest_m", site.forest_m[0], "m", Provenance.USER_INPUT, USER_KEY
        )
    return facts
