"""The report JSON the service gives (schema 2, lean) against the verbose one (schema 1): three
times smaller, every figure still traceable to its source, and read alike by every reader."""

from __future__ import annotations

import json
from dataclasses import replace
from functools import cache
from typing import Any

import pytest
from bench.report_size import BODY

from riskreport.analysis.documents import render_documents
from riskreport.analysis.documents.narrative import verbose_report
from riskreport.analysis.narrative.template import TemplateWriter
from riskreport.analysis.narrative.writer import PROSE_SECTIONS, SECTIONS, Unlimited, WriterName
from riskreport.analysis.pipeline import assess, compute
from riskreport.analysis.request import ReportRequest
from riskreport.domain.lean_json import KINDS, expand, figures
from tests.analysis.narrative.reports import BUILDINGS

# The report of docs/report-schema.md's size table.
BUSAN_OFFICE: dict[str, Any] = BODY


@cache
def _results(body_key: str, language: str) -> tuple[str, str]:
    """(schema 1, schema 2) results with the template's narrative, as JSON text."""
    body = BUSAN_OFFICE if body_key == "busan_office" else BUILDINGS[body_key]
    tree = assess(ReportRequest.model_validate({**body, "language": language}))
    verbose = tree.as_verbose_dict()
    narrative = TemplateWriter().write(verbose, Unlimited())
    old = {**verbose, "schema_version": "1", "narrative": narrative.to_full_dict()}
    new = {**tree.as_dict(), "narrative": narrative.to_dict()}
    return json.dumps(old, ensure_ascii=False), json.dumps(new, ensure_ascii=False)


def results(body_key: str, language: str = "en") -> tuple[dict[str, Any], dict[str, Any]]:
    old, new = _results(body_key, language)
    return json.loads(old), json.loads(new)


def _bytes(report: Any) -> int:
    return len(json.dumps(report, ensure_ascii=False, separators=(",", ":")).encode())


def test_the_report_json_is_lean_and_three_times_smaller() -> None:
    old, new = results("busan_office")
    assert new["schema_version"] == "2"
    assert compute(ReportRequest.model_validate(BUSAN_OFFICE)) == {
        k: v for k, v in new.items() if k != "narrative"
    }
    # Measured 3.06x (bench/report_size.py); 2.9 leaves room for a new field or two.
    assert _bytes(old) / _bytes(new) > 2.9


def test_every_figure_of_the_result_resolves_to_a_listed_source() -> None:
    old, new = results("busan_office")
    keys = {s["key"] for s in new["sources"]}
    found = figures(new)
    assert len(found) == json.dumps(old).count('"unit": ')  # not one figure lost
    assert {meta["source"] for _, meta in found} <= keys


def test_expand_gives_the_schema_1_numbers_and_verbose_report_the_whole_narrative() -> None:
    old, new = results("busan_office")
    full = verbose_report(new)
    assert {**full, "schema_version": "1"} == old


@pytest.mark.parametrize("language", ["ko", "en"])
def test_the_narrative_keeps_its_prose_and_rebuilds_the_rest(language: str) -> None:
    report = expand(results("seoul_office", language)[1])
    narrative = TemplateWriter().write(report, Unlimited())
    stored = narrative.to_dict()
    assert set(stored["sections"]) == set(PROSE_SECTIONS)
    assert "markdown" not in stored
    assert TemplateWriter().complete(report, stored) == narrative.to_full_dict()
    assert list(narrative.to_full_dict()["sections"]) == list(SECTIONS)


def test_an_llms_prose_is_kept_word_for_word() -> None:
    report = expand(results("busan_warehouse")[1])
    templated = TemplateWriter().write(report, Unlimited())
    prose = {"summary": "A model's own summary.", "discussion": "A model's own discussion."}
    sections = {**templated.sections, **prose}
    written = replace(
        templated,
        writer=WriterName.LLM,
        sections=sections,
        markdown=TemplateWriter().assemble(report, sections),
        model="some-model",
    )
    rebuilt = TemplateWriter().complete(report, written.to_dict())
    assert rebuilt == written.to_full_dict()
    assert "A model's own discussion." in rebuilt["markdown"]


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_stored_schema_1_result_renders_the_same_documents(language: str) -> None:
    old, new = results("gangwon_house", language)
    assert old["schema_version"] == "1"
    assert KINDS not in old
    formats = ["md", "html"]
    assert render_documents(old, formats) == render_documents(new, formats)


def test_the_writers_read_the_lean_and_the_verbose_form_alike() -> None:
    old, new = results("busan_warehouse", "ko")
    writer = TemplateWriter()
    assert writer.write(new, Unlimited()) == writer.write(old, Unlimited())
