"""The report job: stages in order, cancellation between them, the narrative writer chosen per
request, and the documents attached."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from riskreport.analysis import job, writers
from riskreport.analysis.config import AnalysisConfig
from riskreport.analysis.job import (
    NOT_CONFIGURED,
    Writers,
    narrate,
    prepare,
    render_document,
    run_report,
)
from riskreport.analysis.narrative import TemplateWriter
from riskreport.analysis.narrative.llm import LlmWriter
from riskreport.analysis.pipeline import compute
from riskreport.analysis.request import ReportRequest
from tests.analysis.narrative import llm_stub
from tests.analysis.narrative.reports import BUILDINGS, report_of


class Stop(Exception):
    """What the engine's ``ctx.check()`` raises when a job must stop."""


class Context:
    """A job context: records progress; stops the job once ``stop_at`` stage was reported."""

    job_id = "job-1"

    def __init__(self, stop_at: str | None = None, left: float = 60.0) -> None:
        self.progress: list[tuple[float, str]] = []
        self.stop_at = stop_at
        self.left = left

    def report(self, fraction: float, stage: str) -> None:
        self.progress.append((fraction, stage))

    def cancelled(self) -> bool:
        return self.stop_at is not None and any(s == self.stop_at for _, s in self.progress)

    def remaining(self) -> float:
        return self.left

    def computing(self) -> AbstractContextManager[None]:
        return nullcontext()

    def check(self) -> None:
        if self.cancelled():
            raise Stop(self.stop_at)

    @property
    def stages(self) -> list[str]:
        seen: list[str] = []
        for _, stage in self.progress:
            if not seen or seen[-1] != stage:
                seen.append(stage)
        return seen


def payload(name: str = "seoul_office", **params: Any) -> dict[str, Any]:
    request: dict[str, Any] = {**BUILDINGS[name], "language": "en"}
    if params:
        request["analysis_params"] = params
    return request


@pytest.fixture(autouse=True)
def quick_documents() -> Iterator[None]:
    """Markdown and HTML only, rendered in the job (eager): the PDF has its own tests."""
    prepare(AnalysisConfig(documents=("md", "html"), eager_documents=True))
    yield
    prepare(AnalysisConfig())


def test_by_default_a_report_is_done_with_its_result_and_renders_documents_on_request() -> None:
    prepare(AnalysisConfig(documents=("md", "html", "pdf")))
    ctx = Context()
    output = run_report(payload(), ctx)
    assert ctx.stages == ["inputs", "hazards", "narrative"]
    assert output.artifacts == {}
    assert output.result["narrative"]["writer"] == "template"
    # a PDF request renders the page with it: both share one drawing of the charts
    made = render_document({"result": output.result, "name": "pdf"}, Context())
    assert set(made.artifacts) == {"pdf", "html"}
    assert made.artifacts["pdf"][1].startswith(b"%PDF-")
    markdown = render_document({"result": output.result, "name": "md"}, Context())
    assert set(markdown.artifacts) == {"md"}


def test_a_report_goes_through_every_stage_and_carries_its_documents() -> None:
    ctx = Context()
    output = run_report(payload(), ctx)
    assert ctx.stages == ["inputs", "hazards", "narrative", "documents"]
    fractions = [f for f, _ in ctx.progress]
    assert fractions == sorted(fractions)
    assert fractions[0] >= 0.0
    assert fractions[-1] <= 1.0
    narrative = output.result["narrative"]
    assert narrative["writer"] == "template"
    assert narrative["fallback_reason"] is None
    assert narrative["language"] == "en"
    assert output.result["schema_version"] == "2"
    numbers = {k: v for k, v in output.result.items() if k != "narrative"}
    assert numbers == compute(ReportRequest.model_validate(payload()))  # the same lean JSON
    assert set(narrative["sections"]) == {"summary", "discussion"}  # the prose; the rest rebuilt
    assert "markdown" not in narrative
    json.dumps(output.result)  # the result is JSON
    assert set(output.artifacts) == {"md", "html"}
    assert output.artifacts["html"][0] == "text/html; charset=utf-8"
    assert output.artifacts["md"][1].decode("utf-8").startswith("# Physical climate-risk report")


@pytest.mark.parametrize("stage", ["inputs", "hazards", "narrative", "documents"])
def test_a_cancelled_job_stops_at_the_next_check(stage: str) -> None:
    ctx = Context(stop_at=stage)
    with pytest.raises(Stop):
        run_report(payload(), ctx)
    assert ctx.stages[-1] == stage


class CountingChecks(Context):
    def __init__(self) -> None:
        super().__init__()
        self.checks = 0

    def check(self) -> None:
        self.checks += 1
        super().check()


def test_hazard_progress_is_reported_and_checked_at_every_step() -> None:
    # The job reports every step; the runners thin what reaches the store
    # (tests/engine/test_throttle.py and the backend contract's burst test).
    ctx = CountingChecks()
    run_report(payload(), ctx)
    reports = sum(stage == "hazards" for _, stage in ctx.progress)
    assert reports > 10  # the stage, then every step of the pipeline (its hazards among them)
    assert ctx.checks >= reports - 1 > 10  # cancellation is checked at every step


def test_an_invalid_request_fails_at_the_inputs_stage() -> None:
    ctx = Context()
    with pytest.raises(ValidationError):
        run_report({"target_location": {"address": "nowhere"}}, ctx)
    assert ctx.stages == ["inputs"]


def test_asking_for_the_llm_without_one_configured_says_so() -> None:
    output = run_report(payload(narrative="llm"), Context())
    assert output.result["narrative"]["writer"] == "template"
    assert output.result["narrative"]["fallback_reason"] == NOT_CONFIGURED


def llm_writers(server: llm_stub.Handler, default: str = "llm") -> Writers:
    template = TemplateWriter()
    llm = LlmWriter(llm_stub.client(server), "stub-model", timeout=30.0, template=template)
    config = AnalysisConfig(
        narrative=default,
        llm_base_url="http://llm.test/v1",
        llm_model="stub-model",
        documents=("md",),
    )
    return Writers(config=config, template=template, llm=llm)


def test_the_llm_writes_within_the_jobs_remaining_time(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        sections = TemplateWriter().sections(report_of("seoul_office", "en"))
        return llm_stub.completion(llm_stub.prose(sections["summary"], sections["discussion"]))

    monkeypatch.setattr(writers, "_writers", llm_writers(server))
    output = run_report(payload(), Context(left=7.5))
    assert output.result["narrative"]["writer"] == "llm"
    assert output.result["narrative"]["model"] == "stub-model"
    # the whole call is bounded by the job's 7.5 s (the 30 s timeout would be longer)
    assert seen[0].extensions["timeout"]["read"] == pytest.approx(7.5, abs=0.1)


def test_a_request_may_ask_for_the_template(monkeypatch: pytest.MonkeyPatch) -> None:
    def server(request: httpx.Request) -> httpx.Response:
        raise AssertionError("the template was asked for; the LLM must not be called")

    monkeypatch.setattr(writers, "_writers", llm_writers(server))
    output = run_report(payload(narrative="template"), Context())
    assert output.result["narrative"]["writer"] == "template"
    assert output.result["narrative"]["fallback_reason"] is None


def test_a_request_may_ask_for_the_llm(monkeypatch: pytest.MonkeyPatch) -> None:
    answers: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        answers.append(request)
        return httpx.Response(500, json={"error": {"message": "down"}})

    monkeypatch.setattr(writers, "_writers", llm_writers(server, default="template"))
    output = run_report(payload(narrative="llm"), Context())
    assert len(answers) == 1
    assert output.result["narrative"]["fallback_reason"] == "error: HTTP 500"


def test_narrate_adds_the_narrative_to_a_computed_report() -> None:
    report = report_of("gangwon_house", "ko")
    narrated = narrate(report)
    assert "narrative" not in report
    assert narrated["narrative"]["language"] == "ko"
    assert narrated["narrative"]["sections"]["summary"]
    full = TemplateWriter().complete(narrated, narrated["narrative"])
    assert full["markdown"].startswith("# 물리적 기후 위험 보고서")


def test_prepare_builds_the_llm_client_from_the_configuration() -> None:
    prepare(
        AnalysisConfig(
            narrative="llm",
            llm_base_url="http://127.0.0.1:9/v1",
            llm_model="m",
            llm_api_key="secret",
            documents=(),
        )
    )
    writers = job.current_writers()
    assert writers.llm is not None
    assert writers.llm.model == "m"
    assert "secret" not in repr(writers.config)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"narrative": "poem"}, "narrative must be one of"),
        ({"narrative": "llm"}, "needs llm_base_url and llm_model"),
        ({"llm_timeout": 0}, "llm_timeout"),
        ({"llm_max_retries": -1}, "llm_max_retries"),
        ({"llm_max_tokens": 0}, "llm_max_tokens"),
        ({"documents": ("pdf", "docx")}, "unknown documents"),
    ],
)
def test_a_bad_configuration_is_refused(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AnalysisConfig(**changes)


# A fresh interpreter: this process's tables are loaded by the tests before this one.
_COLD_PREPARE = """
import json, sys
from riskreport.analysis.config import AnalysisConfig
from riskreport.analysis.job import prepare
from riskreport.domain import gazetteer, place_names
def loaded():
    tables = (place_names.legal_index, gazetteer.load_gazetteer)
    return [table.cache_info().currsize for table in tables]
before = loaded()
prepare(AnalysisConfig(documents=()))
json.dump({"before": before, "after": loaded()}, sys.stdout)
"""


def test_prepare_loads_the_tables_a_first_report_would_load() -> None:
    # /readyz answers once prepare returned: the address index and the gazetteer must be loaded
    # by then, not by the first jobs (each paid them under the GIL, four at once).
    done = subprocess.run(
        [sys.executable, "-c", _COLD_PREPARE], capture_output=True, text=True, check=True
    )
    sizes = json.loads(done.stdout)
    assert sizes == {"before": [0, 0], "after": [1, 1]}


_COLD_REQUESTS = """
import json, sys
from riskreport.analysis.job import prepare_requests
from riskreport.analysis.location import boundaries
from riskreport.domain import place_names
def loaded():
    b = boundaries._boundaries
    polygons = b is not None and b._edges is not None
    return [polygons, place_names.legal_index.cache_info().currsize]
before = loaded()
prepare_requests()
json.dump({"before": before, "after": loaded()}, sys.stdout)
"""


def test_the_api_process_warms_what_validating_a_request_loads() -> None:
    # Validation places the site in the server process (the polygons and their outlines for a
    # lat/lon, the address index for an address): loaded at start-up, not on the event loop.
    done = subprocess.run(
        [sys.executable, "-c", _COLD_REQUESTS], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == {"before": [False, 0], "after": [True, 1]}


# Run in a fresh interpreter: what a first report does for the first time depends on what ran
# before it. The worker warms up as in the service, with an LLM on loopback that answers from
# the fact sheet (so the answer goes through every check), then reports on the warm-up's
# building and on another one, each for the first time.
_FIRST_REPORTS = """
import functools, gc, json, re, sys
from riskreport.analysis.config import AnalysisConfig
from riskreport.analysis.job import WARM_REQUEST, prepare, run_report
from tests.analysis.narrative.loopback_llm import FromFacts, LoopbackLlm
from tests.analysis.narrative.reports import BUILDINGS
from tests.analysis.test_job import Context

def caches():
    # type(), not isinstance(): asking a lazy module proxy (openai's) its class loads it.
    return {
        f"{c.__module__}.{c.__qualname__}": c.cache_info().currsize
        for c in gc.get_objects()
        if type(c) is functools._lru_cache_wrapper and c.__module__.startswith("riskreport")
    }

with LoopbackLlm(keep_alive=True) as server:
    server.behave(FromFacts())
    prepare(AnalysisConfig(narrative="llm", llm_base_url=server.base_url, llm_model="m",
                           documents=()))
    bodies = {
        "warm": {**WARM_REQUEST, "language": "en"},
        "other": {**BUILDINGS["busan_warehouse"], "language": "ko"},
    }
    first = {}
    for name, body in bodies.items():
        modules, patterns, filled = set(sys.modules), set(re._cache), caches()
        result = run_report(body, Context()).result
        first[name] = {
            "writer": result["narrative"]["writer"],
            "fallback": result["narrative"].get("fallback_reason"),
            "imported": sorted(set(sys.modules) - modules),
            "compiled": sorted(str(key[1]) for key in set(re._cache) - patterns),
            "filled": sorted(k for k, n in caches().items() if n != filled.get(k, 0)),
        }
json.dump(first, sys.stdout)
"""


def test_a_warmed_worker_does_nothing_for_the_first_time_on_its_first_report() -> None:
    # Four first reports start together after /readyz and share the GIL (the thread runner):
    # a regular expression compiled, a module imported or a cache filled on a first report is
    # paid four times over, on the event loop's time. The warm-up (prepare) must leave none.
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_REPORTS],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    first = json.loads(done.stdout)
    clean: dict[str, object] = {
        "writer": "llm",
        "fallback": None,
        "imported": [],
        "compiled": [],
        "filled": [],
    }
    assert first["warm"] == clean
    # Another building: its address is looked up, and its strings escaped, for the first time
    # (each kept for the next report on it), no more.
    other = first["other"]
    assert other["filled"] == [
        "riskreport.analysis.narrative.figures._masks",
        "riskreport.analysis.request._resolve",
    ], other
    assert {**other, "filled": []} == clean
