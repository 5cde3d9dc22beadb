"""The LLM writer: an OpenAI-compatible model writes the prose, the template keeps it honest.

Any server that speaks the chat completions API works (OpenAI, vLLM, llama.cpp's server,
Ollama). The model writes the prose sections only (:data:`PROSE_SECTIONS`); tables, lists and
sources stay templated. Its text is used only when it arrives in time, is a JSON object of the
asked shape and size, is no refusal, is in the report's language, every figure in it is a figure
of the result (:mod:`.figures`) and no word in it contradicts the result (:mod:`.claims`);
otherwise the template's text is used and the narrative says why (``fallback_reason``)::

    client = build_client(base_url="http://127.0.0.1:8080/v1", api_key=None)
    writer = LlmWriter(client, model="qwen2.5-7b-instruct", timeout=30.0, template=TemplateWriter())
    narrative = writer.write(report, ctx)  # ctx: the job context, or Unlimited()

The call is blocking I/O: it runs in the engine's runner, off the event loop, and while it waits
the job's thread writes the template's text and reads the result's figures. ``timeout`` bounds
the whole call, every try and every byte included (:mod:`.chat`), and is itself capped by the
job's remaining time. The model's text enters the documents escaped (:mod:`.inert`).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Final, TypeVar

import httpx
from openai.types.chat import ChatCompletionMessageParam

from riskreport.analysis.narrative.chat import ChatClient, ChatFailure, PendingAnswer
from riskreport.analysis.narrative.claims import contradiction
from riskreport.analysis.narrative.figures import ResultFigures
from riskreport.analysis.narrative.inert import block
from riskreport.analysis.narrative.prompts import PromptBook
from riskreport.analysis.narrative.template import TemplateWriter
from riskreport.analysis.narrative.writer import (
    PROSE_SECTIONS,
    Budget,
    Narrative,
    Unlimited,
    WriterName,
    report_language,
)
from riskreport.domain.lean_json import expand

log = logging.getLogger(__name__)

T = TypeVar("T")

# The longest a job waits for its request to leave before it computes the fallback meanwhile.
_SEND_WAIT: Final = 0.25
# How long a job lets other jobs compute before it computes its fallback meanwhile.
_MEANWHILE_AFTER: Final = 0.05


def _nothing() -> None:
    return None


# Below this many seconds a call cannot answer in time; do not start it.
_MIN_CALL_SECONDS: Final = 0.05
# Korean prose is mostly Hangul; English prose has little (a Korean address, a name).
_MIN_HANGUL_SHARE_KO: Final = 0.3
_MAX_HANGUL_SHARE_EN: Final = 0.3
_FENCE: Final = re.compile(r"^```(?:json)?\s*|\s*```$")
# Characters of prose accepted per token asked for: a token is at most a few characters, so an
# answer far longer than max_tokens allows is not an answer to this prompt.
_CHARS_PER_TOKEN: Final = 6
# What a model writes when it declines (inside the JSON when decoding is constrained).
_DECLINES: Final = re.compile(
    r"\b(?:I(?:'m| am) sorry|I can(?:no|')t (?:help|assist|provide|write)|I am unable"
    r"|as an AI\b)|죄송합니다|죄송하지만|도와드릴 수 없|작성할 수 없|AI 언어 모델",
    re.IGNORECASE,
)
# The answer's shape as a JSON schema, within the subset every structured-output server takes
# (OpenAI strict mode, vLLM, llama.cpp, Ollama): all fields required, no extra fields, no
# length limits. Constrained decoding keeps even a small model's answer parseable.
RESPONSE_FORMAT: Final[Mapping[str, Any]] = {
    "type": "json_schema",
    "json_schema": {
        "name": "report_prose",
        "strict": True,
        "schema": {
            "type": "object",
            "properties": {name: {"type": "string"} for name in PROSE_SECTIONS},
            "required": list(PROSE_SECTIONS),
            "additionalProperties": False,
        },
    },
}


class Refusal(Exception):
    """The LLM's text cannot be used; ``reason`` becomes the narrative's ``fallback_reason``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def build_client(
    base_url: str,
    api_key: str | None,
    *,
    max_retries: int = 2,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ChatClient:
    """A chat client for ``base_url`` (e.g. ``http://127.0.0.1:8080/v1``).

    Build it once per worker (``prepare``) and share it; ``transport`` replaces the network in
    tests.
    """
    return ChatClient(base_url, api_key, max_retries=max_retries, transport=transport)


class LlmWriter:
    """Writes the prose with an OpenAI-compatible model; falls back to ``template``."""

    def __init__(
        self,
        client: ChatClient,
        model: str,
        *,
        timeout: float,
        template: TemplateWriter,
        prompts: PromptBook | None = None,
        max_tokens: int = 700,
        temperature: float = 0.0,
    ) -> None:
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self._client = client
        self._model = model
        self._timeout = timeout
        self._template = template
        self._prompts = prompts or PromptBook()
        self._max_tokens = max_tokens
        self._temperature = temperature

    @property
    def name(self) -> WriterName:
        return WriterName.LLM

    @property
    def model(self) -> str:
        return self._model

    def warm(self) -> None:
        """Ready the client for the first call (:meth:`ChatClient.warm`); no request is sent."""
        self._client.warm()

    def write(self, report: Mapping[str, Any], budget: Budget) -> Narrative:
        """The narrative with the model's prose, or the template's with the reason it was used."""
        return self.write_while(report, budget, _nothing)[0]

    def write_while(
        self, report: Mapping[str, Any], budget: Budget, work: Callable[[], T]
    ) -> tuple[Narrative, T]:
        """:meth:`write`, doing ``work`` of the caller's while the model writes (the job makes
        its lean result then, instead of before the call or after it); its value too."""
        # Computing (budget.computing) and waiting for the model alternate; only the former
        # holds the block, so that jobs sharing an interpreter compute while this one waits.
        with budget.computing():
            report = expand(report)  # once, for the prompt, the templates and the number check
            messages = self._prompts.messages(report)
        pending: PendingAnswer | Refusal
        try:
            pending = self._send(budget, messages)
            # The request leaves before this thread computes the template and the figures
            # (PendingAnswer.wait_sent): about a millisecond, not a switch interval per step.
            pending.wait_sent(_SEND_WAIT)
            # And a little longer: jobs that started with this one are computing their own
            # requests now, and under one GIL (the thread runner) work done here would delay
            # them. A model answers in seconds, so the work below still fits in its wait.
            pending.wait_done(_MEANWHILE_AFTER)
        except Refusal as refusal:
            pending = refusal
        try:
            # While the model writes: the template's text (the fallback, and the sections the
            # model does not write) and the result's figures for the number check. Done before
            # the call, they would delay it, and with it the whole job, on a busy worker.
            with budget.computing():
                templated = self._template.write(report, budget)
                figures = ResultFigures.from_report(report)
                done = work()
        except BaseException:
            if isinstance(pending, PendingAnswer):
                pending.cancel()
            raise
        try:
            if isinstance(pending, Refusal):
                raise pending
            answer, finish_reason = self._received(pending, budget)
        except Refusal as refusal:
            return self._fallback(templated, refusal, None), done
        with budget.computing():  # the checks and the assembly
            accepted = self._accept(report, messages, templated, figures, answer, finish_reason)
        return accepted, done

    def rehearse(self, report: Mapping[str, Any]) -> Narrative:
        """Everything :meth:`write` does but the call, once per language at a worker's warm-up:
        the template's own prose stands for the model's answer and goes through the checks a
        real answer meets. The word check's patterns, the level words and the number check's
        masks are built on first use; without this, a worker's first reports built them, four
        at once under the GIL with four slots."""
        report = expand(report)
        messages = self._prompts.messages(report)
        templated = self._template.write(report, Unlimited())
        figures = ResultFigures.from_report(report)
        answer = json.dumps(
            {name: templated.sections[name] for name in PROSE_SECTIONS}, ensure_ascii=False
        )
        return self._accept(report, messages, templated, figures, answer, "stop")

    def _accept(
        self,
        report: Mapping[str, Any],
        messages: list[ChatCompletionMessageParam],
        templated: Narrative,
        figures: ResultFigures,
        answer: str,
        finish_reason: str | None,
    ) -> Narrative:
        """The narrative with the model's ``answer`` if it passes every check, else the
        template's with the reason."""
        try:
            if finish_reason == "length":
                raise Refusal(f"format: the answer was cut off at max_tokens ({self._max_tokens})")
            if finish_reason == "content_filter":
                raise Refusal("refusal: the server's content filter stopped the answer")
            prose = parse_sections(answer, max_chars=_CHARS_PER_TOKEN * self._max_tokens)
            self._check(report, str(messages[-1]["content"]), prose, figures)
        except Refusal as refusal:
            return self._fallback(templated, refusal, answer)
        # The model was asked for plain sentences: whatever Markdown it wrote stays text.
        sections = {**templated.sections, **{name: block(text) for name, text in prose.items()}}
        return Narrative(
            writer=WriterName.LLM,
            language=templated.language,
            sections=sections,
            markdown=self._template.assemble(report, sections),
            model=self._model,
            draft=answer,
        )

    def _fallback(self, templated: Narrative, refusal: Refusal, answer: str | None) -> Narrative:
        log.info("narrative falls back to the template: %s", refusal.reason)
        return replace(templated, fallback_reason=refusal.reason, model=self._model, draft=answer)

    def _send(self, budget: Budget, messages: list[ChatCompletionMessageParam]) -> PendingAnswer:
        """Start one chat completion (with the client's retries), bounded as a whole by the
        configured timeout and the job's remaining time, never started for a cancelled job and
        dropped as soon as the job is cancelled; :class:`Refusal` when none may start."""
        if budget.cancelled():
            raise Refusal("cancelled")
        timeout = min(self._timeout, budget.remaining())
        if timeout < _MIN_CALL_SECONDS:
            raise Refusal("timeout: no time left for the LLM call")
        body = {
            "model": self._model,
            "messages": messages,
            "temperature": self._temperature,
            "max_tokens": self._max_tokens,
            "response_format": RESPONSE_FORMAT,
        }
        try:
            return self._client.send(body, timeout=timeout, cancelled=budget.cancelled)
        except ChatFailure as failure:
            raise Refusal(failure.reason) from failure

    def _received(self, pending: PendingAnswer, budget: Budget) -> tuple[str, str | None]:
        """Wait for the call of :meth:`_send`: the model's raw answer and why it ended
        (``"stop"``, ``"length"``), or :class:`Refusal`."""
        try:
            answer = pending.answer()
        except ChatFailure as failure:
            raise Refusal(failure.reason) from failure
        if budget.cancelled():
            raise Refusal("cancelled")
        if answer.refusal:
            raise Refusal(f"refusal: {answer.refusal[:200]}")
        return answer.content, answer.finish_reason

    def _check(
        self,
        report: Mapping[str, Any],
        facts: str,
        prose: Mapping[str, str],
        figures: ResultFigures,
    ) -> None:
        language = report_language(report)
        text = " ".join(prose.values())
        declined = _DECLINES.search(text)
        if declined:
            raise Refusal(f"refusal: the model declined ({declined.group(0)!r})")
        if language == "ko" and hangul_share(text) < _MIN_HANGUL_SHARE_KO:
            raise Refusal("language: the answer is not in Korean")
        if language == "en" and hangul_share(text) > _MAX_HANGUL_SHARE_EN:
            raise Refusal("language: the answer is not in English")
        unmatched = figures.unmatched(text)
        if unmatched:
            shown = ", ".join(unmatched[:3])
            raise Refusal(f"number_mismatch: {shown} not in result")
        problem = contradiction(report, facts, text)
        if problem:
            raise Refusal(problem)


def parse_sections(text: str, *, max_chars: int | None = None) -> dict[str, str]:
    """The prose sections from the model's JSON answer (``{"summary": ..., "discussion": ...}``),
    refused when longer than ``max_chars`` in all."""
    if max_chars is not None and len(text) > max_chars:
        raise Refusal(f"format: the answer is longer than {max_chars} characters")
    body = _FENCE.sub("", text.strip())
    try:
        data = json.loads(body)
    except json.JSONDecodeError as error:
        raise Refusal(f"format: the answer is not JSON ({error.msg})") from error
    if not isinstance(data, dict):
        raise Refusal("format: the answer is not a JSON object")
    sections: dict[str, str] = {}
    for name in PROSE_SECTIONS:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            raise Refusal(f"format: the answer has no {name!r} text")
        sections[name] = value.strip()
    return sections


def hangul_share(text: str) -> float:
    """The share of letters in ``text`` that are Hangul syllables (0 when there are none)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if "가" <= c <= "힣") / len(letters)
