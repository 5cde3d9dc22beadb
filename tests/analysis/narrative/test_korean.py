"""Korean particles follow the Korean reading of the word before them."""

from __future__ import annotations

import pytest

from riskreport.analysis.narrative.korean import final_consonant, josa, particle


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("태풍", "이/가", "태풍이"),
        ("홍수", "이/가", "홍수가"),
        ("폭염", "은/는", "폭염은"),
        ("가뭄", "을/를", "가뭄을"),
        ("도시 침수", "과/와", "도시 침수와"),
        ("산불", "과/와", "산불과"),
        # 으로/로: 로 after a vowel and after ㄹ
        ("서울", "으로/로", "서울로"),
        ("부산", "으로/로", "부산으로"),
        ("강릉시", "으로/로", "강릉시로"),
        # numbers are read in Korean: 일 이 삼 사 오 육 칠 팔 구, 십 백 천 만 억 조
        ("1", "이/가", "1이"),
        ("2", "이/가", "2가"),
        ("3", "을/를", "3을"),
        ("5", "은/는", "5는"),
        ("6", "이/가", "6이"),
        ("7", "으로/로", "7로"),
        ("10", "이/가", "10이"),
        ("100", "은/는", "100은"),
        ("1,000", "을/를", "1,000을"),
        ("20000", "이/가", "20000이"),
        ("2.5", "이/가", "2.5가"),
        ("0.41", "은/는", "0.41은"),
        ("2050년", "으로/로", "2050년으로"),
        # units and symbols: 퍼센트, 원, 도, 미터
        ("12.3%", "이/가", "12.3%가"),
        ("34.6억원", "이/가", "34.6억원이"),
        ("1.2조", "이/가", "1.2조가"),
        ("2.4°C", "은/는", "2.4°C는"),
        ("0.5 m", "이/가", "0.5 m가"),
        # Latin letters by their Korean names: 에이, 이, 엘, 엠, 엔, 알
        ("A", "이/가", "A가"),
        ("E", "은/는", "E는"),
        ("SSP5-8.5", "은/는", "SSP5-8.5는"),
        ("HTML", "을/를", "HTML을"),
        ("PDF", "을/를", "PDF를"),
        # brackets are skipped: the particle follows the word inside
        ("도시 침수(급성)", "이/가", "도시 침수(급성)이"),
    ],
)
def test_josa(word: str, pair: str, expected: str) -> None:
    assert josa(word, pair) == expected


def test_unreadable_word_gets_both_forms() -> None:
    assert particle("…", "이/가") == "이(가)"
    assert final_consonant("") is None


def test_unknown_pair_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown particle pair"):
        particle("태풍", "에/에서")
