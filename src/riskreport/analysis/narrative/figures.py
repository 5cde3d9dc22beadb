"""The number check: every figure written in a text must be a figure of the structured result.

A figure in the text is read with its unit words (``34.6억원``, ``12억 3,400만원``,
``KRW 3.46 billion``, ``12.3%``) and the precision it is written with; it matches a figure of
the result when the result's value, converted to the same scale, rounds to it and is within 5 %
of it. Numbers inside
strings the result itself contains (an address, ``SSP2-4.5``, a citation) are traceable as
written and are not read. The LLM writer's text must pass this check; the template's text is
held to it by the tests::

    figures = ResultFigures.from_report(report)
    unmatched = figures.unmatched("연간 기대손실은 34.6억원입니다.")
    if unmatched:
        reason = f"number_mismatch: {unmatched[0]} not in result"
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from riskreport.analysis.narrative.inert import inline
from riskreport.domain.lean_json import expand

# One number: 1,234,567.89 or 1234.5 or 12; not the tail of a word or code (CO2, v0.1).
_NUMBER: Final = r"(?<![A-Za-z0-9_.])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
# Korean place words after a number: 1.2조, 34억, 1,200만, 3천 (each may be followed by 원).
_KO_SCALE: Final = {"조": 1e12, "억": 1e8, "만": 1e4, "천": 1e3}
_EN_SCALE: Final = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_TOKEN: Final = re.compile(
    _NUMBER
    # A place word joins its number only when no other Hangul follows (34억원, not 3조치).
    + r"(?:(천만|천억|조|억|만|천)(?=원|[^가-힣]|$))?"
    + r"(?:\s?(thousand|million|billion|trillion|mn|bn|tn|k)\b)?"
    + r"(?:\s?(%|퍼센트|percent\b|per cent\b))?",
    re.IGNORECASE,
)
_COMPOUND_KO: Final = {"천만": 1e7, "천억": 1e11}


@dataclass(frozen=True, slots=True)
class WrittenFigure:
    """A number as written: its value in base units and the half-width of its rounding."""

    text: str
    value: float
    tolerance: float
    percent: bool

    def matches(self, candidate: float) -> bool:
        return abs(abs(candidate) - self.value) <= self.tolerance


def _scale(word: str | None) -> float:
    if not word:
        return 1.0
    lowered = word.lower()
    return _COMPOUND_KO.get(lowered) or _KO_SCALE.get(lowered) or _EN_SCALE[lowered]


# However coarsely a figure is written, it may not be further than this from the result's value:
# "5조원" passes for 4.98조, not for 4.54조. The templates write three significant digits (at
# most 0.5 % off), so only a careless writer meets the limit.
_MAX_RELATIVE_ERROR: Final = 0.05


def _tolerance(digits: str, scale: float, value: float) -> float:
    """Half a unit of the last written digit ('12.3' -> 0.05, '120' -> 0.5), times the scale,
    capped at :data:`_MAX_RELATIVE_ERROR` of the value."""
    _, _, decimals = digits.partition(".")
    half_unit = 0.5 * 10.0 ** -len(decimals) * scale
    return min(half_unit, _MAX_RELATIVE_ERROR * abs(value)) * (1 + 1e-9) + 1e-9


def read_figures(text: str) -> list[WrittenFigure]:
    """Every number in ``text`` with its scale words; Korean compounds (12억 3,400만) join.

    >>> [f.value for f in read_figures("12억 3,400만원, 5.2%")]
    [1234000000.0, 5.2]
    """
    figures: list[WrittenFigure] = []
    previous: tuple[re.Match[str], WrittenFigure, float] | None = None
    for match in _TOKEN.finditer(text):
        digits, ko, en, pct = match.group(1), match.group(2), match.group(3), match.group(4)
        scale = _scale(ko) * _scale(en)
        value = float(digits.replace(",", "")) * scale
        figure = WrittenFigure(
            text=match.group(0).strip(),
            value=value,
            tolerance=_tolerance(digits, scale, value),
            percent=bool(pct),
        )
        # "12억 3,400만": a smaller Korean place right after a larger one adds to it.
        if (
            previous is not None
            and ko
            and text[previous[0].end() : match.start()].strip() == ""
            and previous[2] > scale
        ):
            earlier = figures.pop()
            total = earlier.value + figure.value
            figure = WrittenFigure(
                text=f"{earlier.text} {figure.text}",
                value=total,
                tolerance=_tolerance(digits, scale, total),
                percent=False,
            )
        figures.append(figure)
        previous = (match, figure, scale) if ko else None
    return figures


# A string that is a number alone: "100", "2050", "1,000", "-0.5".
_NUMERIC: Final = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|-?\.\d+")
_DIGIT: Final = re.compile(r"\d")


_NUMBER_START: Final = frozenset("0123456789-. ")
_FIGURE_KEYS: Final = frozenset(("value", "unit", "provenance", "source"))


def _as_number(text: str) -> float | None:
    # Most strings of a report are words: the first character rules them out without a regex.
    if not text or text[0] not in _NUMBER_START:
        return None
    return float(text.replace(",", "")) if _NUMERIC.fullmatch(text.strip()) else None


_WORD_CHARS: Final = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
_DIGITS: Final = frozenset("0123456789")


def _blank(text: str, literal: str) -> str:
    """``text`` with each whole-word ``literal`` (see :meth:`ResultFigures.mask`) as spaces,
    left to right as ``re.sub`` would. A search for the literal, not a regular expression:
    one built per literal was compiled afresh for every new address (and a worker's first
    reports compiled them all), in Python, at a few hundred microseconds each."""
    parts: list[str] = []
    size, start, at = len(literal), 0, text.find(literal)
    while at >= 0:
        end = at + size
        if (at == 0 or text[at - 1] not in _WORD_CHARS) and (
            end == len(text) or text[end] not in _DIGITS
        ):
            parts += (text[start:at], " " * size)
            start, at = end, text.find(literal, end)
        else:
            at = text.find(literal, at + 1)
    return "".join(parts) + text[start:] if parts else text


def _walk(
    root: Any, unit: str | None, numbers: list[tuple[float, str | None]], strings: set[str]
) -> None:
    """Collect every number of a JSON tree with the unit of its quantity, and every string.

    A loop over a stack, the plain JSON types tested first: a report has a few thousand nodes,
    and a recursive call and a chain of ``isinstance`` per node made this walk most of the
    number check's cost. A mapping's strings and numbers are read where it is (most of a
    report's values are a figure's), only its mappings and lists go on the stack; the order
    things are found in does not matter, as the caller keeps sets.
    """
    stack: list[tuple[Any, str | None]] = [(root, unit)]
    figures = 0
    while stack:
        node, unit = stack.pop()
        kind = type(node)
        if kind is dict and len(node) == 4:
            # A figure, most of a report's mappings, read in a row when its values are plain.
            value, own = node.get("value"), node.get("unit")
            source, provenance = node.get("source"), node.get("provenance")
            if (
                (type(value) is float or type(value) is int)
                and type(own) is str
                and type(source) is str
                and type(provenance) is str
            ):
                strings.add(own)
                strings.add(source)
                strings.add(provenance)
                figures += 1
                if math.isfinite(value):
                    numbers.append((float(value), own))
                for text in (own, source, provenance):
                    if text and text[0] in _NUMBER_START:
                        number = _as_number(text)
                        if number is not None:
                            numbers.append((number, own))
                continue
        if kind is dict or (kind is not list and isinstance(node, Mapping)):
            own = node.get("unit")
            own_unit = own if isinstance(own, str) else unit
            for key, child in node.items():
                if isinstance(key, str):
                    strings.add(key)
                    if key and key[0] in _NUMBER_START:
                        number = _as_number(key)
                        if number is not None:
                            numbers.append((number, None))
                of = type(child)
                if of is str:
                    strings.add(child)
                    if child and child[0] in _NUMBER_START:
                        number = _as_number(child)
                        if number is not None:
                            numbers.append((number, own_unit))
                elif of is float or of is int:
                    if math.isfinite(child):
                        numbers.append((float(child), own_unit))
                elif child is not None and of is not bool:
                    stack.append((child, own_unit))
        elif kind is str or (kind is not bool and isinstance(node, str)):
            strings.add(node)
            # Most strings are words: the first character rules them out without a call.
            if node and node[0] in _NUMBER_START:
                number = _as_number(node)
                if number is not None:
                    numbers.append((number, unit))
        elif kind is bool or node is None:
            continue
        elif kind is float or kind is int or isinstance(node, int | float):
            if math.isfinite(node):
                numbers.append((float(node), unit))
        elif kind is list or isinstance(node, list | tuple):
            for child in node:
                stack.append((child, unit))
    if figures:
        strings.update(_FIGURE_KEYS)  # the keys of the figures read in a row


@functools.lru_cache(maxsize=8192)
def _masks(text: str) -> tuple[str, ...]:
    """What a string of the result masks in a text: nothing for one without a digit or for a
    number alone ("100" is a figure, read as one); else the string, stripped, and as a document
    prints it, escaped (an address with brackets).

    Kept between reports: a report has some 400 strings, most of them (keys, units, sources,
    driver texts, citations) in every report, and the digit search and the escaping's four
    passes of regular expressions were a good part of the number check's cost.
    """
    if not _DIGIT.search(text) or _as_number(text) is not None:
        return ()
    stripped = text.strip()
    return (stripped, inline(stripped))


# Units whose values a text may state as a percentage (a probability of 0.01 is "1%" or
# "연 1%") or as a return period (0.01 a year is "100년 빈도", "1-in-100-year").
_RATE_UNITS: Final = frozenset({"1/yr", "fraction", "ratio", "share", "probability"})


@dataclass(frozen=True, slots=True)
class ResultFigures:
    """The figures of one result, sorted for lookup, and its strings that contain digits."""

    values: tuple[float, ...]
    percents: tuple[float, ...]
    verbatim: tuple[str, ...]

    @classmethod
    def from_report(cls, report: Mapping[str, Any]) -> ResultFigures:
        numbers: list[tuple[float, str | None]] = []
        strings: set[str] = set()
        # Each number with its unit: a lean report's figures become quantity objects first.
        _walk(expand(report), None, numbers, strings)
        values: set[float] = set()
        percents: set[float] = set()
        for value, unit in numbers:
            values.add(abs(value))
            percents.add(abs(value))
            if unit in _RATE_UNITS or (unit is None and 0 < abs(value) <= 1):
                percents.add(abs(value) * 100)
                if value:
                    values.add(1 / abs(value))
        # Strings with digits and other characters (an address, a scenario name, a citation);
        # a string that is a number alone ("100") is a figure, read above, never a mask.
        verbatim = {form for text in strings for form in _masks(text)}
        # Longest first, so that a citation is masked before a scenario name inside it.
        return cls(
            values=tuple(sorted(values)),
            percents=tuple(sorted(percents)),
            verbatim=tuple(sorted((v for v in verbatim if v), key=len, reverse=True)),
        )

    def mask(self, text: str) -> str:
        """``text`` with the result's own digit-bearing strings blanked out, whole words only:
        not right after an ASCII letter or digit, nor right before a digit."""
        for literal in self.verbatim:
            if literal in text:
                text = _blank(text, literal)
        return text

    def contains(self, figure: WrittenFigure) -> bool:
        pool = self.percents if figure.percent else self.values
        start = bisect.bisect_left(pool, figure.value - figure.tolerance)
        return start < len(pool) and figure.matches(pool[start])

    def unmatched(self, text: str) -> list[str]:
        """The figures written in ``text`` that no figure of the result rounds to, in order."""
        return [f.text for f in read_figures(self.mask(text)) if not self.contains(f)]


def unmatched_figures(texts: Iterable[str], report: Mapping[str, Any]) -> list[str]:
    """Every figure in ``texts`` that the result does not contain; empty when all check out."""
    figures = ResultFigures.from_report(report)
    return [figure for text in texts for figure in figures.unmatched(text)]
