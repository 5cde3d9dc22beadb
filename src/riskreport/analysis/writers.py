"""The narrative writers of a worker: built once from the configuration, shared by every job.

The job (:mod:`riskreport.analysis.job`) and the Python API (:func:`riskreport.analysis.pipeline
.analyze`) both write through them::

    prepare(AnalysisConfig())                       # once per worker, at start-up
    report = narrate(compute(request))              # the numbers, then the narrative
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Final, TypeVar

from riskreport.analysis import location
from riskreport.analysis.config import AnalysisConfig
from riskreport.analysis.documents.formats import DocumentFormat
from riskreport.analysis.narrative.llm import LlmWriter, build_client
from riskreport.analysis.narrative.prompts import PromptBook
from riskreport.analysis.narrative.template import TemplateWriter
from riskreport.analysis.narrative.writer import Budget, Narrative, NarrativeWriter, Unlimited

T = TypeVar("T")


log = logging.getLogger(__name__)

NOT_CONFIGURED: Final = "llm_not_configured: set RISKREPORT_LLM_BASE_URL and RISKREPORT_LLM_MODEL"


@dataclass(frozen=True, slots=True)
class Writers:
    """The narrative writers of one worker, built once from the configuration."""

    config: AnalysisConfig
    template: TemplateWriter
    llm: LlmWriter | None

    @classmethod
    def build(cls, config: AnalysisConfig) -> Writers:
        template = TemplateWriter()
        llm = None
        if config.llm_base_url and config.llm_model:
            client = build_client(
                config.llm_base_url, config.llm_api_key, max_retries=config.llm_max_retries
            )
            llm = LlmWriter(
                client,
                config.llm_model,
                timeout=config.llm_timeout,
                template=template,
                max_tokens=config.llm_max_tokens,
            )
        return cls(config=config, template=template, llm=llm)

    def choose(self, requested: str | None) -> tuple[NarrativeWriter, str | None]:
        """The writer for a request (``analysis_params.narrative``, else the default), and the
        reason it is not the one asked for, if it is not."""
        wanted = requested or self.config.narrative
        if wanted == "llm":
            if self.llm is None:
                return self.template, NOT_CONFIGURED
            return self.llm, None
        return self.template, None

    def write(self, report: Mapping[str, Any], requested: str | None, budget: Budget) -> Narrative:
        return self.write_while(report, requested, budget, lambda: None)[0]

    def write_while(
        self,
        report: Mapping[str, Any],
        requested: str | None,
        budget: Budget,
        work: Callable[[], T],
    ) -> tuple[Narrative, T]:
        """:meth:`write`, and ``work``'s value: done while the LLM writes (its wait is the
        report's longest), or after the template when no model is asked."""
        writer, refusal = self.choose(requested)
        if isinstance(writer, LlmWriter):
            narrative, done = writer.write_while(report, budget, work)
        else:
            with budget.computing():
                narrative, done = writer.write(report, budget), work()
        return (replace(narrative, fallback_reason=refusal) if refusal else narrative), done

    def warm(self) -> None:
        """Boundaries, templates, prompts, the LLM client, fonts, matplotlib and Typst: load them
        all now."""
        location.warm()
        self.template.warm()
        PromptBook().warm()
        if self.llm is not None:
            self.llm.warm()
        if self.config.documents:
            from riskreport.analysis.documents import fonts, html, pdf

            html.warm()
            fonts.cjk_family()
            if DocumentFormat.PDF in self.config.documents:
                pdf.warm()


_lock = threading.Lock()
_writers: Writers | None = None


def prepare(config: AnalysisConfig | None = None) -> None:
    """Build the writers (and the LLM client) from ``config`` and warm everything up.

    Run once per worker at start-up; safe to call again (the newest configuration wins).
    """
    global _writers
    writers = Writers.build(config or AnalysisConfig())
    writers.warm()
    with _lock:
        _writers = writers
    log.info(
        "report job prepared: narrative=%s llm=%s documents=%s",
        writers.config.narrative,
        writers.llm.model if writers.llm else None,
        ",".join(writers.config.documents),
    )


def current_writers() -> Writers:
    """The prepared writers; without :func:`prepare`, the template-only defaults (not warmed)."""
    global _writers
    with _lock:
        if _writers is None:
            _writers = Writers.build(AnalysisConfig())
        return _writers


def narrate(
    report: Mapping[str, Any],
    *,
    narrative: str | None = None,
    budget: Budget | None = None,
) -> dict[str, Any]:
    """``report`` with its ``narrative`` member, written by the prepared writers.

    For callers outside a job (``riskreport.analyze``): ``narrate(compute(request))``.
    """
    written = current_writers().write(report, narrative, budget or Unlimited())
    return {**report, "narrative": written.to_dict()}
