"""How each language writes the report's figures: money, percentages and measured quantities.

Korean states money in 만원, 억원 and 조원 (10^4, 10^8, 10^12 won); English in millions,
billions and trillions of KRW. Both keep about three significant digits, which is as precise as
the model is and what the number check (:mod:`.figures`) accepts as "the same figure"::

    >>> number_format("ko").krw(3_456_000_000)
    '34.6억원'
    >>> number_format("en").krw(3_456_000_000)
    'KRW 3.46 billion'
    >>> number_format("ko").change(-4.25)
    '4.25% 감소'
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Protocol


def significant(value: float, digits: int = 3) -> str:
    """``value`` with about ``digits`` significant digits, thousands separated, no trailing zeros.

    Whole digits are never dropped: ``significant(123456.7) == '123,457'``.
    """
    if not math.isfinite(value):
        raise ValueError(f"cannot format {value!r}")
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, digits - 1 - magnitude)
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "0", "") else text


class NumberFormat(Protocol):
    """The formatting one language needs; templates reach it through Jinja filters."""

    language: str

    def krw(self, value: float) -> str: ...

    def percent(self, value: float) -> str: ...

    def change(self, value: float) -> str: ...

    def quantity(self, quantity: Mapping[str, Any]) -> str: ...


def _value(quantity: Mapping[str, Any]) -> float:
    value = quantity["value"]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a numeric quantity: {quantity!r}")
    return float(value)


class KoreanNumbers:
    """Korean: 34.6억원, 12.3%, 2.1°C, 연 1%."""

    language = "ko"

    def krw(self, value: float) -> str:
        size = abs(value)
        sign = "-" if value < 0 else ""
        if size >= 1e12:
            return f"{sign}{significant(size / 1e12)}조원"
        if size >= 1e8:
            return f"{sign}{significant(size / 1e8)}억원"
        if size >= 1e6:
            return f"{sign}{significant(size / 1e4)}만원"
        return f"{sign}{size:,.0f}원"

    def percent(self, value: float) -> str:
        return f"{significant(value)}%"

    def change(self, value: float) -> str:
        if value == 0 or significant(abs(value)) == "0":
            return "변화 없음"
        word = "증가" if value > 0 else "감소"
        return f"{significant(abs(value))}% {word}"

    def quantity(self, quantity: Mapping[str, Any]) -> str:
        value, unit = _value(quantity), str(quantity.get("unit", ""))
        if unit == "KRW":
            return self.krw(value)
        if unit == "%":
            return self.percent(value)
        if unit == "1/yr":
            return f"연 {significant(value * 100)}%"
        if unit == "degC":
            return f"{significant(value)}°C"
        if unit == "days":
            return f"{significant(value)}일"
        if unit == "years":
            return f"{significant(value)}년"
        if unit == "year":
            return f"{round(value)}년"
        if unit == "floors":
            return f"{significant(value)}층"
        if unit == "m2":
            return f"{significant(value)}㎡"
        if unit == "fraction":
            return f"{significant(value * 100)}%"
        if unit == "x":
            return f"{significant(value)}배"
        if unit == "degC day":
            return f"{significant(value)}°C·일"
        if unit == "deg":
            return f"{significant(value)}°"
        if unit in ("score", "", "count", "ratio", "SPEI"):
            return significant(value)
        return f"{significant(value)} {unit}"


class EnglishNumbers:
    """English: KRW 3.46 billion, 12.3%, 2.1°C, 1% a year."""

    language = "en"

    def krw(self, value: float) -> str:
        size = abs(value)
        sign = "-" if value < 0 else ""
        for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if size >= scale:
                return f"{sign}KRW {significant(size / scale)} {word}"
        return f"{sign}KRW {size:,.0f}"

    def percent(self, value: float) -> str:
        return f"{significant(value)}%"

    def change(self, value: float) -> str:
        if value == 0 or significant(abs(value)) == "0":
            return "no change"
        word = "up" if value > 0 else "down"
        return f"{word} {significant(abs(value))}%"

    def quantity(self, quantity: Mapping[str, Any]) -> str:
        value, unit = _value(quantity), str(quantity.get("unit", ""))
        if unit == "KRW":
            return self.krw(value)
        if unit == "%":
            return self.percent(value)
        if unit == "1/yr":
            return f"{significant(value * 100)}% a year"
        if unit == "degC":
            return f"{significant(value)}°C"
        if unit == "days":
            return f"{significant(value)} days"
        if unit == "years":
            return f"{significant(value)} years"
        if unit == "year":
            return f"{round(value)}"
        if unit == "floors":
            return f"{significant(value)} floor" + ("" if value == 1 else "s")
        if unit == "m2":
            return f"{significant(value)} m²"
        if unit == "fraction":
            return f"{significant(value * 100)}%"
        if unit == "x":
            return f"×{significant(value)}"
        if unit == "degC day":
            return f"{significant(value)} °C·days"
        if unit == "deg":
            return f"{significant(value)}°"
        if unit in ("score", "", "count", "ratio", "SPEI"):
            return significant(value)
        return f"{significant(value)} {unit}"


def number_format(language: str) -> NumberFormat:
    """The :class:`NumberFormat` of ``language`` (``"ko"`` or ``"en"``)."""
    if language == "ko":
        return KoreanNumbers()
    if language == "en":
        return EnglishNumbers()
    raise ValueError(f"no number format for language {language!r}; use 'ko' or 'en'")
