"""Offline resolution of Korean addresses as people write them, down to the 읍면동 (and 리).

Provinces in full, short or old form (서울 / 서울특별시, 충북, 강원도), cities and districts joined
or apart (성남시분당구 / 성남시 분당구), administrative (행정동, '역삼1동') and legal (법정동,
'역삼동', '태평로1가') 읍면동 names, 읍/면 with a 리. The named 읍면동's representative point is
used, else the municipality's, else the province's.

>>> m = resolve_address("서울특별시 강남구 역삼1동")
>>> (m.place.name_en, m.dong.name_ko, m.dong.kind)
('Gangnam-gu', '역삼1동', 'admin')
>>> m = resolve_address("부산 해운대구 중동 1394")
>>> (m.dong.name_en, m.dong.kind, m.street_part)
('Jung-dong', 'legal', '1394')
>>> resolve_address("서울특별시 중구 세종대로 110").dong is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from riskreport.domain.gazetteer import (
    AddressError,
    Gazetteer,
    Place,
    in_province,
    load_gazetteer,
    load_legal_areas,
    norm,
    province_code,
)
from riskreport.domain.place_names import (
    admin_index,
    city_index,
    legal_index,
    municipality_index,
)
from riskreport.domain.romanize import romanize

__all__ = ["AddressError", "AddressMatch", "Dong", "resolve_address"]


@dataclass(frozen=True, slots=True)
class Dong:
    """A named 읍면동: administrative (KOSTAT 2018 행정동) or legal (NGII 2023 법정동)."""

    kind: str  # "admin" | "legal"
    name_ko: str
    name_en: str
    code: str  # the KOSTAT code of an administrative one; '' for a legal one
    legal_code: str  # the 8-digit legal code when known; '' otherwise
    muni_code: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class AddressMatch:
    place: Place  # municipality (or a city's districts merged, or the province)
    province: Place
    street_part: str  # what was left of the address after the places it named
    note_en: str
    note_ko: str
    dong: Dong | None = None
    ri: tuple[str, str] | None = None  # (name, 10-digit legal code)


def _tokens(address: str) -> list[str]:
    return [t for t in re.split(r"[\s,()]+", address.strip()) if t]


def _find_province(tokens: list[str], g: Gazetteer) -> tuple[str | None, set[int]]:
    for i in range(len(tokens)):
        for span in (3, 2, 1):  # 'Gangwon State', 'Jeju Special Self-Governing Province'
            if i + span <= len(tokens):
                code = province_code("".join(tokens[i : i + span]), g)
                if code is not None:
                    return code, set(range(i, i + span))
    return None, set()


def _find_municipality(
    tokens: list[str], used: set[int], g: Gazetteer
) -> tuple[list[Place], set[int], int | None]:
    """Candidate municipalities, the tokens they used and the city token (a city named alone)."""
    index = municipality_index(g)
    for i, tok in enumerate(tokens):
        if i in used:
            continue
        pair = norm(tok + tokens[i + 1]) if i + 1 < len(tokens) else None
        if pair and pair in index:
            return [g.municipality(c) for c in index[pair]], {i, i + 1}, None
        if norm(tok) in index:
            return [g.municipality(c) for c in index[norm(tok)]], {i}, None
        city_parts = list(city_index(g).get(tok, ()))
        if city_parts:
            nxt = norm(tokens[i + 1]) if i + 1 < len(tokens) else ""
            sub = [m for m in city_parts if norm(m.name_ko[len(tok) :]) == nxt]
            if sub:
                return sub, {i, i + 1}, None
            return city_parts, {i}, i
    return [], set(), None


def _words(tokens: list[str], used: set[int]) -> list[tuple[int, int, str]]:
    """(first token, tokens, word) that may name a 읍면동, a word split in two first
    ('역삼 1동', 'Taepyeongno 1-ga')."""
    out: list[tuple[int, int, str]] = []
    for i, tok in enumerate(tokens):
        if i in used:
            continue
        if i + 1 < len(tokens) and i + 1 not in used and _looks_like_dong(tokens[i + 1]):
            out.append((i, 2, tok + tokens[i + 1]))
        if _looks_like_dong(tok):
            out.append((i, 1, tok))
    return out


def _looks_like_dong(tok: str) -> bool:
    return bool(re.search(r"(동|가|읍|면|로)$", tok)) or tok.lower().endswith(
        ("dong", "eup", "myeon", "ga")
    )


def _dongs(tok: str, munis: set[str] | None, prov: str | None, g: Gazetteer) -> list[Dong]:
    """읍면동 named ``tok`` in the municipalities (or province, or the country)."""
    key = norm(tok)
    out: list[Dong] = []

    def wanted(muni: str) -> bool:
        if munis is not None:
            return muni in munis
        return prov is None or in_province(g.municipality(muni), prov)

    for p in admin_index(g).get(key, ()):
        if wanted(p.parent_code):
            legal = _legal_code(p.name_ko, p.parent_code)
            out.append(
                Dong("admin", p.name_ko, p.name_en, p.code, legal, p.parent_code, p.lat, p.lon)
            )
    a = load_legal_areas()
    for i in legal_index().get(key, ()):
        muni = str(int(a.emd_muni[i]))
        if not wanted(muni) or any(d.muni_code == muni for d in out):
            continue  # an administrative 읍면동 of the same name there is the same place
        name, lat, lon = str(a.emd_name[i]), float(a.emd_lat[i]), float(a.emd_lon[i])
        legal = str(int(a.emd_code[i]))
        out.append(Dong("legal", name, romanize(name), "", legal, muni, lat, lon))
    return out


def _legal_code(name: str, muni: str) -> str:
    a = load_legal_areas()
    hit = np.flatnonzero((a.emd_name == name) & (a.emd_muni == int(muni)))
    return str(int(a.emd_code[hit[0]])) if hit.size else ""


def _ri(tok: str, dong: Dong) -> tuple[str, str] | None:
    if not dong.legal_code or not tok.endswith("리"):
        return None
    a = load_legal_areas()
    hit = np.flatnonzero((a.ri_name == tok) & (a.ri_code // 100 == int(dong.legal_code)))
    return (tok, str(int(a.ri_code[hit[0]]))) if hit.size else None


def _options(places: list[Place], g: Gazetteer) -> str:
    return ", ".join(f"{g.province(m.parent_code).name_ko} {m.name_ko}" for m in places)


def resolve_address(address: str, gazetteer: Gazetteer | None = None) -> AddressMatch:
    """Resolve a Korean or English address; see the module doc. Raises :class:`AddressError`."""
    g = gazetteer or load_gazetteer()
    tokens = _tokens(address)
    if not tokens:
        raise AddressError("the address is empty")
    prov, used = _find_province(tokens, g)
    candidates, muni_used, city_token = _find_municipality(tokens, used, g)
    used |= muni_used
    if prov is not None:
        candidates = [m for m in candidates if in_province(m, prov)]
        only = [m for m in g.municipalities if m.parent_code == prov]
        if not candidates and len(only) == 1:  # 세종특별자치시 has one municipality, 세종시
            candidates = only
    # The 읍면동 (and 리): the first remaining token that names one in the candidates.
    dong: Dong | None = None
    ri: tuple[str, str] | None = None
    munis = {m.code for m in candidates} if candidates else None
    for i, span, tok in _words(tokens, used):
        found = _dongs(tok, munis, prov, g)
        if not found:
            continue
        if len({d.muni_code for d in found}) > 1:
            places = [g.municipality(c) for c in dict.fromkeys(d.muni_code for d in found)]
            raise AddressError(
                f"the address is ambiguous: {tok} is in {_options(places, g)}; "
                "add the province and municipality"
            )
        dong = found[0]
        used |= set(range(i, i + span))
        if i + span < len(tokens):
            ri = _ri(tokens[i + span], dong)
            if ri is not None:
                used.add(i + span)
        candidates = [g.municipality(dong.muni_code)]
        break
    street = " ".join(t for i, t in enumerate(tokens) if i not in used)
    if candidates and city_token is not None and len(candidates) > 1:
        place = _merge_city(candidates, tokens[city_token])
        return AddressMatch(
            place,
            g.province(place.parent_code),
            street,
            f"Resolved to the centre of {place.name_ko} (all its districts); give the district "
            "(gu) or the eup/myeon/dong for a closer point, or lat/lon for the exact site.",
            f"{place.name_ko} 전체의 중심점으로 찾았습니다. 더 가까운 위치는 구나 읍면동을, "
            "정확한 위치는 위도·경도를 적어 주십시오.",
        )
    if len(candidates) > 1:
        more = "the 읍면동" if prov is not None else "the province"
        raise AddressError(
            f"the address is ambiguous; add {more}: it may be {_options(candidates, g)}"
        )
    if len(candidates) == 1:
        return _matched(candidates[0], prov, street, dong, ri, g)
    if prov is not None:
        province = g.province(prov)
        return AddressMatch(
            province,
            province,
            street,
            f"Only the province was recognised: resolved to the representative point of "
            f"{province.name_en}; results are coarse. Give lat/lon for the exact site.",
            f"시도만 확인되어 {province.name_ko}의 대표 지점을 썼습니다. 결과가 거칠 수 있으니 "
            "정확한 위치는 위도·경도를 적어 주십시오.",
        )
    raise AddressError(
        "no Korean province, municipality or 읍면동 (시도/시군구/읍면동) was recognised in the "
        "address"
    )


def _matched(
    place: Place,
    prov: str | None,
    street: str,
    dong: Dong | None,
    ri: tuple[str, str] | None,
    g: Gazetteer,
) -> AddressMatch:
    province = g.province(prov or place.parent_code)
    if place.code in ("37310",) and prov is None:
        province = g.province("22")  # 군위군 is in 대구광역시 since 2023
    if dong is not None:
        en = f"Resolved to the representative point of {dong.name_en}, {place.name_en}."
        ko = f"{place.name_ko} {dong.name_ko}의 대표 지점으로 찾았습니다."
        if street:
            en += " Give lat/lon for the exact site."
            ko += " 정확한 위치는 위도·경도를 적어 주십시오."
    elif street:
        en = (
            f"No eup/myeon/dong was recognised in the address ('{street}'): located at the "
            "representative "
            f"point of {place.name_en}. Give lat/lon for the exact site."
        )
        ko = (
            f"주소에서 읍면동을 찾지 못해('{street}') {place.name_ko}의 대표 지점을 썼습니다. "
            "정확한 위치는 위도·경도를 적어 주십시오."
        )
    else:
        en = f"Resolved to the representative point of {place.name_en}."
        ko = f"{place.name_ko}의 대표 지점으로 찾았습니다."
    return AddressMatch(place, province, street, en, ko, dong, ri)


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
