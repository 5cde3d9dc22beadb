"""The report request: pydantic models at the edge, converted to frozen domain values.

Used as the body of ``POST /v1/reports`` and by ``riskreport.analyze(...)``. Errors name the field
(``target_location.address``, ``analysis_params.scenarios.1``) so the API can answer 422.

>>> r = ReportRequest.model_validate(
...     {"target_location": {"address": "서울특별시 중구 세종대로 110"},
...      "building_info": {"use": "office"}, "language": "en"})
>>> loc = r.to_domain().location
>>> loc.matched["municipality_en"], loc.resolution
('Jung-gu', 'municipality_point')
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any, Literal, get_args

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from riskreport.analysis.location import MAX_OFFSHORE_KM, point_areas
from riskreport.domain.address import AddressError, AddressMatch, resolve_address
from riskreport.domain.assessment import Assessment, OverrideValue
from riskreport.domain.building import Structure, Use, make_asset, make_building
from riskreport.domain.hazards import HAZARDS
from riskreport.domain.location import locate_address, locate_coordinates
from riskreport.domain.scenarios import (
    DEFAULT_HORIZONS,
    FIRST_YEAR,
    LAST_YEAR,
)
from riskreport.domain.site_grid import LAT_MAX, LAT_MIN, LON_MAX, LON_MIN, lookup

Scenario = Literal["SSP1-2.6", "SSP2-4.5", "SSP3-7.0", "SSP5-8.5"]
HazardKey = Literal[
    "heat_wave",
    "cold_wave",
    "wildfire",
    "drought",
    "water_stress",
    "coastal_flood",
    "river_flood",
    "urban_flood",
    "typhoon",
]
# A point further out at sea than this (on the packaged land/sea grid) is refused at validation;
# the same limit bounds the fallback to the nearest 읍면동 polygon (analysis/location).
MAX_AT_SEA_KM = MAX_OFFSHORE_KM


def _horizon(value: Any) -> int | str:
    if value == "baseline":
        return "baseline"
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"a horizon is 'baseline' or a year {FIRST_YEAR}-{LAST_YEAR}")
    try:
        year = int(value)
    except ValueError:
        raise ValueError(f"a horizon is 'baseline' or a year {FIRST_YEAR}-{LAST_YEAR}") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"horizon {year} is outside {FIRST_YEAR}-{LAST_YEAR}")
    return year


Horizon = Annotated[
    int | str,
    PlainValidator(_horizon),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
                {"const": "baseline"},
            ]
        }
    ),
]


@lru_cache(maxsize=1024)
def _resolve(address: str) -> AddressMatch:
    return resolve_address(address)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TargetLocation(_Strict):
    """Either ``lat`` and ``lon`` (WGS84, in Korea) or a Korean ``address``."""

    lat: float | None = Field(default=None, ge=-90, le=90, description="Latitude, degrees")
    lon: float | None = Field(default=None, ge=-180, le=180, description="Longitude, degrees")
    address: str | None = Field(
        default=None,
        min_length=2,
        max_length=300,
        description="Korean address; resolved offline to its 읍면동 (or 시군구, or 시도) point",
    )

    @field_validator("lat")
    @classmethod
    def _lat_in_korea(cls, v: float | None) -> float | None:
        if v is not None and not LAT_MIN <= v <= LAT_MAX:
            raise ValueError(f"latitude {v} is outside Korea ({LAT_MIN}-{LAT_MAX})")
        return v

    @field_validator("lon")
    @classmethod
    def _lon_in_korea(cls, v: float | None, info: ValidationInfo) -> float | None:
        if v is None:
            return v
        if not LON_MIN <= v <= LON_MAX:
            raise ValueError(f"longitude {v} is outside Korea ({LON_MIN}-{LON_MAX})")
        lat = info.data.get("lat")
        if lat is not None:
            km, _ = lookup(np.array([lat]), np.array([v]))
            if km[0] < -MAX_AT_SEA_KM:
                raise ValueError(f"({lat}, {v}) is {-km[0]:.0f} km out at sea, not in Korea")
        return v

    @field_validator("address")
    @classmethod
    def _address_resolves(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                _resolve(v.strip())
            except AddressError as exc:
                raise ValueError(f"cannot resolve the address in Korea: {exc}") from None
        return v

    @model_validator(mode="after")
    def _one_kind(self) -> TargetLocation:
        has_point = self.lat is not None or self.lon is not None
        if has_point and self.address is not None:
            raise ValueError("give either lat/lon or address, not both")
        if has_point and (self.lat is None or self.lon is None):
            raise ValueError("give both lat and lon")
        if not has_point and self.address is None:
            raise ValueError("give lat and lon, or address")
        return self


class BuildingInfo(_Strict):
    """Building facts; every field is optional and defaults are tagged ``assumption``."""

    structure: Structure | None = None
    year_built: int | None = Field(default=None, ge=1800, le=2100)
    floors_above: int | None = Field(default=None, ge=1, le=200)
    floors_below: int | None = Field(default=None, ge=0, le=20)
    use: Use | None = None
    floor_area_m2: float | None = Field(default=None, gt=0, le=5_000_000)
    ground_elevation_m: float | None = Field(
        default=None, ge=-10, le=2000, description="Ground level, m above mean sea level"
    )
    first_floor_height_m: float | None = Field(
        default=None, ge=0, le=10, description="First-floor level above the ground, m"
    )
    has_piloti: bool | None = Field(default=None, description="Open ground storey (필로티)")
    flood_barrier_height_m: float | None = Field(
        default=None, ge=0, le=5, description="Height of flood barriers at the entrances, m"
    )
    distance_to_river_m: float | None = Field(default=None, ge=0, le=100_000)
    distance_to_coast_m: float | None = Field(default=None, ge=0, le=500_000)
    distance_to_forest_m: float | None = Field(default=None, ge=0, le=100_000)


class AssetInfo(_Strict):
    """Values in KRW; missing ones fall back to floor area x published cost (tagged)."""

    replacement_value_krw: float | None = Field(default=None, ge=0, le=1e16)
    contents_value_krw: float | None = Field(default=None, ge=0, le=1e16)
    annual_revenue_krw: float | None = Field(default=None, ge=0, le=1e16)
    insured_fraction: float | None = Field(default=None, ge=0, le=1)


def _curve(value: Any) -> tuple[tuple[float, float], ...]:
    if not isinstance(value, dict) or not value:
        raise ValueError('a curve is an object of return period -> value, e.g. {"100": 1.2}')
    points = []
    for k, v in value.items():
        try:
            rp, x = float(k), float(v)
        except (TypeError, ValueError):
            raise ValueError(f"curve point {k!r}: {v!r} is not numeric") from None
        if not 1.0 <= rp <= 100_000.0:
            raise ValueError(f"return period {k} is outside 1-100000 years")
        if not 0.0 <= x <= 1000.0:
            raise ValueError(f"curve value {v} at {k} years must be within 0-1000")
        points.append((rp, x))
    return tuple(sorted(points))


Curve = Annotated[
    tuple[tuple[float, float], ...],
    PlainValidator(_curve),
    WithJsonSchema({"type": "object", "additionalProperties": {"type": "number", "minimum": 0}}),
]
ReturnPeriod = Annotated[float, Field(ge=1, le=100_000)]


class FloodOverride(_Strict):
    depth_m: Curve | None = Field(default=None, description="Flood depth at the site by RP, m")
    protection_rp: ReturnPeriod | None = None


class CoastalOverride(_Strict):
    still_water_level_m: Curve | None = Field(default=None, description="m above MSL by RP")
    protection_rp: ReturnPeriod | None = None


class TyphoonOverride(_Strict):
    wind_10min_ms: Curve | None = Field(default=None, description="10-min wind by RP, m/s")
    v_half_ms: float | None = Field(default=None, gt=26, le=300)


class Overrides(_Strict):
    """Replace any hazard input; replaced values carry provenance ``user_input``."""

    river_flood: FloodOverride | None = None
    urban_flood: FloodOverride | None = None
    coastal_flood: CoastalOverride | None = None
    typhoon: TyphoonOverride | None = None
    heat_wave: dict[Literal["heat_days"], Annotated[float, Field(ge=0, le=92)]] | None = None
    cold_wave: dict[Literal["cold_days"], Annotated[float, Field(ge=0, le=90)]] | None = None
    wildfire: dict[Literal["fire_probability"], Annotated[float, Field(ge=0, le=1)]] | None = None
    drought: dict[Literal["drought_factor"], Annotated[float, Field(ge=0, le=10)]] | None = None
    water_stress: dict[Literal["water_stress"], Annotated[float, Field(ge=0, le=5)]] | None = None

    def to_domain(self) -> dict[str, dict[str, OverrideValue]]:
        out: dict[str, dict[str, OverrideValue]] = {}
        for hazard in HAZARDS:
            part = getattr(self, hazard)
            if part is None:
                continue
            items = part.items() if isinstance(part, dict) else part.model_dump().items()
            values = {k: v for k, v in items if v is not None}
            if values:
                out[hazard] = values
        return out


class AnalysisParams(_Strict):
    scenarios: list[Scenario] = Field(default=["SSP2-4.5", "SSP5-8.5"], min_length=1, max_length=4)
    horizons: list[Horizon] = Field(default=list(DEFAULT_HORIZONS), min_length=1, max_length=20)
    hazards: list[HazardKey] = Field(
        default_factory=lambda: list(get_args(HazardKey)), min_length=1, max_length=9
    )
    narrative: Literal["template", "llm"] | None = None
    overrides: Overrides = Field(default_factory=Overrides)


_EXAMPLE: dict[str, Any] = {
    "target_location": {"address": "서울특별시 중구 세종대로 110"},
    "building_info": {
        "structure": "reinforced_concrete",
        "year_built": 1998,
        "floors_above": 12,
        "floors_below": 2,
        "use": "office",
        "floor_area_m2": 15000,
    },
    "asset_info": {
        "replacement_value_krw": 30_000_000_000,
        "annual_revenue_krw": 3_000_000_000,
        "insured_fraction": 0.5,
    },
    "analysis_params": {"scenarios": ["SSP2-4.5", "SSP5-8.5"], "horizons": [2030, 2050, 2100]},
    "language": "ko",
}


class ReportRequest(_Strict):
    """Body of ``POST /v1/reports`` and the arguments of ``riskreport.analyze``."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"examples": [_EXAMPLE]}
    )

    target_location: TargetLocation
    building_info: BuildingInfo = Field(default_factory=BuildingInfo)
    asset_info: AssetInfo = Field(default_factory=AssetInfo)
    analysis_params: AnalysisParams = Field(default_factory=AnalysisParams)
    language: Literal["ko", "en"] = "ko"

    def to_domain(self) -> Assessment:
        """Frozen domain values with provenance; defaults filled and tagged ``assumption``."""
        loc = self.target_location
        if loc.address is not None:
            location = locate_address(loc.address, _resolve(loc.address.strip()))
        else:
            assert loc.lat is not None
            assert loc.lon is not None
            location = locate_coordinates(loc.lat, loc.lon, point_areas(loc.lat, loc.lon))
        b = self.building_info
        building = make_building(**b.model_dump(exclude_none=True))
        asset = make_asset(building, **self.asset_info.model_dump(exclude_none=True))
        p = self.analysis_params
        years = sorted({h for h in p.horizons if isinstance(h, int)})
        return Assessment(
            location=location,
            building=building,
            asset=asset,
            scenarios=tuple(dict.fromkeys(p.scenarios)),
            horizons=tuple(years),
            hazards=tuple(h for h in HAZARDS if h in set(p.hazards)),
            overrides=p.overrides.to_domain(),
            language=self.language,
            narrative=p.narrative,
        )
