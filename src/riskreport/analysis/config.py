"""The analysis's own configuration: narrative writer, LLM endpoint, documents to render.

The composition root builds it from ``riskreport.settings.Settings`` (the analysis never reads
the environment) and hands it to :func:`riskreport.analysis.job.prepare` in every worker::

    config = AnalysisConfig(narrative="llm", llm_base_url="http://127.0.0.1:8080/v1",
                            llm_model="qwen2.5-7b-instruct", llm_timeout=30.0)
    prepare(config)

It must pickle: a process runner sends it to each child.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

NARRATIVES: Final = ("template", "llm")
DOCUMENTS: Final = ("html", "md", "pdf")


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    """Settings of the report job; defaults give the embedded, template-only service."""

    narrative: str = "template"  # default writer: "template" or "llm" (a request may choose)
    llm_base_url: str | None = None  # OpenAI-compatible endpoint, e.g. http://127.0.0.1:8080/v1
    llm_model: str | None = None  # model name sent to the LLM server
    llm_api_key: str | None = field(default=None, repr=False)  # never printed
    llm_timeout: float = 30.0  # seconds one LLM call may take (capped by the job's deadline)
    llm_max_retries: int = 2  # the openai client's retries of 429 and 5xx answers
    llm_max_tokens: int = 700  # longest answer asked for (the two prose sections)
    documents: tuple[str, ...] = DOCUMENTS  # documents offered per report, among DOCUMENTS
    # Render ``documents`` inside the report job, before it is done (the older behaviour); by
    # default each is rendered on its first request (``render_document``).
    eager_documents: bool = False
    hazard_maps: str | None = None  # folder of flood hazard maps (GeoTIFF), if the user has one

    def __post_init__(self) -> None:
        if self.narrative not in NARRATIVES:
            raise ValueError(f"narrative must be one of {NARRATIVES}, got {self.narrative!r}")
        if self.narrative == "llm" and not self.llm_configured:
            raise ValueError("narrative 'llm' needs llm_base_url and llm_model")
        if self.llm_timeout <= 0:
            raise ValueError("llm_timeout must be positive")
        if self.llm_max_retries < 0:
            raise ValueError("llm_max_retries must not be negative")
        if self.llm_max_tokens < 1:
            raise ValueError("llm_max_tokens must be positive")
        unknown = sorted(set(self.documents) - set(DOCUMENTS))
        if unknown:
            raise ValueError(f"unknown documents {unknown}; choose among {DOCUMENTS}")

    @property
    def llm_configured(self) -> bool:
        """True when an LLM endpoint and model are set (the LLM writer can be built)."""
        return bool(self.llm_base_url and self.llm_model)
