"""Offline address resolution at province and municipality level."""

from __future__ import annotations

import pytest

from riskreport.domain.address import AddressError, resolve_address


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
    ],
)
def test_resolves(address: str, code: str) -> None:
    assert resolve_address(address).place.code == code


def test_street_part_and_note() -> None:
    m = resolve_address("서울특별시 중구 세종대로 110")
    assert m.street_part == "세종대로 110"
    assert "No 읍면동" in m.note_en
    assert "lat/lon gives|lat/lon" in m.note_en or "lat/lon" in m.note_en


def test_renamed_provinces_use_current_names() -> None:
    assert resolve_address("강원도 홍천군").province.name_ko == "강원특별자치도"
    assert resolve_address("전라북도 전주시 덕진구").province.name_ko == "전북특별자치도"


def test_city_without_district_is_merged() -> None:
    m = resolve_address("수원시")
    assert m.place.level == "city"
    assert m.place.code == "31011-31014"


def test_province_only() -> None:
    assert resolve_address("경기도").place.level == "province"


@pytest.mark.parametrize("address", ["중구", "고성군"])
def test_ambiguous(address: str) -> None:
    with pytest.raises(AddressError, match="ambiguous"):
        resolve_address(address)


def test_unknown() -> None:
    with pytest.raises(AddressError, match="no Korean province"):
        resolve_address("1600 Pennsylvania Avenue, Washington")
