"""The template writer on the three buildings: complete, natural, and every number traceable."""

from __future__ import annotations

import re

import pytest

from riskreport.analysis.narrative import SECTIONS, TemplateWriter, Unlimited, WriterName
from riskreport.analysis.narrative.environment import labels
from riskreport.analysis.narrative.figures import ResultFigures, read_figures
from riskreport.analysis.narrative.korean import josa
from riskreport.analysis.narrative.view import ReportView
from tests.analysis.narrative.reports import BUILDINGS, report_of

CASES = [(name, language) for name in BUILDINGS for language in ("ko", "en")]


@pytest.mark.parametrize(("name", "language"), CASES)
def test_every_number_in_the_text_is_a_number_of_the_result(name: str, language: str) -> None:
    report = report_of(name, language)
    narrative = TemplateWriter().write(report, Unlimited())
    figures = ResultFigures.from_report(report)
    assert figures.unmatched(narrative.markdown) == []
    # ... and the check has something to check: the text is full of figures.
    assert len(read_figures(figures.mask(narrative.markdown))) > 100


@pytest.mark.parametrize(("name", "language"), CASES)
def test_the_report_has_every_section_under_its_heading(name: str, language: str) -> None:
    report = report_of(name, language)
    narrative = TemplateWriter().write(report, Unlimited())
    assert narrative.writer is WriterName.TEMPLATE
    assert narrative.fallback_reason is None
    assert list(narrative.sections) == list(SECTIONS)
    titles = labels(language)["sections"]
    for section in SECTIONS:
        assert narrative.sections[section].strip(), section
        assert f"## {titles[section]}\n\n" in narrative.markdown
    for leak in ("None", "Undefined", "{{", "{%", "_krw", "[object"):
        assert leak not in narrative.markdown


@pytest.mark.parametrize(("name", "language"), CASES)
def test_the_summary_states_grade_dominant_hazards_and_headline_loss(
    name: str, language: str
) -> None:
    report = report_of(name, language)
    summary = TemplateWriter().write(report, Unlimited()).sections["summary"]
    view = ReportView.of(report)
    grade = report["summary"]["overall_grade"]
    assert f"**{grade}**" in summary
    assert labels(language)["grades"][grade] in summary
    for hazard in report["summary"]["dominant_hazards"]:
        assert labels(language)["hazards"][hazard] in summary
    scenario, horizon = view.headline
    assert scenario in summary
    assert horizon in summary


def test_korean_reads_naturally() -> None:
    report = report_of("busan_warehouse", "ko")
    narrative = TemplateWriter().write(report, Unlimited())
    text = narrative.markdown
    # particles chosen, never both forms
    assert "이(가)" not in text
    assert "은(는)" not in text
    assert "(으)로" not in text.replace("".join(a["text_ko"] for a in report["assumptions"]), "")
    # money in 만원/억원, never raw won amounts of eight digits or more
    assert re.search(r"\d+(\.\d+)?억원", text)
    assert not re.search(r"\d{1,3}(,\d{3}){2,}원", text)
    # "A, B와 C": the last two dominant hazards joined by 와/과 chosen by the sound of B
    names = [labels("ko")["hazards"][h] for h in report["summary"]["dominant_hazards"]]
    assert len(names) >= 2
    joined = ", ".join([*names[:-2], josa(names[-2], "과/와") + " " + names[-1]])
    assert f"가장 큰 위험은 {joined}입니다." in narrative.sections["summary"]


def test_english_reads_naturally() -> None:
    report = report_of("gangwon_house", "en")
    text = TemplateWriter().write(report, Unlimited()).markdown
    assert "1 floor above ground, no basement" in text
    assert "KRW" in text
    # Hangul only where the result has it outside its Korean texts (the address, a citation)
    for literal in sorted(strings(report), key=len, reverse=True):
        text = text.replace(literal, "")
    assert not re.search(r"[가-힣]", text)


def strings(node: object) -> set[str]:
    """The result's strings, except its Korean texts (``text_ko``, ``title_ko``, ``ko``...)."""
    if isinstance(node, str):
        return {node}
    if isinstance(node, dict):
        return set().union(
            *(strings(v) for k, v in node.items() if not str(k).endswith("ko")), set()
        )
    if isinstance(node, list):
        return set().union(*(strings(v) for v in node), set())
    return set()


def test_an_unknown_language_is_refused() -> None:
    report = report_of("seoul_office", "ko")
    report["language"] = "ja"
    with pytest.raises(ValueError, match="no narrative templates"):
        TemplateWriter().write(report, Unlimited())


def test_warm_compiles_every_template() -> None:
    TemplateWriter().warm()
