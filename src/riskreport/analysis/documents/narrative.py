"""The narrative a document prints: the report's own, or the template's when it has none.

Documents render from the structured result alone, so a stored result renders again later::

    narrative = narrative_of(report)  # the report's "narrative" member, every section
    full = verbose_report(result)     # every figure a quantity object, every section written
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from riskreport.analysis.narrative.template import TemplateWriter
from riskreport.analysis.narrative.writer import Unlimited
from riskreport.domain.lean_json import expand


def narrative_of(report: Mapping[str, Any]) -> Mapping[str, Any]:
    """``report["narrative"]`` with every section and its Markdown (the report keeps the prose
    sections only; :meth:`TemplateWriter.complete` rebuilds the rest), written by the template
    when the report has none yet."""
    narrative = report.get("narrative")
    if isinstance(narrative, Mapping) and narrative.get("sections"):
        return TemplateWriter().complete(report, narrative)
    return TemplateWriter().write(report, Unlimited()).to_full_dict()


def verbose_report(report: Mapping[str, Any]) -> dict[str, Any]:
    """The report a document reads: every figure a quantity object (``expand`` of the lean
    form) and the narrative with every section and its Markdown (when it has a narrative).

    A verbose report (schema 1) comes back as it is; documents call this once and pass the
    result on, so the templated sections are rendered once per document set.
    """
    full = expand(report)
    narrative = full.get("narrative")
    if isinstance(narrative, Mapping) and narrative.get("sections"):
        full["narrative"] = TemplateWriter().complete(full, narrative)
    return full
