"""The narrative a document prints: the report's own, or the template's when it has none.

Documents render from the structured result alone, so a stored result renders again later::

    narrative = narrative_of(report)  # the report's "narrative" member, as a mapping
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from riskreport.analysis.narrative.template import TemplateWriter
from riskreport.analysis.narrative.writer import Unlimited


def narrative_of(report: Mapping[str, Any]) -> Mapping[str, Any]:
    """``report["narrative"]``, written by the template when the report has none yet."""
    narrative = report.get("narrative")
    if isinstance(narrative, Mapping) and narrative.get("sections"):
        return narrative
    return TemplateWriter().write(report, Unlimited()).to_dict()
