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

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Annotated, Any, Literal, cast

import numpy as np
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    ValidationInfo,
    WithJsonSchema,
    create_model,
    field_validator,
    model_validator,
)

from riskreport.analysis.location import MAX_OFFSHORE_KM, point_areas
from riskreport.domain.address import AddressError, AddressMatch, resolve_address
from riskreport.domain.assessment import Assessment, OverrideValue
from riskreport.domain.building import Structure, Use, make_asset, make_building
from riskreport.domain.hazards.base import CurvePoints, Override
from riskreport.domain.hazards.registry import HAZARDS, REGISTRY, Registry
from riskreport.domain.location import locate_address, locate_coordinates
from riskreport.domain.scenarios import (
    DEFAULT_HEADLINE,
    DEFAULT_HORIZONS,
    FIRST_YEAR,
    LAST_YEAR,
)
from riskreport.domain.site_grid import LAT_MAX, LAT_MIN, LON_MAX, LON_MIN, lookup

Scenario = Literal["SSP1-2.6", "SSP2-4.5", "SSP3-7.0", "SSP5-8.5"]
if TYPE_CHECKING:
    HazardKey = str
else:
    # The registry's keys, as a Literal: the schema lists them and validation names them.
    HazardKey = Literal[HAZARDS]
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

    # The schema's bounds are Korea's box (the validators' own limits); a point in the box may
    # still be refused as out at sea, which no JSON schema can say.
    lat: float | None = Field(
        default=None,
        description="Latitude, degrees",
        json_schema_extra={"minimum": LAT_MIN, "maximum": LAT_MAX},
    )
    lon: float | None = Field(
        default=None,
        description="Longitude, degrees",
        json_schema_extra={"minimum": LON_MIN, "maximum": LON_MAX},
    )
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
            # The same polygon lookup that places the site (to_domain): a point it cannot place
            # (North Korea, far islets of other countries) is refused here, not in the job.
            if point_areas(lat, v).muni_code == 0:
                raise ValueError(
                    f"({lat}, {v}) is not within {MAX_OFFSHORE_KM:.0f} km of any South Korean "
                    "읍면동 (North Korea, at sea or outside the supported area)"
                )
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
    distance_to_river_m: float | None = Field(default=None, ge=0, le=500_000)
    distance_to_coast_m: float | None = Field(default=None, ge=0, le=500_000)
    distance_to_forest_m: float | None = Field(default=None, ge=0, le=100_000)


class AssetInfo(_Strict):
    """Values in KRW; missing ones fall back to floor area x published cost (tagged)."""

    replacement_value_krw: float | None = Field(default=None, ge=0, le=1e16)
    contents_value_krw: float | None = Field(default=None, ge=0, le=1e16)
    annual_revenue_krw: float | None = Field(
        default=None,
        ge=0,
        le=1e16,
        description="Annual revenue; missing or 0 (owner-occupied, public) takes the output such "
        "a building produces (residential: imputed rent), with a note.",
    )
    insured_fraction: float | None = Field(default=None, ge=0, le=1)


# A return period key: decimal years within 1-100000, as the OpenAPI schema states it.
_RETURN_PERIOD = r"^(?:[1-9][0-9]{0,4}(?:\.[0-9]+)?|100000)$"


def _curve(value: Any) -> CurvePoints:
    """A curve from JSON ``{"100": 1.2}``; the validated form (pairs) is accepted too."""
    shape = 'a curve is an object of return period -> value, e.g. {"100": 1.2}'
    if isinstance(value, list | tuple) and value:
        try:
            value = dict(value)
        except (TypeError, ValueError):
            raise ValueError(shape) from None
    if not isinstance(value, dict) or not value:
        raise ValueError(shape)
    points = []
    for k, v in value.items():
        if isinstance(k, str) and not re.fullmatch(_RETURN_PERIOD, k):
            raise ValueError(f"return period {k!r} is not a number of years within 1-100000")
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


def _curve_json(points: CurvePoints) -> dict[str, float]:
    """The JSON form again, so a dumped request validates as it was given."""
    return {str(int(rp)) if rp.is_integer() else repr(rp): x for rp, x in points}


Curve = Annotated[
    CurvePoints,
    PlainValidator(_curve),
    PlainSerializer(_curve_json, return_type=dict[str, float]),
    WithJsonSchema(
        {
            "type": "object",
            "minProperties": 1,
            "propertyNames": {"pattern": _RETURN_PERIOD},
            "additionalProperties": {"type": "number", "minimum": 0, "maximum": 1000},
        }
    ),
]


class OverridesBase(_Strict):
    """Replace any hazard input; replaced values carry provenance ``user_input``.

    One optional member per hazard of the registry that declares overrides (see
    :func:`overrides_model`), each with that hazard's fields.
    """

    def to_domain(self) -> dict[str, dict[str, OverrideValue]]:
        out: dict[str, dict[str, OverrideValue]] = {}
        for hazard, part in self:
            if part is None:
                continue
            values = {k: v for k, v in part if v is not None}
            if values:
                out[hazard] = values
        return out


def _override_field(ov: Override) -> Any:
    if ov.curve:
        return (Curve | None, Field(default=None, description=ov.description))
    if ov.low_exclusive:
        return (
            float | None,
            Field(default=None, description=ov.description, gt=ov.low, le=ov.high),
        )
    return (float | None, Field(default=None, description=ov.description, ge=ov.low, le=ov.high))


def overrides_model(registry: Registry) -> type[OverridesBase]:
    """The ``analysis_params.overrides`` model of a registry: its hazards' override fields."""
    members: dict[str, Any] = {}
    for hazard in registry:
        if not hazard.overrides:
            continue
        name = "".join(p.title() for p in hazard.key.split("_")) + "Override"
        part = create_model(
            name,
            __base__=_Strict,
            __doc__=f"Inputs of {hazard.names.en} the user may replace.",
            **{ov.name: _override_field(ov) for ov in hazard.overrides},
        )
        members[hazard.key] = (part | None, None)
    return create_model("Overrides", __base__=OverridesBase, **members)


if TYPE_CHECKING:
    Overrides = OverridesBase
else:
    Overrides = overrides_model(REGISTRY)


class HeadlineCase(_Strict):
    """The scenario and horizon the headline grade comes from (computed even if not requested)."""

    scenario: Scenario = cast(Scenario, DEFAULT_HEADLINE[0])
    horizon: int = Field(default=DEFAULT_HEADLINE[1], ge=FIRST_YEAR, le=LAST_YEAR)


class AnalysisParams(_Strict):
    scenarios: list[Scenario] = Field(default=["SSP2-4.5", "SSP5-8.5"], min_length=1, max_length=4)
    horizons: list[Horizon] = Field(default=list(DEFAULT_HORIZONS), min_length=1, max_length=20)
    hazards: list[HazardKey] = Field(
        default_factory=lambda: list(HAZARDS), min_length=1, max_length=len(HAZARDS)
    )
    narrative: Literal["template", "llm"] | None = None
    overrides: Overrides = Field(default_factory=Overrides)
    headline: HeadlineCase = Field(
        default_factory=HeadlineCase,
        description="The case of the headline grade; the worst requested case is shown beside it",
    )


def params_model(registry: Registry) -> type[AnalysisParams]:
    """``analysis_params`` for another registry (e.g. one with a hazard added in a test)."""
    keys = registry.keys
    overrides = overrides_model(registry)
    return create_model(
        "AnalysisParams",
        __base__=AnalysisParams,
        hazards=(
            list[Literal[keys]],  # type: ignore[valid-type]
            Field(default_factory=lambda: list(keys), min_length=1, max_length=len(keys)),
        ),
        overrides=(overrides, Field(default_factory=overrides)),
    )


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
            headline=(p.headline.scenario, p.headline.horizon),
        )
