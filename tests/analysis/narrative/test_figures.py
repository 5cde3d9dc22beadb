"""The number check: figures in a text are read with their units and matched to the result."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from riskreport.analysis.narrative.figures import (
    ResultFigures,
    _as_number,
    _walk,
    read_figures,
    unmatched_figures,
)
from riskreport.analysis.narrative.numbers import number_format
from tests.analysis.narrative.reports import BUILDINGS, report_of


def q(value: float, unit: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "provenance": "derived", "source": "test"}


REPORT: dict[str, Any] = {
    "model_version": "riskreport-physical-1.0",
    "location": {"input": {"address": "서울특별시 중구 세종대로 110"}},
    "parameters": {"scenarios": ["SSP2-4.5", "SSP5-8.5"], "horizons": [2030, 2050]},
    "eal": q(3_456_000_000, "KRW"),
    "small": q(6_164_000, "KRW"),
    "share": q(0.433, "%"),
    "probability": q(0.01, "1/yr"),
    "insured": q(0.5, "fraction"),
    "return_period_losses": {"100": q(2_910_860_000, "KRW")},
    "change": q(-31.5, "%"),
}


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("34.6억원", [3_460_000_000]),
        ("12억 3,400만원", [1_234_000_000]),
        ("1조 2천억원", [1_200_000_000_000]),
        ("3천만원", [30_000_000]),
        ("KRW 3.46 billion", [3_460_000_000]),
        ("3.46 bn", [3_460_000_000]),
        ("1,234,567원", [1_234_567]),
        ("2030, 2050", [2030, 2050]),
        ("2030,2050", [2030, 2050]),
        ("약12%", [12]),
        ("12.3 percent", [12.3]),
        # a place word followed by other Hangul is a word, not a scale: 3 조치
        ("3조치를 권고", [3]),
        # the tail of a word or code is not a figure
        ("CO2 v0.1", []),
    ],
)
def test_read_figures(text: str, values: list[float]) -> None:
    assert [f.value for f in read_figures(text)] == pytest.approx(values)


@pytest.mark.parametrize(
    "text",
    [
        "연간 기대손실은 34.6억원, 35억원, 34억 5,600만원입니다.",
        "The loss is KRW 3.46 billion (0.433% of value), KRW 3.5 billion rounded.",
        "100년 빈도 손실은 29.1억원, 연 1% 확률, 100년에 한 번.",
        "보험 가입 비율 50%, SSP2-4.5와 SSP5-8.5, 2030년과 2050년.",
        "서울특별시 중구 세종대로 110, 모델 riskreport-physical-1.0",
        "31.5% 감소, down 31.5%",
        "616만원, 6,164,000원",
    ],
)
def test_figures_of_the_result_pass(text: str) -> None:
    assert ResultFigures.from_report(REPORT).unmatched(text) == []


@pytest.mark.parametrize(
    ("text", "unmatched"),
    [
        ("연간 기대손실은 36억원입니다.", ["36억"]),
        ("KRW 3.4 billion", ["3.4 billion"]),
        ("12.3% 증가", ["12.3%"]),
        # the address excuses its own "110", not a 110 elsewhere
        ("110번지의 손실 110억원", ["110", "110억"]),
        ("SSP2-4.6 시나리오", ["4.6"]),
        ("2040년에는", ["2040"]),
        # a share is not a share of something else: 0.433 written as a percent must be 0.433%
        ("43.3%", ["43.3%"]),
    ],
)
def test_figures_not_in_the_result_fail(text: str, unmatched: list[str]) -> None:
    assert ResultFigures.from_report(REPORT).unmatched(text) == unmatched


def test_a_coarse_rounding_more_than_five_percent_off_fails() -> None:
    assert ResultFigures.from_report({"x": q(4.98e12, "KRW")}).unmatched("5조원") == []
    assert ResultFigures.from_report({"x": q(4.54e12, "KRW")}).unmatched("5조원") == ["5조"]
    assert ResultFigures.from_report({"x": q(1.4, "%")}).unmatched("약 1%") == ["1%"]


def test_unmatched_figures_over_many_texts() -> None:
    assert unmatched_figures(["34.6억원", "99억원"], REPORT) == ["99억"]


# Amounts from 1,000 won: below that, a tenth of the amount is less than the 1 won written.
money = st.floats(min_value=1e3, max_value=5e13, allow_nan=False, allow_infinity=False)


@given(value=money, language=st.sampled_from(["ko", "en"]))
def test_every_formatted_amount_checks_out(value: float, language: str) -> None:
    text = number_format(language).krw(value)
    assert ResultFigures.from_report({"x": q(value, "KRW")}).unmatched(text) == []


@settings(max_examples=300)
@given(
    value=money,
    factor=st.sampled_from([0.9, 1.1, 2.0, 0.5]),
    language=st.sampled_from(["ko", "en"]),
)
def test_an_amount_off_by_ten_percent_fails(value: float, factor: float, language: str) -> None:
    text = number_format(language).krw(value * factor)
    assert ResultFigures.from_report({"x": q(value, "KRW")}).unmatched(text) != []


@given(value=st.floats(min_value=0.0001, max_value=1000, allow_nan=False))
def test_every_formatted_percentage_checks_out(value: float) -> None:
    text = number_format("ko").quantity(q(value, "%"))
    assert ResultFigures.from_report({"x": q(value, "%")}).unmatched(text) == []


def _masked_by_regex(text: str, literal: str) -> str:
    # The mask as a regular expression, as it was written before a search replaced it.
    pattern = rf"(?<![A-Za-z0-9]){re.escape(literal)}(?![0-9])"
    return re.sub(pattern, lambda m: " " * len(m.group(0)), text)


# Texts built from the characters that decide a whole word: ASCII letters and digits around
# the literal, a Hangul letter (a word character the mask does not look at), spaces, dots.
_AROUND = st.text(alphabet="aZ09 .-가", max_size=6)


@settings(max_examples=400)
@given(
    literal=st.sampled_from(["SSP2-4.5", "110", "1a1", "aa", "2050"]),
    pieces=st.lists(_AROUND, min_size=1, max_size=5),
)
def test_the_mask_blanks_what_the_whole_word_pattern_did(literal: str, pieces: list[str]) -> None:
    text = literal.join(pieces)
    figures = ResultFigures(values=(), percents=(), verbatim=(literal,))
    assert figures.mask(text) == _masked_by_regex(text, literal)


def test_the_mask_blanks_whole_words_only() -> None:
    figures = ResultFigures(values=(), percents=(), verbatim=("SSP2-4.5",))
    assert figures.mask("SSP2-4.5: 3, xSSP2-4.5 SSP2-4.55 (SSP2-4.5)") == (
        "        : 3, xSSP2-4.5 SSP2-4.55 (        )"
    )


def _reference_walk(
    node: Any, unit: str | None, numbers: list[tuple[float, str | None]], strings: set[str]
) -> None:
    # The number check's walk in its plainest form: each node by itself, recursively.
    if isinstance(node, str):
        strings.add(node)
        if (number := _as_number(node)) is not None:
            numbers.append((number, unit))
    elif isinstance(node, bool) or node is None:
        return
    elif isinstance(node, int | float):
        if math.isfinite(node):
            numbers.append((float(node), unit))
    elif isinstance(node, Mapping):
        own = node.get("unit")
        own_unit = own if isinstance(own, str) else unit
        for key, child in node.items():
            if isinstance(key, str):
                strings.add(key)
                if (number := _as_number(key)) is not None:
                    numbers.append((number, None))
            _reference_walk(child, own_unit, numbers, strings)
    elif isinstance(node, list | tuple):
        for child in node:
            _reference_walk(child, unit, numbers, strings)


@pytest.mark.parametrize("name", sorted(BUILDINGS))
@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_quick_walk_finds_what_the_plain_one_finds(name: str, language: str) -> None:
    report: dict[str, Any] = {**report_of(name, language), "odd": [q(True, "m"), (q(1, "%"),)]}
    found: tuple[list[tuple[float, str | None]], set[str]] = ([], set())
    _walk(report, None, *found)
    expected: tuple[list[tuple[float, str | None]], set[str]] = ([], set())
    _reference_walk(report, None, *expected)
    assert (sorted(map(str, found[0])), found[1]) == (sorted(map(str, expected[0])), expected[1])
