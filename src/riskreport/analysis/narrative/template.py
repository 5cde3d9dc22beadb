"""The template writer: the default narrative, deterministic, every number exact.

Each section is a Jinja2 template file, ``templates/<language>/<section>.md.j2``; the document
is ``templates/<language>/report.md.j2``. Templates read a :class:`~.view.ReportView` and print
figures only through the language's filters::

    writer = TemplateWriter()
    narrative = writer.write(report, Unlimited())
    narrative.sections["summary"]  # "서울특별시 중구 세종대로 110 소재 업무용 건물의 ..."
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from riskreport.analysis.narrative.environment import environment, labels
from riskreport.analysis.narrative.view import ReportView, loss_of, loss_share_of
from riskreport.analysis.narrative.writer import (
    LANGUAGES,
    SECTIONS,
    Budget,
    Narrative,
    WriterName,
    report_language,
)
from riskreport.domain.lean_json import expand


class TemplateWriter:
    """Writes every section from the package's templates in the report's language."""

    @property
    def name(self) -> WriterName:
        return WriterName.TEMPLATE

    def warm(self) -> None:
        """Load and compile every template now (a worker does this once at start-up)."""
        for language in LANGUAGES:
            env = environment(language)
            labels(language)
            for section in (*SECTIONS, "report"):
                env.get_template(f"templates/{language}/{section}.md.j2")

    def write(self, report: Mapping[str, Any], budget: Budget) -> Narrative:
        # Rendering takes milliseconds and cannot block: the budget is not consulted.
        del budget
        report = expand(report)
        language = report_language(report)
        sections = self.sections(report)
        return Narrative(
            writer=WriterName.TEMPLATE,
            language=language,
            sections=sections,
            markdown=self.assemble(report, sections),
        )

    def sections(self, report: Mapping[str, Any]) -> dict[str, str]:
        """Every section's Markdown, by name, in reading order."""
        language = report_language(report)
        env = environment(language)
        view = ReportView.of(report)
        return {
            name: env.get_template(f"templates/{language}/{name}.md.j2")
            .render(view=view, loss_of=loss_of, loss_share_of=loss_share_of)
            .strip()
            for name in SECTIONS
        }

    def complete(self, report: Mapping[str, Any], narrative: Mapping[str, Any]) -> dict[str, Any]:
        """A stored ``narrative`` member with every section and the whole Markdown.

        The report's JSON keeps the prose sections only (:meth:`Narrative.to_dict`); the others
        are this writer's reading of the numbers, rebuilt here, and the Markdown assembles them.
        A member that has its Markdown (schema 1, or :meth:`Narrative.to_full_dict`) comes back
        as it is.
        """
        if isinstance(narrative.get("markdown"), str):
            return dict(narrative)
        report = expand(report)
        written = narrative.get("sections") or {}
        templated = self.sections(report)
        sections = {name: str(written.get(name, templated[name])) for name in SECTIONS}
        return {**narrative, "sections": sections, "markdown": self.assemble(report, sections)}

    def assemble(self, report: Mapping[str, Any], sections: Mapping[str, str]) -> str:
        """The whole Markdown document: title, facts line and the sections under headings."""
        language = report_language(report)
        template = environment(language).get_template(f"templates/{language}/report.md.j2")
        return template.render(view=ReportView.of(report), sections=sections, order=SECTIONS)
