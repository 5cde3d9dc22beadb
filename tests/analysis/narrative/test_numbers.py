"""Figures as each language writes them."""

from __future__ import annotations

import pytest

from riskreport.analysis.narrative.numbers import number_format, significant


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (123456.7, "123,457"),
        (12.345, "12.3"),
        (1.0, "1"),
        (0.012345, "0.0123"),
        (-4.25, "-4.25"),
        (9.996, "10"),
    ],
)
def test_significant(value: float, expected: str) -> None:
    assert significant(value) == expected


@pytest.mark.parametrize(
    ("value", "ko", "en"),
    [
        (0, "0원", "KRW 0"),
        (95_000, "95,000원", "KRW 95,000"),
        (3_456_000, "346만원", "KRW 3.46 million"),
        (34_560_000, "3,456만원", "KRW 34.6 million"),
        (345_600_000, "3.46억원", "KRW 346 million"),
        (3_456_000_000, "34.6억원", "KRW 3.46 billion"),
        (30_000_000_000, "300억원", "KRW 30 billion"),
        (123_400_000_000, "1,234억원", "KRW 123 billion"),
        (1_234_000_000_000, "1.23조원", "KRW 1.23 trillion"),
        (-61_000_000, "-6,100만원", "-KRW 61 million"),
    ],
)
def test_krw(value: float, ko: str, en: str) -> None:
    assert number_format("ko").krw(value) == ko
    assert number_format("en").krw(value) == en


@pytest.mark.parametrize(
    ("quantity", "ko", "en"),
    [
        ({"value": 0.4126, "unit": "%"}, "0.413%", "0.413%"),
        ({"value": 0.01, "unit": "1/yr"}, "연 1%", "1% a year"),
        ({"value": 2.4, "unit": "degC"}, "2.4°C", "2.4°C"),
        ({"value": 17.1, "unit": "days"}, "17.1일", "17.1 days"),
        ({"value": 20, "unit": "years"}, "20년", "20 years"),
        ({"value": 1998, "unit": "year"}, "1998년", "1998"),
        ({"value": 1, "unit": "floors"}, "1층", "1 floor"),
        ({"value": 12, "unit": "floors"}, "12층", "12 floors"),
        ({"value": 15000, "unit": "m2"}, "15,000㎡", "15,000 m²"),
        ({"value": 0.5, "unit": "fraction"}, "50%", "50%"),
        ({"value": 1.51, "unit": "x"}, "1.51배", "×1.51"),
        ({"value": 0.228, "unit": "m"}, "0.228 m", "0.228 m"),
        ({"value": 42.8, "unit": "m/s"}, "42.8 m/s", "42.8 m/s"),
        ({"value": 5, "unit": "score"}, "5", "5"),
    ],
)
def test_quantity(quantity: dict[str, object], ko: str, en: str) -> None:
    assert number_format("ko").quantity(quantity) == ko
    assert number_format("en").quantity(quantity) == en


def test_change_says_the_direction() -> None:
    assert number_format("ko").change(68.7) == "68.7% 증가"
    assert number_format("ko").change(-31.5) == "31.5% 감소"
    assert number_format("ko").change(0) == "변화 없음"
    assert number_format("en").change(-31.5) == "down 31.5%"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="no number format"):
        number_format("ja")


def test_a_non_number_is_refused() -> None:
    with pytest.raises(TypeError):
        number_format("en").quantity({"value": True, "unit": "%"})
    with pytest.raises(ValueError, match="cannot format"):
        significant(float("nan"))
