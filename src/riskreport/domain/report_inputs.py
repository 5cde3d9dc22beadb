"""What one building's report is built from: where, what, which cases, and the user's tags.

The analysis fills it from the request; :func:`riskreport.domain.report.build_report` reads it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from riskreport.domain.building import Asset, Building
from riskreport.domain.location import Location
from riskreport.domain.quantity import Provenance, Quantity
from riskreport.domain.scenarios import DEFAULT_HEADLINE
from riskreport.domain.site import SiteBatch


@dataclass(frozen=True, slots=True)
class LocationInfo:
    lat: Quantity
    lon: Quantity
    input: Mapping[str, Any]
    resolution: str  # coordinates | emd_point | municipality_point | province_point
    matched: Mapping[str, str] | None
    note_en: str
    note_ko: str
    levels: tuple[Mapping[str, str], ...]  # province, municipality, emd, ri as present
    source: str  # what placed the site (domain/location.py)
    sources: tuple[str, ...]  # every source key behind the block (Location.sources)

    @classmethod
    def of(cls, loc: Location) -> LocationInfo:
        """The report's view of a located site."""
        return cls(
            loc.lat,
            loc.lon,
            loc.input,
            loc.resolution,
            loc.matched,
            loc.note_en,
            loc.note_ko,
            tuple(level.as_dict() for level in loc.levels),
            loc.source,
            loc.sources,
        )


@dataclass(frozen=True, slots=True)
class ReportInputs:
    location: LocationInfo
    building: Building
    asset: Asset
    scenarios: tuple[str, ...]
    horizons: tuple[int, ...]
    hazards: tuple[str, ...]
    language: str
    site: SiteBatch
    # "<hazard>.<input>" or "site.<fact>" -> (provenance, source) where not the default
    input_provenance: Mapping[str, tuple[Provenance, str]] = field(default_factory=dict)
    overridden_hazards: frozenset[str] = frozenset()
    headline: tuple[str, int] = DEFAULT_HEADLINE  # the case the grade comes from
    narrative: str | None = None  # the narrative writer asked for, echoed in parameters
