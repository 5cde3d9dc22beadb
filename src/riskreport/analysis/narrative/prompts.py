"""The LLM's prompts: a system prompt and a fact sheet per language, both files in the package.

The fact sheet states each figure exactly as the template would, so a model that copies figures
passes the number check; one that computes or invents them does not::

    messages = PromptBook().messages(report)
    # [{"role": "system", "content": "..."}, {"role": "user", "content": "Facts: ..."}]
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from importlib import resources
from typing import Any

from openai.types.chat import ChatCompletionMessageParam

from riskreport.analysis.narrative.environment import PACKAGE, environment
from riskreport.analysis.narrative.view import ReportView, loss_of, loss_share_of
from riskreport.analysis.narrative.writer import LANGUAGES, report_language


@functools.cache
def system_prompt(language: str) -> str:
    """``prompts/system.<language>.txt``."""
    return (resources.files(PACKAGE) / "prompts" / f"system.{language}.txt").read_text("utf-8")


class PromptBook:
    """Builds the chat messages that ask a model for the prose sections of one report."""

    def warm(self) -> None:
        """Read and compile every prompt now (once per worker at start-up)."""
        for language in LANGUAGES:
            system_prompt(language)
            environment(language).get_template(f"prompts/facts.{language}.j2")

    def facts(self, report: Mapping[str, Any]) -> str:
        """The fact sheet of ``report`` in its language."""
        language = report_language(report)
        template = environment(language).get_template(f"prompts/facts.{language}.j2")
        return template.render(
            view=ReportView.of(report), loss_of=loss_of, loss_share_of=loss_share_of
        ).strip()

    def messages(self, report: Mapping[str, Any]) -> list[ChatCompletionMessageParam]:
        language = report_language(report)
        return [
            {"role": "system", "content": system_prompt(language).strip()},
            {"role": "user", "content": self.facts(report)},
        ]
