"""The Markdown document: the narrative's Markdown and a line on who wrote it.

text = to_markdown(report)  # "# 물리적 기후 위험 보고서\\n\\n..."
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from riskreport.analysis.documents.narrative import narrative_of
from riskreport.analysis.narrative.environment import labels
from riskreport.analysis.narrative.inert import inline, one_line


def writer_note(report: Mapping[str, Any], narrative: Mapping[str, Any]) -> str:
    """One sentence in the report's language: who wrote the text, and why an LLM's was refused."""
    words = labels(str(narrative.get("language") or report.get("language", "ko")))["document"]
    model = narrative.get("model") or "LLM"
    if narrative.get("writer") == "llm":
        return words["written_by_llm"].format(model=model)
    note = words["written_by_template"]
    reason = narrative.get("fallback_reason")
    if reason:
        note += " " + words["fallback"].format(model=model, reason=reason)
    return one_line(note)


def to_markdown(report: Mapping[str, Any]) -> str:
    narrative = narrative_of(report)
    body = str(narrative["markdown"]).rstrip()
    # The note may quote an LLM's figures or the model's name: escaped like any outside text.
    return f"{body}\n\n---\n\n_{inline(writer_note(report, narrative))}_\n"
