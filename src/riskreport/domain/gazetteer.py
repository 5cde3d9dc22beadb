"""Korean provinces and municipalities, and offline address resolution at that level.

The table is KOSTAT SGIS 2018 [kostat-sgis-2018], packaged in ``data/``. An address resolves to its
municipality's representative point (or its province's, if only the province is known).

>>> g = load_gazetteer()
>>> m = resolve_address("서울특별시 중구 세종대로 110", g)
>>> (m.place.name_en, m.street_part)
('Jung-gu', '세종대로 110')
>>> resolve_address("강원특별자치도 홍천군", g).place.code
'32310'
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

_DATA_FILE = "korea_gazetteer_2018.csv"


@dataclass(frozen=True, slots=True)
class Place:
    level: str  # "province" | "municipality" | "city" (several districts of one city)
    code: str
    name_ko: str
    name_en: str
    parent_code: str
    lat: float
    lon: float
    area_km2: float


@dataclass(frozen=True, slots=True)
class Gazetteer:
    provinces: tuple[Place, ...]
    municipalities: tuple[Place, ...]

    def province(self, code: str) -> Place:
        for p in self.provinces:
            if p.code == code:
                return p
        raise KeyError(code)

    def municipality(self, code: str) -> Place:
        for m in self.municipalities:
            if m.code == code:
                return m
        raise KeyError(code)


@dataclass(frozen=True, slots=True)
class AddressMatch:
    place: Place
    province: Place
    street_part: str  # what was left of the address after the province and municipality
    note_en: str
    note_ko: str


class AddressError(ValueError):
    """The address could not be resolved to one Korean province or municipality."""


# Source errata and renamings since 2018 (README of the reference gazetteer).
_EN_CORRECTIONS = {"32360": "Cheorwon-gun"}
# Current names of provinces renamed since 2018 (2023, 2024); the 2018 names stay as aliases.
_RENAMED = {"32": ("강원특별자치도", "Gangwon State"), "35": ("전북특별자치도", "Jeonbuk State")}
_PROVINCE_ALIASES: dict[str, tuple[str, ...]] = {
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
_MOVED = {"37310": ("22",)}


def _norm(text: str) -> str:
    """Lower-case, without spaces, hyphens or punctuation: 'Haeundae-gu' -> 'haeundaegu'."""
    return re.sub(r"[\s\-_.,'()]", "", text).lower()


@cache
def load_gazetteer() -> Gazetteer:
    """Read the packaged table once."""
    text = resources.files("riskreport.domain.data").joinpath(_DATA_FILE).read_text("utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("#")]
    provinces: list[Place] = []
    municipalities: list[Place] = []
    for row in csv.DictReader(lines):
        name_ko, name_en = _RENAMED.get(row["code"], (row["name_ko"], row["name_en"]))
        place = Place(
            level=row["level"],
            code=row["code"],
            name_ko=name_ko,
            name_en=_EN_CORRECTIONS.get(row["code"]) or name_en,
            parent_code=row["parent_code"],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            area_km2=float(row["area_km2"]),
        )
        (provinces if place.level == "province" else municipalities).append(place)
    return Gazetteer(tuple(provinces), tuple(municipalities))


@cache
def _province_index() -> dict[str, str]:
    g = load_gazetteer()
    index: dict[str, str] = {}
    for p in g.provinces:
        for name in (p.name_ko, p.name_en, *_PROVINCE_ALIASES.get(p.code, ())):
            if not name.endswith("*"):
                index[_norm(name)] = p.code
    return index


def _city_name(m: Place) -> str | None:
    """'수원시' for the district '수원시장안구'; None for a municipality that is not a district."""
    hit = re.match(r"^(.+시)(.+구)$", m.name_ko)
    return hit.group(1) if hit else None


@cache
def _municipality_index() -> dict[str, tuple[str, ...]]:
    g = load_gazetteer()
    index: dict[str, list[str]] = {}
    for m in g.municipalities:
        names = {m.name_ko, m.name_en}
        city = _city_name(m)
        if city is not None:
            names.add(m.name_ko[len(city) :])  # '분당구' alone; ambiguity is settled below
        for name in names:
            index.setdefault(_norm(name), []).append(m.code)
    return {k: tuple(v) for k, v in index.items()}


def _in_province(m: Place, province_code: str) -> bool:
    return m.parent_code == province_code or province_code in _MOVED.get(m.code, ())


def _merge_city(parts: list[Place], city: str) -> Place:
    area = sum(p.area_km2 for p in parts)
    return Place(
        level="city",
        code=f"{parts[0].code}-{parts[-1].code}",
        name_ko=city,
        name_en=city,
        parent_code=parts[0].parent_code,
        lat=sum(p.lat * p.area_km2 for p in parts) / area,
        lon=sum(p.lon * p.area_km2 for p in parts) / area,
        area_km2=area,
    )


def resolve_address(address: str, gazetteer: Gazetteer | None = None) -> AddressMatch:
    """Resolve a Korean or English address to a municipality (or province); see module doc."""
    g = gazetteer or load_gazetteer()
    tokens = [t for t in re.split(r"[\s,]+", address.strip()) if t]
    if not tokens:
        raise AddressError("the address is empty")
    used: set[int] = set()
    province_code: str | None = None
    for i in range(len(tokens)):
        for span in (3, 2, 1):  # 'Gangwon State', 'Jeju Special Self-Governing Province'
            code = _province_index().get(_norm("".join(tokens[i : i + span])))
            if code is not None and province_code is None and i + span <= len(tokens):
                province_code, used = code, used | set(range(i, i + span))
    candidates: list[Place] = []
    city_tokens: set[int] = set()
    for i, tok in enumerate(tokens):
        if i in used:
            continue
        pair = _norm(tok + tokens[i + 1]) if i + 1 < len(tokens) else None
        if pair and pair in _municipality_index():
            candidates = [g.municipality(c) for c in _municipality_index()[pair]]
            used |= {i, i + 1}
            break
        if _norm(tok) in _municipality_index():
            candidates = [g.municipality(c) for c in _municipality_index()[_norm(tok)]]
            used |= {i}
            break
        city_parts = [m for m in g.municipalities if _city_name(m) == tok]
        if city_parts:
            city_tokens.add(i)
            used |= {i}
            candidates = city_parts
            nxt = _norm(tokens[i + 1]) if i + 1 < len(tokens) else ""
            sub = [m for m in city_parts if _norm(m.name_ko[len(tok) :]) == nxt]
            if sub:
                candidates, used = sub, used | {i + 1}
            break
    if province_code is not None:
        candidates = [m for m in candidates if _in_province(m, province_code)]
        only = [m for m in g.municipalities if m.parent_code == province_code]
        if not candidates and len(only) == 1:  # 세종특별자치시 has one municipality, 세종시
            candidates = only
    street = " ".join(t for i, t in enumerate(tokens) if i not in used)
    if candidates and city_tokens and len(candidates) > 1:
        place = _merge_city(candidates, tokens[min(city_tokens)])
        province = g.province(place.parent_code)
        return AddressMatch(
            place,
            province,
            street,
            f"Resolved to the centre of {place.name_ko} (all its districts); give the district "
            "(구) for a closer point.",
            f"{place.name_ko} 전체의 중심점으로 찾았습니다. "
            "더 가까운 위치는 구를 함께 적어 주십시오.",
        )
    if len(candidates) > 1:
        options = ", ".join(f"{g.province(m.parent_code).name_ko} {m.name_ko}" for m in candidates)
        raise AddressError(f"the address is ambiguous; add the province: {options}")
    if len(candidates) == 1:
        place = candidates[0]
        province = g.province(province_code or place.parent_code)
        if street:
            en = f"Street address resolved to the representative point of {place.name_en}."
            ko = f"도로명·지번 주소는 {place.name_ko}의 대표 지점으로 대신했습니다."
        else:
            en = f"Resolved to the representative point of {place.name_en}."
            ko = f"{place.name_ko}의 대표 지점으로 찾았습니다."
        return AddressMatch(place, province, street, en, ko)
    if province_code is not None:
        province = g.province(province_code)
        return AddressMatch(
            province,
            province,
            street,
            f"Only the province was recognised: resolved to the representative point of "
            f"{province.name_en}; results are coarse.",
            f"시도만 확인되어 {province.name_ko}의 대표 지점을 썼습니다. 결과가 거칠 수 있습니다.",
        )
    raise AddressError(
        "no Korean province or municipality (시도/시군구) was recognised in the address"
    )
