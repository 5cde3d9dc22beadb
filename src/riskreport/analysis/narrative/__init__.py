"""Narrative writers: the template (default) and an OpenAI-compatible LLM checked against it.

from riskreport.analysis.narrative import TemplateWriter, Unlimited
narrative = TemplateWriter().write(report, Unlimited())
report["narrative"] = narrative.to_dict()
"""

from riskreport.analysis.narrative.figures import ResultFigures, unmatched_figures
from riskreport.analysis.narrative.template import TemplateWriter
from riskreport.analysis.narrative.writer import (
    SECTIONS,
    Budget,
    Narrative,
    NarrativeWriter,
    Unlimited,
    WriterName,
)

__all__ = [
    "SECTIONS",
    "Budget",
    "Narrative",
    "NarrativeWriter",
    "ResultFigures",
    "TemplateWriter",
    "Unlimited",
    "WriterName",
    "unmatched_figures",
]
