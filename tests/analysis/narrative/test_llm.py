"""The LLM writer against a mocked OpenAI-compatible server: used when its figures check out,
replaced by the template on a wrong figure, a timeout, a server error or a cancelled job."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from riskreport.analysis.narrative import TemplateWriter, Unlimited, WriterName
from riskreport.analysis.narrative.inert import block
from riskreport.analysis.narrative.llm import LlmWriter, Refusal, hangul_share, parse_sections
from riskreport.analysis.narrative.view import ReportView
from riskreport.analysis.narrative.writer import Budget as NarrativeBudget
from riskreport.analysis.narrative.writer import Narrative
from tests.analysis.narrative import llm_stub
from tests.analysis.narrative.reports import report_of


@dataclass
class Budget:
    """A job's budget: cancelled or not, seconds left."""

    left: float = 60.0
    stop: bool = False

    def cancelled(self) -> bool:
        return self.stop

    def remaining(self) -> float:
        return self.left

    def computing(self) -> AbstractContextManager[None]:
        return nullcontext()


@dataclass
class Server:
    """Answers in turn; records the requests it got."""

    answers: list[httpx.Response | Exception]
    requests: list[httpx.Request] = field(default_factory=list)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        return answer


def writer(server: llm_stub.Handler, *, timeout: float = 30.0, max_retries: int = 0) -> LlmWriter:
    return LlmWriter(
        llm_stub.client(server, max_retries=max_retries),
        "stub-model",
        timeout=timeout,
        template=TemplateWriter(),
    )


def faithful_answer(report: dict[str, Any]) -> str:
    """What a careful model writes: the template's own wording of the prose sections."""
    sections = TemplateWriter().sections(report)
    return llm_stub.prose(sections["summary"], sections["discussion"])


@pytest.mark.parametrize("language", ["ko", "en"])
def test_text_whose_figures_check_out_is_used(language: str) -> None:
    report = report_of("seoul_office", language)
    server = Server([llm_stub.completion(faithful_answer(report), model="served-model")])
    narrative = writer(server).write(report, Budget())
    assert narrative.writer is WriterName.LLM
    assert narrative.fallback_reason is None
    assert narrative.model == "stub-model"  # the configured name
    template = TemplateWriter().write(report, Unlimited())
    # the model's prose, escaped as text: its Markdown (**E**) shows as written, never as markup
    assert narrative.sections["summary"] == block(json.loads(narrative.draft or "")["summary"])
    # structural sections stay templated, and the document holds the model's prose
    for name in ("grade", "hazards", "scenarios", "recommendations", "assumptions", "sources"):
        assert narrative.sections[name] == template.sections[name]
    assert narrative.sections["summary"] in narrative.markdown
    assert narrative.to_dict()["writer"] == "llm"


def test_the_request_asks_for_json_in_the_reports_language() -> None:
    report = report_of("busan_warehouse", "ko")
    server = Server([llm_stub.completion(faithful_answer(report))])
    writer(server).write(report, Budget())
    (request,) = server.requests
    body = json.loads(request.content)
    assert body["model"] == "stub-model"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["schema"]["required"] == ["summary", "discussion"]
    system, user = llm_stub.sent_messages(request)
    assert system["role"] == "system"
    assert "한국어" in system["content"]
    scenario, horizon = ReportView.of(report).headline
    assert f"{scenario}·{horizon}년" in user["content"]
    assert "억원" in user["content"] or "만원" in user["content"]


def test_a_wrong_figure_falls_back_to_the_template() -> None:
    report = report_of("seoul_office", "ko")
    answer = llm_stub.prose(
        "이 건물의 연간 기대손실은 99.9억원입니다.", "도시 침수 위험이 가장 큽니다."
    )
    server = Server([llm_stub.completion(answer)])
    narrative = writer(server).write(report, Budget())
    template = TemplateWriter().write(report, Unlimited())
    assert narrative.writer is WriterName.TEMPLATE
    assert narrative.fallback_reason == "number_mismatch: 99.9억 not in result"
    assert narrative.model == "stub-model"
    assert narrative.sections == template.sections
    assert narrative.markdown == template.markdown
    assert narrative.draft == answer


def test_a_timeout_falls_back_to_the_template() -> None:
    report = report_of("seoul_office", "en")
    server = Server([httpx.ReadTimeout("the model is thinking")])
    narrative = writer(server).write(report, Budget())
    assert narrative.writer is WriterName.TEMPLATE
    assert (narrative.fallback_reason or "").startswith("timeout")
    assert narrative.sections == TemplateWriter().write(report, Unlimited()).sections


def test_a_server_error_is_retried_then_falls_back() -> None:
    report = report_of("seoul_office", "en")
    failing = httpx.Response(
        500, json={"error": {"message": "boom"}}, headers={"retry-after-ms": "1"}
    )
    server = Server([failing])
    narrative = writer(server, max_retries=1).write(report, Budget())
    assert len(server.requests) == 2  # the client's own retry
    assert narrative.writer is WriterName.TEMPLATE
    assert narrative.fallback_reason == "error: HTTP 500"


def test_a_rate_limit_is_retried_by_the_client() -> None:
    report = report_of("seoul_office", "en")
    limited = httpx.Response(
        429, json={"error": {"message": "slow down"}}, headers={"retry-after-ms": "1"}
    )
    server = Server([limited, llm_stub.completion(faithful_answer(report))])
    narrative = writer(server, max_retries=2).write(report, Budget())
    assert len(server.requests) == 2
    assert narrative.writer is WriterName.LLM


def test_an_unreachable_server_falls_back() -> None:
    report = report_of("seoul_office", "en")
    server = Server([httpx.ConnectError("connection refused")])
    narrative = writer(server).write(report, Budget())
    assert narrative.fallback_reason == "error: ConnectError"


def test_the_call_never_outlives_the_job() -> None:
    report = report_of("seoul_office", "en")
    server = Server([httpx.Response(503, json={"error": {"message": "busy"}})])
    # 0.3 s left of the job, 30 s allowed per call, retries allowed: the retries and the waits
    # between them all fit in the 0.3 s, then the call gives up
    started = time.monotonic()
    narrative = writer(server, timeout=30.0, max_retries=5).write(report, Budget(left=0.3))
    assert time.monotonic() - started < 0.6
    assert 1 <= len(server.requests) <= 3
    assert (narrative.fallback_reason or "").startswith("timeout")


def test_no_call_without_time_left() -> None:
    report = report_of("seoul_office", "en")
    server = Server([llm_stub.completion(faithful_answer(report))])
    narrative = writer(server).write(report, Budget(left=0.0))
    assert server.requests == []
    assert narrative.fallback_reason == "timeout: no time left for the LLM call"


def test_no_call_for_a_cancelled_job() -> None:
    report = report_of("seoul_office", "en")
    server = Server([llm_stub.completion(faithful_answer(report))])
    narrative = writer(server).write(report, Budget(stop=True))
    assert server.requests == []
    assert narrative.fallback_reason == "cancelled"


def test_an_answer_after_cancellation_is_dropped() -> None:
    report = report_of("seoul_office", "en")
    budget = Budget()

    def cancel_while_answering(request: httpx.Request) -> httpx.Response:
        budget.stop = True
        return llm_stub.completion(faithful_answer(report))

    narrative = writer(cancel_while_answering).write(report, budget)
    assert narrative.writer is WriterName.TEMPLATE
    assert narrative.fallback_reason == "cancelled"


@pytest.mark.parametrize(
    ("language", "summary", "reason"),
    [
        ("ko", "The building faces a high flood risk.", "language: the answer is not in Korean"),
        ("en", "이 건물은 침수 위험이 큽니다.", "language: the answer is not in English"),
    ],
)
def test_an_answer_in_the_wrong_language_falls_back(
    language: str, summary: str, reason: str
) -> None:
    report = report_of("seoul_office", language)
    answer = llm_stub.prose(summary, summary)
    narrative = writer(Server([llm_stub.completion(answer)])).write(report, Budget())
    assert narrative.fallback_reason == reason


def test_an_answer_cut_off_at_max_tokens_falls_back() -> None:
    report = report_of("seoul_office", "en")
    cut = llm_stub.completion('{"summary": "The building is a 12-story', finish_reason="length")
    narrative = writer(Server([cut])).write(report, Budget())
    assert narrative.fallback_reason == "format: the answer was cut off at max_tokens (700)"
    assert narrative.draft == '{"summary": "The building is a 12-story'


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("The building is at risk.", "format: the answer is not JSON"),
        ('["summary"]', "format: the answer is not a JSON object"),
        ('{"summary": "Risky."}', "format: the answer has no 'discussion' text"),
        ('{"summary": " ", "discussion": "x"}', "format: the answer has no 'summary' text"),
    ],
)
def test_an_answer_in_another_shape_falls_back(answer: str, reason: str) -> None:
    report = report_of("seoul_office", "en")
    narrative = writer(Server([llm_stub.completion(answer)])).write(report, Budget())
    assert narrative.writer is WriterName.TEMPLATE
    assert (narrative.fallback_reason or "").startswith(reason)


def test_a_fenced_json_answer_is_read() -> None:
    assert parse_sections('```json\n{"summary": "a", "discussion": "b"}\n```') == {
        "summary": "a",
        "discussion": "b",
    }
    with pytest.raises(Refusal):
        parse_sections("")


def test_hangul_share() -> None:
    assert hangul_share("홍수 flood") == pytest.approx(2 / 7)
    assert hangul_share("12.3%") == 0.0


def test_a_timeout_must_be_positive() -> None:
    with pytest.raises(ValueError, match="timeout"):
        writer(Server([]), timeout=0)


def test_the_template_is_written_while_the_model_writes() -> None:
    report = report_of("seoul_office", "en")
    arrived = threading.Event()
    seen: list[bool] = []

    class WatchedTemplate(TemplateWriter):
        def write(self, report: Mapping[str, Any], budget: NarrativeBudget) -> Narrative:
            seen.append(arrived.wait(2.0))  # the request is out before the template is written
            return super().write(report, budget)

    def server(request: httpx.Request) -> httpx.Response:
        arrived.set()
        return llm_stub.completion(faithful_answer(report))

    narrative = LlmWriter(
        llm_stub.client(server), "stub-model", timeout=30.0, template=WatchedTemplate()
    ).write(report, Unlimited())
    assert narrative.writer is WriterName.LLM
    assert seen == [True]


def test_the_callers_work_is_done_while_the_model_writes() -> None:
    report = report_of("seoul_office", "en")
    arrived, worked = threading.Event(), threading.Event()

    def server(request: httpx.Request) -> httpx.Response:
        arrived.set()
        # Answers only once the caller's work has run: work left for after the answer would
        # make this call time out and the narrative fall back.
        if not worked.wait(5.0):
            raise httpx.ReadTimeout("the work was not done during the call", request=request)
        return llm_stub.completion(faithful_answer(report))

    def work() -> str:
        assert arrived.wait(2.0)  # the request is out before the work starts
        worked.set()
        return "lean"

    narrative, done = writer(server).write_while(report, Unlimited(), work)
    assert (narrative.writer, narrative.fallback_reason, done) == (WriterName.LLM, None, "lean")


@dataclass
class Holding(Budget):
    """A budget whose computing blocks hold a real lock, as the thread runner's do."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    entered: int = 0

    def computing(self) -> AbstractContextManager[None]:
        self.entered += 1
        return self._held()

    @contextmanager
    def _held(self) -> Iterator[None]:
        with self.lock:
            yield


def test_the_writer_computes_in_blocks_and_waits_for_the_model_outside_them() -> None:
    """While the model writes, another job sharing the interpreter may compute: the writer
    holds none of its computing blocks through the wait."""
    report = report_of("seoul_office", "en")
    budget = Holding()
    held_while_answering: list[bool] = []

    def answering(request: httpx.Request) -> httpx.Response:
        held_while_answering.append(budget.lock.locked())
        time.sleep(0.1)  # the model's wait: the writer computes its fallback meanwhile
        return llm_stub.completion(faithful_answer(report))

    narrative = writer(answering).write(report, budget)
    assert narrative.writer is WriterName.LLM
    assert held_while_answering == [False]
    assert budget.entered >= 3  # before the call, during the wait, after the answer
    assert not budget.lock.locked()


@pytest.mark.parametrize("language", ["ko", "en"])
def test_a_rehearsal_passes_every_check_without_a_call(language: str) -> None:
    # The warm-up's rehearsal: the template's prose as the answer, through the checks; no
    # request may leave, and the checks must pass, or the warm-up leaves them to a report.
    report = report_of("seoul_office", language)
    server = Server([AssertionError("a rehearsal sends nothing")])
    narrative = writer(server).rehearse(report)
    assert server.requests == []
    assert (narrative.writer, narrative.fallback_reason) == (WriterName.LLM, None)
    assert narrative == writer(Server([llm_stub.completion(faithful_answer(report))])).write(
        report, Budget()
    )
