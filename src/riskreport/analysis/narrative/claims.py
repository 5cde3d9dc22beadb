"""The word check: an LLM's prose may not contradict the result in words, only in figures.

The number check (:mod:`.figures`) reads figures; this module reads the other claims a reader
acts on: the grade letter, the level word next to the grade or a hazard ("very high", "낮음"),
a claim that the building is safe while its grade says otherwise, the hazard named as the
largest, and hazards the facts never mention (an earthquake in a report that assesses none)::

    problem = contradiction(report, facts, "Overall grade A: the building is perfectly safe.")
    # "contradiction: grade A, the result is E"

A sentence the check cannot read is let through; the reader still has the templated tables,
whose every word comes from the result.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Final

from riskreport.analysis.narrative.environment import labels
from riskreport.analysis.narrative.view import ReportView

# Level words, longest first so "very high" is read before "high"; synonyms the models use.
_LEVELS: Final = {
    "en": (
        ("very high", "very high"),
        ("very low", "very low"),
        ("moderate", "moderate"),
        ("medium", "moderate"),
        ("high", "high"),
        ("low", "low"),
    ),
    "ko": (
        ("매우 높", "매우 높음"),
        ("매우 낮", "매우 낮음"),
        ("보통", "보통"),
        ("중간", "보통"),
        ("높", "높음"),
        ("낮", "낮음"),
    ),
}
_GRADE_CUES: Final = {
    "en": re.compile(r"\b(?:overall|grade[ds]?|rated|rating)\b", re.IGNORECASE),
    "ko": re.compile(r"종합|등급", re.IGNORECASE),
}
_GRADE_LETTER: Final = {
    "en": re.compile(
        r"\b(?:grade[ds]?|rated|rating)\s*(?:of|is|was|:)?\s*[*\"'“‘(]*([A-E])(?![A-Za-z])"
        r"|(?<![A-Za-z])([A-E])[*\"'”’)]*\s*[- ]?grade\b"
    ),
    "ko": re.compile(
        r"등급\S{0,2}\s*[*\"'“‘(「]*([A-E])(?![A-Za-z])|(?<![A-Za-z])([A-E])[*\"'”’)」]*\s*등급"
    ),
}
_SAFE: Final = {
    "en": re.compile(
        r"\b(?:is|are|remains?|be|stays?)\s+(?:\w+\s+)?safe\b|\brisk[- ]free\b"
        r"|\bno\s+(?:\w+\s+)?risks?\b|\bnot\s+at\s+risk\b|\bnothing\s+to\s+worry\b",
        re.IGNORECASE,
    ),
    "ko": re.compile(r"안전(?:합니다|하다|한 건물|한 편)|위험(?:이|은|도)?\s*(?:전혀\s*)?없"),
}
# "The largest risk is ...": a superlative that qualifies risk itself, not any superlative.
_LARGEST: Final = {
    "en": re.compile(
        r"\b(?:dominant|main|largest|greatest|biggest|highest|most significant|primary|key)"
        r"\s+(?:climate\s+|physical\s+)?(?:risks?|hazards?|threats?)\b",
        re.IGNORECASE,
    ),
    "ko": re.compile(r"(?:가장 (?:큰|높은|심각한)|주요|주된)\s*(?:기후\s*)?(?:위험|재해)"),
}
# Hazards outside the model's scope, which no fact sheet names.
_UNASSESSED: Final = {
    "en": ("earthquake", "tsunami", "volcan", "hail", "tornado", "avalanche"),
    "ko": ("지진", "쓰나미", "지진해일", "화산", "우박", "토네이도", "눈사태"),
}
# Words a hazard's level is read within, after its name, in the same sentence.
_LEVEL_WINDOW: Final = 40
_SENTENCE: Final = re.compile(r"(?<=[.!?。])\s+|\n+|(?<=다\.)")


def _sentences(text: str) -> list[str]:
    return [s for s in _SENTENCE.split(text) if s and s.strip()]


@functools.cache
def _hazard_names(language: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """(name, the hazard keys it names) for every hazard word of the language, longest first;
    one word may name several keys (폭염: heat_wave, extreme_heat, heat)."""
    names: dict[str, set[str]] = {}
    for key, word in labels(language)["hazards"].items():
        for name in (str(word).lower(), key.replace("_", " ")):
            names.setdefault(name, set()).add(key)
    ordered = sorted(names.items(), key=lambda item: -len(item[0]))
    return tuple((name, frozenset(keys)) for name, keys in ordered)


def _found(text: str, word: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each occurrence of ``word`` in ``text``, left to right, no overlaps.
    A search, not a pattern: one compiled per word left each hazard name's first mention to
    a report (a worker's first reports compiled them all)."""
    at = text.find(word)
    while at >= 0:
        yield at, at + len(word)
        at = text.find(word, at + len(word))


def _named(sentence: str, language: str) -> list[tuple[int, int, frozenset[str]]]:
    """(start, end, keys) of each hazard named in ``sentence``, without overlaps, in order."""
    lowered = sentence.lower()
    taken: list[tuple[int, int, frozenset[str]]] = []
    for name, keys in _hazard_names(language):
        if name not in lowered:
            continue
        for span in _found(lowered, name):
            if all(span[1] <= s or span[0] >= e for s, e, _ in taken):
                taken.append((*span, keys))
    return sorted(taken, key=lambda item: item[0])


def _level_pattern(word: str, language: str) -> re.Pattern[str]:
    # Whole English words ("high", not "highest"); Korean stems take endings (높은, 높습니다)
    # but not after 가장 (the superlative says "the most", not a level).
    if language == "en":
        return re.compile(rf"(?<![a-z]){re.escape(word)}(?![a-z])")
    return re.compile(rf"(?<!가장 ){re.escape(word)}")


# Compiled with the module, not on a report's first use of each word.
_LEVEL_PATTERNS: Final = {
    language: tuple((word, level, _level_pattern(word, language)) for word, level in words)
    for language, words in _LEVELS.items()
}


def _level_after(text: str, language: str) -> str | None:
    lowered = text.lower()
    found = [
        (match.start(), level)
        for word, level, pattern in _LEVEL_PATTERNS[language]
        if word in lowered
        for match in [pattern.search(lowered)]
        if match
    ]
    if not found:
        return None
    first = min(position for position, _ in found)
    # Of the words starting there, the longest ("very high" over "high").
    return next(level for position, level in found if position == first)


def _canonical(level: object, language: str) -> str | None:
    return _level_after(str(level), language) if level else None


def _hazard_levels(view: ReportView, language: str) -> dict[str, set[str]]:
    levels: dict[str, set[str]] = {}
    for hazard in view.hazards:
        for row in (hazard.baseline, *hazard.results):
            if row and (level := _canonical(row.get(f"level_{language}"), language)):
                levels.setdefault(hazard.key, set()).add(level)
    return levels


def contradiction(report: Mapping[str, Any], facts: str, text: str) -> str | None:
    """Why ``text`` contradicts ``report`` (whose fact sheet is ``facts``), or None."""
    view = ReportView.of(report)
    language = view.language
    grade = str(view.summary.get("overall_grade", ""))
    grade_level = _canonical(labels(language)["grades"].get(grade), language)
    for check in (_grade, _safety, _levels, _largest, _unassessed):
        problem = check(view, language, grade, grade_level, facts, text)
        if problem:
            return f"contradiction: {problem}"
    return None


def _grade(
    view: ReportView, language: str, grade: str, grade_level: str | None, facts: str, text: str
) -> str | None:
    for match in _GRADE_LETTER[language].finditer(text):
        letter = match.group(1) or match.group(2)
        if grade and letter != grade:
            return f"grade {letter}, the result is {grade}"
    return None


def _safety(
    view: ReportView, language: str, grade: str, grade_level: str | None, facts: str, text: str
) -> str | None:
    # Only the lowest grade leaves room to call a building safe.
    if grade not in ("", "A") and (match := _SAFE[language].search(text)):
        return f"{match.group(0)!r} for a building of grade {grade}"
    return None


def _levels(
    view: ReportView, language: str, grade: str, grade_level: str | None, facts: str, text: str
) -> str | None:
    levels = _hazard_levels(view, language)
    cue = _GRADE_CUES[language]
    for sentence in _sentences(text):
        named = _named(sentence, language)
        bounds = [start for start, _, _ in named] + [len(sentence)]
        for index, (_, end, keys) in enumerate(named):
            window = sentence[end : min(bounds[index + 1], end + _LEVEL_WINDOW)]
            said = _level_after(window, language)
            known = set().union(*(levels.get(key, set()) for key in keys))
            if said and known and said not in known:
                name = "/".join(sorted(keys & levels.keys()))
                return f"{name} is {said!r}, the result says {' or '.join(sorted(known))}"
        if grade_level and not named:
            for match in cue.finditer(sentence):
                said = _level_after(sentence[match.end() : match.end() + _LEVEL_WINDOW], language)
                if said and said != grade_level:
                    return f"overall risk {said!r}, the result says {grade_level!r} ({grade})"
    return None


def _largest(
    view: ReportView, language: str, grade: str, grade_level: str | None, facts: str, text: str
) -> str | None:
    dominant = {h.key for h in view.dominant}
    if not dominant:
        return None
    for sentence in _sentences(text):
        if not _LARGEST[language].search(sentence):
            continue
        named = [keys for _, _, keys in _named(sentence, language)]
        if named and not any(keys & dominant for keys in named):
            shown = ", ".join(sorted(min(keys) for keys in named))
            return f"{shown} named as the largest risk, the result says " + (
                ", ".join(h.key for h in view.dominant)
            )
    return None


def _unassessed(
    view: ReportView, language: str, grade: str, grade_level: str | None, facts: str, text: str
) -> str | None:
    assessed = {h.key for h in view.hazards}
    words: Iterable[str] = (
        *(name for name, keys in _hazard_names(language) if not keys & assessed),
        *_UNASSESSED[language],
    )
    lowered, known = text.lower(), facts.lower()
    for word in words:
        if word in lowered and word not in known:
            return f"{word!r} is not among the facts"
    return None
