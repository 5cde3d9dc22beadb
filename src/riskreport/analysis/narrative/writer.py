"""The narrative seam: one protocol, a template writer and an LLM writer behind it.

A writer turns a computed report (the structured result of :mod:`riskreport.analysis.pipeline`)
into the text a reader wants, in the report's language. Writers never change a number; they only
say it. What they return records who wrote the text and, when an LLM's text was refused, why::

    narrative = writer.write(report, budget)
    report = {**report, "narrative": narrative.to_dict()}   # the prose sections only
    TemplateWriter().complete(report, report["narrative"])  # every section and the Markdown
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Final, Protocol

# The report's sections, in reading order. The LLM writer may replace PROSE_SECTIONS only (the
# summary, and the discussion of the dominant risks and why); the others hold tables and lists
# that stay templated.
SECTIONS: Final = (
    "summary",
    "grade",
    "discussion",
    "hazards",
    "scenarios",
    "recommendations",
    "assumptions",
    "sources",
)
PROSE_SECTIONS: Final = ("summary", "discussion")
LANGUAGES: Final = ("ko", "en")


class WriterName(StrEnum):
    """Who wrote a report's prose."""

    TEMPLATE = "template"  # the deterministic Jinja2 templates; every number exact
    LLM = "llm"  # an OpenAI-compatible model, its figures checked against the result


class Budget(Protocol):
    """What a writer may ask of the job it runs in: has it been cancelled, how long is left,
    and a block to compute in (``computing()``: held while the writer computes, never while it
    waits for a model, so that jobs sharing an interpreter compute one at a time).

    The job context passed by the engine satisfies it; :class:`Unlimited` serves callers that
    run outside a job (a script, the one-shot CLI).
    """

    def cancelled(self) -> bool: ...

    def remaining(self) -> float: ...

    def computing(self) -> AbstractContextManager[None]: ...


class Unlimited:
    """A budget that is never cancelled, never runs out, and computes when it likes."""

    def cancelled(self) -> bool:
        return False

    def remaining(self) -> float:
        return float("inf")

    def computing(self) -> AbstractContextManager[None]:
        return nullcontext()


@dataclass(frozen=True, slots=True)
class Narrative:
    """The text of one report, by section, and who wrote it.

    ``draft`` keeps an LLM's raw answer for diagnosis (tests, logs); it is not part of the
    report's JSON, because refused text must not reach a reader.
    """

    writer: WriterName
    language: str
    sections: Mapping[str, str]
    markdown: str
    fallback_reason: str | None = None
    model: str | None = None
    draft: str | None = field(default=None, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The ``narrative`` member of the report's JSON: the prose sections only.

        The other sections (tables and lists) and the whole Markdown are the templates' reading
        of the report's numbers, rebuilt from them by :meth:`TemplateWriter.complete
        <riskreport.analysis.narrative.template.TemplateWriter.complete>`; only the prose may
        be an LLM's words, which nothing could rebuild.
        """
        return {
            "writer": self.writer.value,
            "fallback_reason": self.fallback_reason,
            "model": self.model,
            "language": self.language,
            "sections": {k: v for k, v in self.sections.items() if k in PROSE_SECTIONS},
        }

    def to_full_dict(self) -> dict[str, Any]:
        """:meth:`to_dict` with every section, in reading order, and the whole Markdown."""
        return {**self.to_dict(), "sections": dict(self.sections), "markdown": self.markdown}


class NarrativeWriter(Protocol):
    """Writes a report's narrative in the report's language (``report["language"]``)."""

    @property
    def name(self) -> WriterName: ...

    def write(self, report: Mapping[str, Any], budget: Budget) -> Narrative: ...


def report_language(report: Mapping[str, Any]) -> str:
    """The report's language, refusing any this package has no templates for."""
    language = str(report.get("language", "ko"))
    if language not in LANGUAGES:
        raise ValueError(f"no narrative templates for language {language!r}; use 'ko' or 'en'")
    return language
