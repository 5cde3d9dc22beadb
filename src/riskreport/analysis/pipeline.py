"""The synchronous analysis: request -> numbers (``compute``) and the Python API.

>>> out = analyze({"address": "부산광역시 해운대구"}, {"use": "logistics", "floors_below": 1},
...               language="en")
>>> out["schema_version"], out["location"]["matched"]["municipality_en"]
('2', 'Haeundae-gu')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from riskreport.analysis.hazard_data import (
    HazardData,
    MapHazardData,
    PackagedHazardData,
    hazard_data_for,
)
from riskreport.analysis.location import municipality_codes
from riskreport.analysis.request import ReportRequest
from riskreport.analysis.writers import narrate
from riskreport.domain.cases import case_grid
from riskreport.domain.hazards.registry import HAZARDS
from riskreport.domain.model import run
from riskreport.domain.portfolio import (
    PortfolioResult,
    assess_portfolio,
    portfolio_site,
    with_unlocated,
)
from riskreport.domain.report import build_report
from riskreport.domain.report_inputs import LocationInfo, ReportInputs
from riskreport.domain.report_tree import Report
from riskreport.domain.scenarios import (
    DEFAULT_HORIZONS,
    DEFAULT_SCENARIOS,
    FIRST_YEAR,
    LAST_YEAR,
    SCENARIOS,
)

Progress = Callable[[float, str], None]

__all__ = ["PortfolioResult", "analyze", "analyze_portfolio", "assess", "compute"]


def _no_progress(fraction: float, stage: str) -> None:
    """Progress sink used when the caller passes none."""


def compute(
    request: ReportRequest,
    progress: Progress | None = None,
    hazard_data: HazardData | None = None,
) -> dict[str, Any]:
    """All numbers of the report in their JSON form (deterministic); no narrative.

    The boundary where the typed report of :func:`assess` becomes JSON, once.
    ``progress(fraction, stage)`` is called at each stage (0.0 ... 1.0).
    """
    return assess(request, progress, hazard_data).as_dict()


def assess(
    request: ReportRequest,
    progress: Progress | None = None,
    hazard_data: HazardData | None = None,
) -> Report:
    """The report of one building as a typed, frozen tree (``riskreport.domain.report_tree``)."""
    report = progress or _no_progress
    report(0.0, "validating")
    a = request.to_domain()
    report(0.05, "site")
    inputs = (hazard_data or PackagedHazardData()).site_inputs(a)
    cases = case_grid(a.scenarios, a.horizons, extra=[a.headline])
    n = len(a.hazards)
    done: list[str] = []

    def on_hazard(key: str) -> None:
        report(0.1 + 0.8 * len(done) / n, f"hazard:{key}")
        done.append(key)

    results = run(
        inputs.site,
        cases,
        a.hazards,
        progress=on_hazard,
        overrides=inputs.overrides,
        maps=inputs.maps,
    )
    report(0.92, "report")
    out = build_report(
        ReportInputs(
            location=LocationInfo.of(a.location),
            building=a.building,
            asset=a.asset,
            scenarios=a.scenarios,
            horizons=a.horizons,
            hazards=a.hazards,
            language=a.language,
            site=inputs.site,
            input_provenance=inputs.input_provenance,
            overridden_hazards=inputs.overridden_hazards,
            headline=a.headline,
            narrative=a.narrative,
        ),
        results,
        cases,
    )
    report(1.0, "done")
    return out


def analyze(
    target_location: Mapping[str, Any],
    building_info: Mapping[str, Any] | None = None,
    asset_info: Mapping[str, Any] | None = None,
    analysis_params: Mapping[str, Any] | None = None,
    language: str = "ko",
    hazard_maps: str | Path | None = None,
) -> dict[str, Any]:
    """Validate the arguments like ``POST /v1/reports`` and return the whole report.

    ``hazard_maps`` is a folder of flood hazard maps (docs/hazard-maps.md), as
    ``RISKREPORT_HAZARD_MAPS`` gives the service.

    The report is what the API's job stores under ``result``: the numbers of :func:`compute`
    and the ``narrative`` (the template writer unless a prepared LLM writer is asked for).
    Raises ``pydantic.ValidationError`` naming the bad field.
    """
    request = ReportRequest.model_validate(
        {
            "target_location": dict(target_location),
            "building_info": dict(building_info or {}),
            "asset_info": dict(asset_info or {}),
            "analysis_params": dict(analysis_params or {}),
            "language": language,
        }
    )
    return narrate(compute(request, hazard_data=hazard_data_for(hazard_maps)))


def analyze_portfolio(
    buildings: Sequence[Mapping[str, Any]] | Mapping[str, Any],
    scenarios: Sequence[str] = DEFAULT_SCENARIOS,
    horizons: Sequence[int] = DEFAULT_HORIZONS,
    hazard_maps: str | Path | None = None,
) -> PortfolioResult:
    """Many buildings at once, vectorized with numpy.

    ``buildings`` is either a sequence of request-like dicts (``target_location``,
    ``building_info``, ``asset_info``; each validated like ``analyze``) or columns of equal
    length (``lat``, ``lon`` and optional ``structure``, ``use``, ``floors_above`` ... see
    ``riskreport.domain.portfolio.NUMERIC_COLUMNS``; NaN means unknown). The columnar form is
    the fast one; without a ``muni_code`` column each building's municipality comes from the
    polygons of the legal boundaries (``riskreport.analysis.location``), and a building no
    South Korean 읍면동 is within 10 km of (North Korea, the open sea) is not assessed: its row
    has ``located`` False, NaN losses and score 0 (the dict form refuses it with
    ``pydantic.ValidationError``, like ``analyze``). Returns a
    :class:`PortfolioResult` of arrays (``.to_records()`` for dicts). ``hazard_maps`` is a folder
    of flood hazard maps, sampled at every building at once.
    """
    for s in scenarios:
        if s not in SCENARIOS:
            raise ValueError(f"unknown scenario {s!r}; expected one of {', '.join(SCENARIOS)}")
    for h in horizons:
        if isinstance(h, bool) or not isinstance(h, int) or not FIRST_YEAR <= h <= LAST_YEAR:
            raise ValueError(f"horizon {h!r} is not a year {FIRST_YEAR}-{LAST_YEAR}")
    located: npt.NDArray[np.bool_] | None = None
    if isinstance(buildings, Mapping):
        columns = dict(buildings)
        if "muni_code" not in columns and "lat" in columns and "lon" in columns:
            # The municipality by polygon; a building no South Korean 읍면동 is within
            # MAX_OFFSHORE_KM of is one the single report refuses: it is left out, per row.
            codes = municipality_codes(
                np.asarray(columns["lat"], dtype=np.float64),
                np.asarray(columns["lon"], dtype=np.float64),
            )
            located = codes > 0
            columns["muni_code"] = codes
            if not located.all():
                columns = {k: np.asarray(v)[located] for k, v in columns.items()}
        site = portfolio_site(columns)
    else:
        site = portfolio_site(_columns(buildings))
    data = hazard_data_for(hazard_maps)
    maps = {}
    if isinstance(data, MapHazardData):
        maps = data.curves(site.lat, site.lon, HAZARDS)
    result = assess_portfolio(site, tuple(scenarios), tuple(horizons), maps=maps)
    if located is None or located.all():
        return result
    return with_unlocated(result, located)


_FIELDS = {  # request field -> portfolio column (and scale)
    "year_built": ("year_built", 1.0),
    "floors_above": ("floors_above", 1.0),
    "floors_below": ("floors_below", 1.0),
    "floor_area_m2": ("floor_area_m2", 1.0),
    "first_floor_height_m": ("first_floor_m", 1.0),
    "flood_barrier_height_m": ("barrier_m", 1.0),
    "ground_elevation_m": ("ground_m", 1.0),
    "distance_to_river_m": ("river_m", 1.0),
    "distance_to_coast_m": ("coast_km", 0.001),
    "distance_to_forest_m": ("forest_m", 1.0),
    "replacement_value_krw": ("replacement_krw", 1.0),
    "contents_value_krw": ("contents_krw", 1.0),
    "annual_revenue_krw": ("revenue_krw", 1.0),
    "insured_fraction": ("insured_fraction", 1.0),
}


def _columns(buildings: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Validate request-like dicts and turn them into portfolio columns."""
    cols: dict[str, list[Any]] = {k: [] for k in ("lat", "lon", "muni_code", "structure", "use")}
    cols.update({c: [] for c, _ in _FIELDS.values()})
    cols["piloti"] = []
    for item in buildings:
        req = ReportRequest.model_validate({**item, "language": item.get("language", "ko")})
        a = req.to_domain()
        cols["lat"].append(a.location.lat.value)
        cols["lon"].append(a.location.lon.value)
        cols["muni_code"].append(a.location.muni_code)
        cols["structure"].append(a.building.structure.value)
        cols["use"].append(a.building.use.value)
        cols["piloti"].append(1.0 if a.building.has_piloti.value == "true" else 0.0)
        given = {
            **req.building_info.model_dump(exclude_none=True),
            **req.asset_info.model_dump(exclude_none=True),
        }
        for name, (col, scale) in _FIELDS.items():
            v = given.get(name)
            cols[col].append(float("nan") if v is None else float(v) * scale)
    return cols
