"""Indexes of written place names for address resolution: municipalities (with districts named
without their city, and districts newer than 2018), cities, and 읍면동 by administrative or legal
name, in Korean or romanized. Built once per gazetteer.

>>> from riskreport.domain.gazetteer import load_gazetteer
>>> g = load_gazetteer()
>>> municipality_index(g)["분당구"], [m.code for m in city_index(g)["수원시"]][:2]
(('31023',), ['31011', '31012'])
>>> [p.code for p in admin_index(g)["역삼1동"]]
['1123064']
"""

from __future__ import annotations

from functools import cache

from riskreport.domain.gazetteer import (
    Gazetteer,
    Place,
    city_name,
    load_legal_areas,
    norm,
)
from riskreport.domain.romanize import romanize


@cache
def municipality_index(g: Gazetteer) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for m in g.municipalities:
        names = {m.name_ko, m.name_en}
        city = city_name(m)
        if city is not None:
            names.add(m.name_ko[len(city) :])  # '분당구' alone; ambiguity is settled later
        for name in names:
            index.setdefault(norm(name), []).append(m.code)
    for (city, district), codes in NEW_DISTRICTS.items():
        for name in (district, city + district):
            index.setdefault(norm(name), []).extend(codes)
    return {k: tuple(v) for k, v in index.items()}


# Districts that the 2018 table does not have, as written -> the 2018 municipalities they lie in
# (several where a new district spans more than one: the 읍면동 or the province then decides).
NEW_DISTRICTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("인천광역시", "미추홀구"): ("23030",),  # 남구 renamed, 2018
    ("부천시", "원미구"): ("31050",),  # 부천시's districts, restored 2024
    ("부천시", "소사구"): ("31050",),
    ("부천시", "오정구"): ("31050",),
    ("화성시", "만세구"): ("31240",),  # 화성시's districts, 2026
    ("화성시", "효행구"): ("31240",),
    ("화성시", "병점구"): ("31240",),
    ("화성시", "동탄구"): ("31240",),
    ("인천광역시", "제물포구"): ("23010", "23020"),  # 인천's districts redrawn, 2026
    ("인천광역시", "영종구"): ("23010",),
    ("인천광역시", "검단구"): ("23080",),
    ("인천광역시", "서해구"): ("23080",),
}


@cache
def city_index(g: Gazetteer) -> dict[str, tuple[Place, ...]]:
    """Districts by their city's name: '수원시' -> the four districts of 수원시."""
    out: dict[str, list[Place]] = {}
    for m in g.municipalities:
        city = city_name(m)
        if city is not None:
            out.setdefault(city, []).append(m)
    return {k: tuple(v) for k, v in out.items()}


@cache
def legal_index() -> dict[str, tuple[int, ...]]:
    """Rows of the legal 읍면동 by name, Korean or romanized ('Yeoksam-dong'), normalised."""
    index: dict[str, list[int]] = {}
    for i, name in enumerate(load_legal_areas().emd_name.tolist()):
        for written in {norm(name), norm(romanize(name))}:
            index.setdefault(written, []).append(i)
    return {k: tuple(v) for k, v in index.items()}


@cache
def admin_index(g: Gazetteer) -> dict[str, tuple[Place, ...]]:
    """The 2018 administrative 읍면동 by written name (Korean or English), normalised."""
    index: dict[str, list[Place]] = {}
    for p in g.submunicipalities:
        for name in {norm(p.name_ko), norm(p.name_en)}:
            index.setdefault(name, []).append(p)
    return {k: tuple(v) for k, v in index.items()}
