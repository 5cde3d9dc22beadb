"""The validated request in domain terms: where, what, which scenarios, and user overrides.

The analysis layer builds it from the HTTP/Python request (``ReportRequest.to_domain()``).

>>> from riskreport.domain.building import make_building, make_asset
>>> b = make_building()
>>> loc = locate_coordinates(37.5665, 126.978, PointAreas(11140103, 11020, 0, 0.0))
>>> a = Assessment(loc, b, make_asset(b), ("SSP2-4.5",), (2050,), ("heat_wave",), {}, "en")
>>> a.location.resolution
'coordinates'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from riskreport.domain.building import Asset, Building
from riskreport.domain.location import Location, PointAreas, locate_address, locate_coordinates
from riskreport.domain.scenarios import DEFAULT_HEADLINE

__all__ = [
    "Assessment",
    "Location",
    "OverrideValue",
    "PointAreas",
    "locate_address",
    "locate_coordinates",
]

# An override value: a number, or a curve given at some return periods {"10": 0.2, "100": 1.1}.
OverrideValue = float | tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class Assessment:
    location: Location
    building: Building
    asset: Asset
    scenarios: tuple[str, ...]
    horizons: tuple[int, ...]
    hazards: tuple[str, ...]
    overrides: Mapping[str, Mapping[str, OverrideValue]]
    language: str
    narrative: str | None = None
    headline: tuple[str, int] = DEFAULT_HEADLINE  # the case the grade comes from
