"""The validated request in domain terms: where, what, which scenarios, and user overrides.

The analysis layer builds it from the HTTP/Python request (``ReportRequest.to_domain()``).

>>> from riskreport.domain.building import make_building, make_asset
>>> b = make_building()
>>> loc = locate_coordinates(37.5665, 126.978)
>>> a = Assessment(loc, b, make_asset(b), ("SSP2-4.5",), (2050,), ("heat_wave",), {}, "en")
>>> a.location.resolution
'coordinates'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from riskreport.domain.building import Asset, Building
from riskreport.domain.gazetteer import AddressMatch, load_gazetteer, resolve_address
from riskreport.domain.quantity import Provenance, Quantity
from riskreport.domain.scenarios import DEFAULT_HEADLINE
from riskreport.domain.site_grid import lookup
from riskreport.domain.sources import USER_KEY

# An override value: a number, or a curve given at some return periods {"10": 0.2, "100": 1.1}.
OverrideValue = float | tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class Location:
    lat: Quantity
    lon: Quantity
    muni_code: int  # 0 when only the province is known (the grid then decides)
    resolution: str  # coordinates | municipality_centroid | province_centroid
    matched: Mapping[str, str] | None
    input: Mapping[str, object]
    note_en: str
    note_ko: str


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


def _matched(code: str) -> dict[str, str]:
    g = load_gazetteer()
    m = g.municipality(code)
    p = g.province(m.parent_code)
    return {
        "province_ko": p.name_ko,
        "province_en": p.name_en,
        "municipality_ko": m.name_ko,
        "municipality_en": m.name_en,
        "code": m.code,
    }


def locate_coordinates(lat: float, lon: float) -> Location:
    """A point given by the user; its municipality is the nearest representative point."""
    _, code = lookup(np.array([lat]), np.array([lon]))
    matched = _matched(str(int(code[0])))
    return Location(
        lat=Quantity(lat, "deg", Provenance.USER_INPUT, USER_KEY),
        lon=Quantity(lon, "deg", Provenance.USER_INPUT, USER_KEY),
        muni_code=int(code[0]),
        resolution="coordinates",
        matched=matched,
        input={"lat": lat, "lon": lon},
        note_en=f"Coordinates as given; nearest municipality {matched['municipality_en']}.",
        note_ko=f"입력한 좌표를 썼습니다. 가장 가까운 시군구는 {matched['municipality_ko']}입니다.",
    )


def locate_address(address: str, match: AddressMatch | None = None) -> Location:
    """An address resolved offline to its municipality's (or province's) representative point."""
    m = match or resolve_address(address)
    src = "kostat-sgis-2018"
    lat = Quantity(m.place.lat, "deg", Provenance.DATA, src)
    lon = Quantity(m.place.lon, "deg", Provenance.DATA, src)
    if m.place.level == "province":
        return Location(
            lat, lon, 0, "province_centroid", None, {"address": address}, m.note_en, m.note_ko
        )
    code = m.place.code if m.place.level == "municipality" else "0"
    matched = (
        _matched(code)
        if code != "0"
        else {
            "province_ko": m.province.name_ko,
            "province_en": m.province.name_en,
            "municipality_ko": m.place.name_ko,
            "municipality_en": m.place.name_en,
            "code": m.place.code,
        }
    )
    return Location(
        lat,
        lon,
        int(code),
        "municipality_centroid",
        matched,
        {"address": address},
        m.note_en,
        m.note_ko,
    )
