"""The ``HazardData`` seam: where a building's hazard inputs come from.

The packaged implementation reads only data shipped in the package (gazetteer, site grid,
regional anchors); user overrides from the request replace any input, tagged ``user_input``.

>>> from riskreport.analysis.request import ReportRequest
>>> a = ReportRequest.model_validate({"target_location": {"lat": 37.5665, "lon": 126.978},
...     "analysis_params": {"overrides": {"heat_wave": {"heat_days": 20}}}}).to_domain()
>>> s = PackagedHazardData().site_inputs(a)
>>> float(s.site.heat_days[0]), s.input_provenance["heat_wave.heat_days"][0].value
(20.0, 'user_input')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.assessment import Assessment, OverrideValue
from riskreport.domain.building import STRUCTURES, USES
from riskreport.domain.losses import RETURN_PERIODS
from riskreport.domain.quantity import Provenance, Quantity
from riskreport.domain.site import SiteBatch, site_batch
from riskreport.domain.sources import USER_KEY

# (hazard, override name) -> SiteBatch field
OVERRIDE_FIELDS: dict[tuple[str, str], str] = {
    ("river_flood", "depth_m"): "river_depth_m",
    ("river_flood", "protection_rp"): "river_protection_rp",
    ("urban_flood", "depth_m"): "urban_depth_m",
    ("urban_flood", "protection_rp"): "sewer_rp",
    ("coastal_flood", "still_water_level_m"): "coastal_level_m",
    ("coastal_flood", "protection_rp"): "coastal_protection_rp",
    ("typhoon", "wind_10min_ms"): "wind_10min_ms",
    ("typhoon", "v_half_ms"): "v_half_ms",
    ("heat_wave", "heat_days"): "heat_days",
    ("cold_wave", "cold_days"): "cold_days",
    ("wildfire", "fire_probability"): "fire_probability",
    ("drought", "drought_factor"): "drought_factor",
    ("water_stress", "water_stress"): "water_stress",
}
_USER = (Provenance.USER_INPUT, USER_KEY)


@dataclass(frozen=True, slots=True)
class SiteInputs:
    site: SiteBatch  # one building
    input_provenance: Mapping[str, tuple[Provenance, str]]
    overridden_hazards: frozenset[str]


class HazardData(Protocol):
    """Supplies the model inputs of one building."""

    def site_inputs(self, assessment: Assessment) -> SiteInputs: ...


def curve_at_return_periods(points: tuple[tuple[float, float], ...]) -> Array:
    """A user curve given at some return periods, read at the model's, linear in ln(rp).

    >>> curve_at_return_periods(((10.0, 0.0), (100.0, 1.0)))[5].item()
    1.0
    """
    rp = np.log(np.array([p[0] for p in points]))
    values = np.array([p[1] for p in points])
    result: Array = np.interp(np.log(RETURN_PERIODS), rp, values)
    return result


def _one(q: Quantity | None, scale: float = 1.0) -> Array:
    return np.array([np.nan if q is None else q.value * scale])


class PackagedHazardData:
    """Offline inputs from the packaged gazetteer, site grid and regional anchors."""

    def site_inputs(self, assessment: Assessment) -> SiteInputs:
        a = assessment
        b = a.building
        site = site_batch(
            lat=np.array([a.location.lat.value]),
            lon=np.array([a.location.lon.value]),
            muni_code=np.array([a.location.muni_code]),
            structure=np.array([STRUCTURES.index(b.structure_enum)]),
            use=np.array([USES.index(b.use_enum)]),
            year_built=_one(b.year_built),
            floors_above=_one(b.floors_above),
            floors_below=_one(b.floors_below),
            floor_area_m2=_one(b.floor_area_m2),
            first_floor_m=_one(b.first_floor_height_m),
            piloti=np.array([1.0 if b.has_piloti.value == "true" else 0.0]),
            barrier_m=_one(b.flood_barrier_height_m),
            replacement_krw=_one(a.asset.replacement_value_krw),
            contents_krw=_one(a.asset.contents_value_krw),
            revenue_krw=_one(a.asset.annual_revenue_krw),
            insured_fraction=_one(a.asset.insured_fraction),
            coast_km=_one(b.distance_to_coast_m, 0.001),
            ground_m=_one(b.ground_elevation_m),
            river_m=_one(b.distance_to_river_m),
            forest_m=_one(b.distance_to_forest_m),
        )
        provenance: dict[str, tuple[Provenance, str]] = {}
        for name in (
            "ground_elevation_m",
            "distance_to_river_m",
            "distance_to_coast_m",
            "distance_to_forest_m",
        ):
            if getattr(b, name) is not None:
                provenance[f"site.{name}"] = _USER
        site, overridden = apply_overrides(site, a.overrides, provenance)
        return SiteInputs(site, provenance, overridden)


def apply_overrides(
    site: SiteBatch,
    overrides: Mapping[str, Mapping[str, OverrideValue]],
    provenance: dict[str, tuple[Provenance, str]],
) -> tuple[SiteBatch, frozenset[str]]:
    """Replace hazard inputs with the user's values; records their provenance in place."""
    changes: dict[str, Array] = {}
    for hazard, values in overrides.items():
        for name, value in values.items():
            field = OVERRIDE_FIELDS[(hazard, name)]
            if isinstance(value, tuple):
                changes[field] = curve_at_return_periods(value)[None, :]
            else:
                changes[field] = np.array([float(value)])
            provenance[f"{hazard}.{name}"] = _USER
    return replace(site, **changes), frozenset(h for h, v in overrides.items() if v)  # type: ignore[arg-type]
