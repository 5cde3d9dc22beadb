"""The template writer on the three buildings: complete, natural, and every number traceable."""

from __future__ import annotations

import copy
import re

import pytest

from riskreport.analysis.narrative import SECTIONS, TemplateWriter, Unlimited, WriterName
from riskreport.analysis.narrative.environment import labels
from riskreport.analysis.narrative.figures import ResultFigures, read_figures
from riskreport.analysis.narrative.korean import josa
from riskreport.analysis.narrative.view import ReportView
from riskreport.domain.scores import GRADES, LEVELS_EN, LEVELS_KO
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
    # No line begins with a stray space (a sentence cut from its paragraph by a template tag).
    assert not re.findall(r"^ \S.*", narrative.markdown, re.MULTILINE)


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


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_summary_and_scenarios_total_damage_and_chronic_costs_apart(language: str) -> None:
    # Before, "the expected annual loss from all hazards together" was the acute hazards' damage
    # alone: a building whose water stress cost 358 million a year read "all hazards: 9.8 million".
    report = report_of("busan_warehouse", language)
    narrative = TemplateWriter().write(report, Unlimited())
    view = ReportView.of(report)
    scenario, horizon = view.headline
    damage, cost = view.total_eal(scenario, horizon), view.total_cost(scenario, horizon)
    assert damage is not None
    assert cost is not None
    assert cost["value"] == report["summary"]["total_annual_cost"][scenario][horizon]["value"]
    words = {
        "en": ("from damage by the acute hazards together", "the chronic hazards cost"),
        "ko": ("급성 재해 피해의 연간 기대손실 합계는", "만성 재해의 연간 비용 합계는"),
    }[language]
    summary = narrative.sections["summary"]
    for phrase in words:
        assert phrase in summary
    assert "all hazards" not in narrative.markdown
    assert "모든 재해" not in narrative.markdown
    # The scenarios section has a table of each.
    scenarios = narrative.sections["scenarios"]
    assert scenarios.count({"en": "| Scenario |", "ko": "| 시나리오 |"}[language]) == 2
    assert ("Annual cost of the chronic hazards together" in scenarios) == (language == "en")
    assert ("만성 재해를 모두 합친 연간 비용" in scenarios) == (language == "ko")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_acute_total_says_beside_it_why_it_is_less_than_the_sum(language: str) -> None:
    # The total takes one storm once (flood family, then the larger of it and the typhoon), so
    # it is less than the hazards' losses added up; before, the document said so only for the
    # flood family, in the discussion (which an LLM may rewrite), and never for the typhoon.
    report = report_of("busan_warehouse", language)
    summary = report["summary"]
    flood, storm = summary["flood_family_note"][language], summary["storm_note"][language]
    sections = TemplateWriter().write(report, Unlimited()).sections
    scenarios = sections["scenarios"]
    acute_table = scenarios.index("| SSP")
    chronic_title = scenarios.index(
        {"en": "Annual cost of the chronic", "ko": "만성 재해를 모두 합친"}[language]
    )
    assert acute_table < scenarios.index(flood) < scenarios.index(storm) < chronic_title
    assert flood not in sections["discussion"]

    def notes_with(hazards: set[str]) -> tuple[bool, bool]:
        edited = copy.deepcopy(report)
        edited["hazards"] = [h for h in edited["hazards"] if h["hazard"] in hazards]
        text = TemplateWriter().write(edited, Unlimited()).sections["scenarios"]
        return flood in text, storm in text

    assert notes_with({"river_flood", "urban_flood"}) == (True, False)
    assert notes_with({"urban_flood", "typhoon"}) == (False, True)
    assert notes_with({"urban_flood", "wildfire", "heat_wave"}) == (False, False)
    assert notes_with({"typhoon", "wildfire"}) == (False, False)


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_loss_that_no_reported_return_period_shows_is_said_to_come_from_rarer_events(
    language: str,
) -> None:
    # A wildfire reaching the building with 0.06 %/yr shows 0 at 10-250 years beside an
    # expected loss of millions: without a word, that reads as a contradiction.
    report = report_of("busan_warehouse", language)
    rarer = {"en": "comes from events rarer than the 250-year one", "ko": "250년 빈도보다 드문"}
    hazards = TemplateWriter().write(report, Unlimited()).sections["hazards"]
    # One block per hazard, under its "### " heading.
    blocks = {b.split("\n", 1)[0].lower(): b for b in hazards.split("### ")[1:]}
    names = labels(language)["hazards"]

    def block(hazard: str) -> str:
        return next(text for title, text in blocks.items() if title.startswith(names[hazard]))

    # The wildfire's reported return periods are all 0 and its expected loss is not; the
    # typhoon's are not all 0.
    assert rarer[language] in block("wildfire")
    assert rarer[language] not in block("typhoon")


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_summary_speaks_of_other_measures_only_when_there_are_some(language: str) -> None:
    report = report_of("busan_warehouse", language)
    others = {"en": "The other measures", "ko": "나머지 대책"}[language]
    assert len(report["recommendations"]) > 1
    assert others in TemplateWriter().write(report, Unlimited()).sections["summary"]
    report["recommendations"] = report["recommendations"][:1]
    summary = TemplateWriter().write(report, Unlimited()).sections["summary"]
    assert others not in summary
    title = report["recommendations"][0][f"title_{language}"]
    assert title in summary


def test_with_acute_hazards_alone_the_summary_names_their_loss_only() -> None:
    report = report_of("busan_warehouse", "en")
    report["hazards"] = [h for h in report["hazards"] if h["kind"] == "acute"]
    summary = TemplateWriter().write(report, Unlimited()).sections["summary"]
    assert "from damage by the acute hazards together" in summary
    assert "chronic" not in summary


def test_an_english_report_romanizes_the_place_of_a_korean_address() -> None:
    report = report_of("busan_warehouse", "en")
    text = TemplateWriter().write(report, Unlimited()).markdown
    assert "부산광역시 해운대구 우동 1406 (U-dong, Haeundae-gu, Busan)" in text


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


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_grade_is_worded_as_the_score_it_stands_for(language: str) -> None:
    # The documents said "grade C (moderate)" where the report JSON words a score of 3 "medium".
    words = {"en": LEVELS_EN, "ko": LEVELS_KO}[language]
    grades = labels(language)["grades"]
    for score, word in words.items():
        assert grades[GRADES[score]] == word


@pytest.mark.parametrize("language", ["en", "ko"])
def test_a_low_risk_without_any_loss_says_so_instead_of_naming_a_case(language: str) -> None:
    # "River flood: score 1; expected annual loss under SSP2-4.5 2030 KRW 0" named a case for a
    # hazard that costs nothing in any.
    report = report_of("busan_warehouse", language)
    river = next(h for h in report["hazards"] if h["hazard"] == "river_flood")
    assert all(r["eal"]["value"] == 0 for r in [river["baseline"], *river["results"]])
    hazards = TemplateWriter().write(report, Unlimited()).sections["hazards"]
    name = labels(language)["hazards"]["river_flood"]
    line = next(x for x in hazards.splitlines() if x.lower().startswith(f"- {name.lower()}:"))
    assert line.endswith({"en": "no loss in any scenario or horizon", "ko": "손실 없음"}[language])
    # A low risk that costs something still names its worst case and its figure.
    lows = [x for x in hazards.splitlines() if x.startswith("- ") and "SSP" in x]
    assert lows


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_reader_is_asked_only_for_facts_a_request_can_give(language: str) -> None:
    # The impervious share goes by the district's urban class and no request field sets it, yet
    # it was listed among the facts "not given" whose real values would help.
    report = report_of("busan_warehouse", language)
    assert report["site"]["impervious_share"]["provenance"] == "assumption"
    text = TemplateWriter().write(report, Unlimited()).sections["assumptions"]
    name = labels(language)["fields"]["impervious_share"]
    asked = {"en": "Not given, so", "ko": "입력하지 않아"}[language]
    fixed = {"en": "not an input", "ko": "입력 항목이 아니라"}[language]
    asking = next(p for p in text.split("\n\n") if p.startswith(asked))
    telling = next(p for p in text.split("\n\n") if fixed in p)
    assert name not in asking
    assert name in telling
    assert labels(language)["fields"]["insured_fraction"] in asking  # still asked: a request field


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_summary_says_where_the_first_dominant_risk_peaks(language: str) -> None:
    # A hazard leads the dominant risks by its worst score, yet the summary gave only its
    # headline loss: an Ulsan plant read "coastal flood ... KRW 2.91 million (0.0097 %)" as its
    # first risk, with no word of the score 5 it reaches in 2100.
    peaks = {"en": " it reaches ", "ko": "까지 오릅니다"}[language]
    busan = report_of("busan_warehouse", language)
    top = ReportView.of(busan).dominant[0]
    assert top.worst is not None
    assert top.headline is not None
    assert top.worst["score"]["value"] > top.headline["score"]["value"]
    summary = TemplateWriter().write(busan, Unlimited()).sections["summary"]
    sentence = next(x for x in summary.split(". ") if peaks in x)
    assert top.worst["scenario"] in sentence
    assert str(top.worst["horizon"]) in sentence
    seoul = report_of("seoul_office", language)  # its urban flood peaks at its headline score
    top = ReportView.of(seoul).dominant[0]
    assert top.worst is not None
    assert top.headline is not None
    assert top.worst["score"]["value"] == top.headline["score"]["value"]
    assert peaks not in TemplateWriter().write(seoul, Unlimited()).sections["summary"]
