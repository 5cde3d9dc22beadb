"""The pages without a browser: the form follows the request schema, the words exist in both
languages, and the language choice works."""

from __future__ import annotations

import json
import re
from typing import Any, get_args

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from riskreport.analysis.request import HazardKey, ReportRequest, Scenario
from riskreport.interfaces.web import install_web
from riskreport.interfaces.web.catalog import LANGUAGES, label, labels, negotiate, texts
from riskreport.interfaces.web.form import FormField, form_spec
from riskreport.interfaces.web.pages import LANG_COOKIE, REPORT_STAGES


@pytest.fixture
def client() -> TestClient:
    app = FastAPI()
    install_web(app)
    return TestClient(app)


def fields(lang: str = "en") -> dict[str, FormField]:
    spec = form_spec("ko" if lang == "ko" else "en")
    found = {f.path: f for f in spec.location.values()}
    found.update({f.path: f for s in spec.sections for f in s.fields})
    return found


def starting_body(lang: str) -> dict[str, Any]:
    """What the page's script sends for the untouched form (see static/form.js)."""
    body: dict[str, Any] = {}

    def put(path: str, value: Any) -> None:
        *parents, leaf = path.split(".")
        node = body
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value

    for path, f in fields(lang).items():
        if path.startswith("target_location.") and path != "target_location.address":
            continue  # the address mode is the default
        if f.kind == "checkboxes":
            cast = int if f.value_type == "integer" else str
            put(path, [cast(v) for v, _ in f.choices if v in f.default_values])
        elif f.default_text:
            text = f.default_text.replace(",", "")
            value: Any = text
            if f.value_type == "integer":
                value = int(text)
            elif f.value_type == "number":
                value = float(text)
            elif f.value_type == "boolean":
                value = text == "true"
            put(path, value)
    return body


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_untouched_form_is_a_valid_request(lang: str) -> None:
    request = ReportRequest.model_validate(starting_body(lang))
    assert request.language == lang  # the report language follows the page
    assert request.target_location.address


def test_every_option_of_the_schema_is_offered_with_a_label() -> None:
    offered = fields("ko")
    assert [v for v, _ in offered["analysis_params.scenarios"].choices] == list(get_args(Scenario))
    hazards = offered["analysis_params.hazards"]
    assert [v for v, _ in hazards.choices] == list(get_args(HazardKey))
    assert hazards.default_values == set(get_args(HazardKey))
    for path in ("building_info.structure", "building_info.use", "analysis_params.hazards"):
        for value, text in offered[path].choices:
            assert text != value, f"{path}={value} has no Korean label"
    assert offered["building_info.has_piloti"].kind == "select"  # booleans as yes/no
    assert "overrides" not in " ".join(offered)  # nested objects stay with the JSON API


def test_bounds_are_shown_as_hints() -> None:
    assert fields()["building_info.year_built"].hint == "1800–2100"
    assert fields()["asset_info.replacement_value_krw"].default_text == "30,000,000,000"


def test_both_languages_have_every_word_and_label() -> None:
    assert texts("ko").keys() == texts("en").keys()
    assert labels("ko").keys() == labels("en").keys()
    for stage in REPORT_STAGES:
        assert label("stage", stage, "ko") != stage
        assert label("stage", stage, "en") != stage
    assert label("hazard", "brand_new_hazard", "ko") == "brand_new_hazard"  # never breaks


@pytest.mark.parametrize(
    ("query", "cookie", "accept", "expected"),
    [
        ("en", "ko", "ko", "en"),
        (None, "en", "ko-KR", "en"),
        (None, None, "en-GB,en;q=0.9,ko;q=0.5", "en"),
        (None, None, "fr-FR,ko;q=0.8", "ko"),
        ("xx", None, None, "ko"),
    ],
)
def test_language_negotiation(
    query: str | None, cookie: str | None, accept: str | None, expected: str
) -> None:
    assert negotiate(query, cookie, accept) == expected


def test_pages_render_in_the_asked_language_and_remember_it(client: TestClient) -> None:
    page = client.get("/?lang=en")
    assert page.status_code == 200
    assert "Create a report" in page.text
    assert page.cookies.get(LANG_COOKIE) == "en"
    assert 'href="/?lang=ko"' in page.text  # the switch keeps the page
    client.cookies.clear()
    client.cookies.set(LANG_COOKIE, "ko")  # the cookie beats Accept-Language
    korean = client.get("/reports?status=failed", headers={"Accept-Language": "en"})
    assert "최근 보고서" in korean.text
    assert '<option value="failed" selected>' in korean.text


def test_the_job_page_carries_its_id_and_words(client: TestClient) -> None:
    job_id = "ab" * 16
    page = client.get(f"/reports/{job_id}?lang=ko")
    found = re.search(r'id="page-data">(.*?)</script>', page.text, re.S)
    assert found is not None
    data = json.loads(found[1])
    assert data["job_id"] == job_id
    assert data["lang"] == "ko"
    assert data["texts"]["error_busy"] == "서비스가 혼잡합니다. {seconds}초 후 다시 시도합니다."
    for stage in REPORT_STAGES:
        assert f'data-stage="{stage}"' in page.text


def test_static_files_are_local_and_versioned(client: TestClient) -> None:
    page = client.get("/").text
    for url in re.findall(r'(?:src|href)="(/static/[^"]+)"', page):
        assert "?v=" in url
        assert client.get(url).status_code == 200
    # Nothing is loaded from another host: no CDN, fonts or scripts from elsewhere.
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page)
    for name in ("app.css", "common.js", "form.js", "job.js", "list.js"):
        assert "://" not in client.get(f"/static/{name}").text
