"""Korean particles (조사) chosen by how the word before them is read aloud.

Korean writes a particle in one of two forms depending on whether the preceding syllable ends in a
consonant (받침): 홍수**가**, 태풍**이**, 12.3%**가** (퍼센트), 30억원**이** (원). Numbers, Latin
letters and unit symbols are read in Korean, so the choice follows their Korean reading::

    >>> josa("태풍", "이/가")
    '태풍이'
    >>> josa("SSP5-8.5", "은/는")
    'SSP5-8.5는'
    >>> josa("2050년", "으로/로")
    '2050년으로'
    >>> josa("10", "을/를")
    '10을'
"""

from __future__ import annotations

import re
from typing import Final

# Particle pairs: (form after a final consonant, form after a vowel).
# 으로/로 also takes 로 after ㄹ.
PARTICLES: Final[dict[str, tuple[str, str]]] = {
    "이/가": ("이", "가"),
    "은/는": ("은", "는"),
    "을/를": ("을", "를"),
    "과/와": ("과", "와"),
    "이나/나": ("이나", "나"),
    "이라/라": ("이라", "라"),
    "이며/며": ("이며", "며"),
    "이고/고": ("이고", "고"),
    "으로/로": ("으로", "로"),
    "이다/다": ("이다", "다"),
}

_HANGUL_FIRST: Final = 0xAC00
_HANGUL_LAST: Final = 0xD7A3
_RIEUL: Final = 8  # index of ㄹ among the 28 final-consonant slots

# Final consonant of each digit's Korean reading: 영 일 이 삼 사 오 육 칠 팔 구.
# Values: 0 = no final consonant, _RIEUL = ㄹ, 1 = any other consonant.
_DIGIT_FINAL: Final = {
    "0": 1,
    "1": _RIEUL,
    "2": 0,
    "3": 1,
    "4": 0,
    "5": 0,
    "6": 1,
    "7": _RIEUL,
    "8": _RIEUL,
    "9": 0,
}
# Latin letter names in Korean: 엘, 엠, 엔 and 알 end in a consonant; the others in a vowel.
_LETTER_FINAL: Final = {"l": _RIEUL, "m": 1, "n": 1, "r": _RIEUL}
# Unit symbols read as words: 퍼센트, 도, 미터, 킬로미터, 밀리미터, 초당 미터.
_SYMBOL_FINAL: Final = {"%": 0, "%p": 0, "°c": 0, "℃": 0, "m": 0, "km": 0, "mm": 0, "m/s": 0}

_CLOSERS: Final = " \t\n)]}\"'’”」』》>"
_NUMBER_TAIL: Final = re.compile(r"(\d[\d,]*)(\.\d+)?$")
_UNIT_TAIL: Final = re.compile(r"\d\s*(%p|%|°C|℃|m/s|km|mm|m)$", re.IGNORECASE)


def final_consonant(word: str) -> int | None:
    """How ``word`` ends when read aloud: 0 (vowel), 8 (ㄹ), another positive number (another
    consonant), or None when it cannot be told (an empty word, punctuation only)."""
    text = word.rstrip(_CLOSERS)
    if not text:
        return None
    unit = _UNIT_TAIL.search(text)
    if unit:
        return _SYMBOL_FINAL[unit.group(1).lower()]
    last = text[-1]
    code = ord(last)
    if _HANGUL_FIRST <= code <= _HANGUL_LAST:
        return (code - _HANGUL_FIRST) % 28
    if last.isdigit():
        return _number_final(text)
    if last.isascii() and last.isalpha():
        return _LETTER_FINAL.get(last.lower(), 0)
    return None


def _number_final(text: str) -> int:
    match = _NUMBER_TAIL.search(text)
    if match is None:  # unreachable for text ending in a digit; read the last digit alone
        return _DIGIT_FINAL[text[-1]]
    integer, fraction = match.group(1).replace(",", ""), match.group(2)
    if fraction:
        # Decimals are read digit by digit: 2.5 -> 이점오.
        return _DIGIT_FINAL[fraction[-1]]
    stripped = integer.rstrip("0")
    zeros = len(integer) - len(stripped)
    if not stripped or zeros == 0:
        return _DIGIT_FINAL[integer[-1]]
    # A whole number ending in zeros is read with its last place word: 십, 백, 천, 만 and 억
    # end in a consonant, 조 (10^12) in a vowel, 경 (10^16) in ㅇ.
    return 0 if 12 <= zeros < 16 else 1


def particle(word: str, pair: str) -> str:
    """The form of ``pair`` (e.g. ``"이/가"``) that follows ``word``.

    When the ending cannot be told, both forms are written as Korean style guides allow:
    ``이(가)``.
    """
    try:
        after_consonant, after_vowel = PARTICLES[pair]
    except KeyError:
        raise ValueError(f"unknown particle pair {pair!r}; known: {sorted(PARTICLES)}") from None
    final = final_consonant(word)
    if final is None:
        return f"{after_consonant}({after_vowel})"
    if pair == "으로/로" and final == _RIEUL:
        return after_vowel
    return after_consonant if final else after_vowel


def josa(word: str, pair: str) -> str:
    """``word`` followed by the right form of ``pair``: ``josa("홍수", "이/가") == "홍수가"``."""
    return f"{word}{particle(word, pair)}"
