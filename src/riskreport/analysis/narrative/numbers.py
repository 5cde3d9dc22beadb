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
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
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


class _Numbers(ABC):
    """What both languages share: percentages, the shape of a change, and the units written
    alike (°C, °, fractions as percent, bare numbers); each language brings its money, its
    words for a change and its own units (days, floors, years, …)."""

    language: str
    _unchanged: str  # a change that rounds to nothing
    # Units each language words its own way: unit -> how a value of it reads.
    _units: Mapping[str, Callable[[float], str]]

    @abstractmethod
    def krw(self, value: float) -> str: ...

    @abstractmethod
    def _changed(self, size: str, *, up: bool) -> str:
        """A change of ``size`` percent (already formatted), up or down."""

    def percent(self, value: float) -> str:
        return f"{significant(value)}%"

    def change(self, value: float) -> str:
        # A change that rounds to "0" reads as no change, not as "0% up".
        if value == 0 or significant(abs(value)) == "0":
            return self._unchanged
        return self._changed(significant(abs(value)), up=value > 0)

    def quantity(self, quantity: Mapping[str, Any]) -> str:
        value, unit = _value(quantity), str(quantity.get("unit", ""))
        if unit == "KRW":
            return self.krw(value)
        if unit == "%":
            return self.percent(value)
        worded = self._units.get(unit)
        if worded is not None:
            return worded(value)
        if unit == "degC":
            return f"{significant(value)}°C"
        if unit == "fraction":
            return f"{significant(value * 100)}%"
        if unit == "deg":
            return f"{significant(value)}°"
        if unit in ("score", "", "count", "ratio", "SPEI"):
            return significant(value)
        return f"{significant(value)} {unit}"


class KoreanNumbers(_Numbers):
    """Korean: 34.6억원, 12.3%, 2.1°C, 연 1%."""

    language = "ko"
    _unchanged = "변화 없음"
    _units: Mapping[str, Callable[[float], str]] = {
        "1/yr": lambda value: f"연 {significant(value * 100)}%",
        "days": lambda value: f"{significant(value)}일",
        "years": lambda value: f"{significant(value)}년",
        "year": lambda value: f"{round(value)}년",
        "floors": lambda value: f"{significant(value)}층",
        "m2": lambda value: f"{significant(value)}㎡",
        "x": lambda value: f"{significant(value)}배",
        "degC day": lambda value: f"{significant(value)}°C·일",
    }

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

    def _changed(self, size: str, *, up: bool) -> str:
        return f"{size}% {'증가' if up else '감소'}"


class EnglishNumbers(_Numbers):
    """English: KRW 3.46 billion, 12.3%, 2.1°C, 1% a year."""

    language = "en"
    _unchanged = "no change"
    _units: Mapping[str, Callable[[float], str]] = {
        "1/yr": lambda value: f"{significant(value * 100)}% a year",
        "days": lambda value: f"{significant(value)} days",
        "years": lambda value: f"{significant(value)} years",
        "year": lambda value: f"{round(value)}",
        "floors": lambda value: f"{significant(value)} floor" + ("" if value == 1 else "s"),
        "m2": lambda value: f"{significant(value)} m²",
        "x": lambda value: f"×{significant(value)}",
        "degC day": lambda value: f"{significant(value)} °C·days",
    }

    def krw(self, value: float) -> str:
        size = abs(value)
        sign = "-" if value < 0 else ""
        for scale, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if size >= scale:
                return f"{sign}KRW {significant(size / scale)} {word}"
        return f"{sign}KRW {size:,.0f}"

    def _changed(self, size: str, *, up: bool) -> str:
        return f"{'up' if up else 'down'} {size}%"


def number_format(language: str) -> NumberFormat:
    """The :class:`NumberFormat` of ``language`` (``"ko"`` or ``"en"``)."""
    if language == "ko":
        return KoreanNumbers()
    if language == "en":
        return EnglishNumbers()
    raise ValueError(f"no number format for language {language!r}; use 'ko' or 'en'")
