"""The LLM writer: an OpenAI-compatible model writes the prose, the template keeps it honest.

Any server that speaks the chat completions API works (OpenAI, vLLM, llama.cpp's server,
Ollama). The model writes the prose sections only (:data:`PROSE_SECTIONS`); tables, lists and
sources stay templated. Its text is used only when every figure in it is a figure of the result
(:mod:`.figures`), it is in the report's language and it arrives in time; otherwise the template's
text is used and the narrative says why (``fallback_reason``)::

    client = build_client(base_url="http://127.0.0.1:8080/v1", api_key=None)
    writer = LlmWriter(client, model="qwen2.5-7b-instruct", timeout=30.0, template=TemplateWriter())
    narrative = writer.write(report, ctx)  # ctx: the job context, or Unlimited()

The call is blocking I/O: it runs in the engine's runner, off the event loop, and its timeout is
the smaller of the configured timeout and the job's remaining time. Retries of 429 and 5xx
answers are the openai client's own (``max_retries``).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any, Final

import httpx
import openai
from openai.types.shared_params import ResponseFormatJSONSchema

from riskreport.analysis.narrative.figures import ResultFigures
from riskreport.analysis.narrative.prompts import PromptBook
from riskreport.analysis.narrative.template import TemplateWriter
from riskreport.analysis.narrative.writer import (
    PROSE_SECTIONS,
    Budget,
    Narrative,
    WriterName,
    report_language,
)

log = logging.getLogger(__name__)

# Below this many seconds a call cannot answer in time; do not start it.
_MIN_CALL_SECONDS: Final = 0.05
# Korean prose is mostly Hangul; English prose has little (a Korean address, a name).
_MIN_HANGUL_SHARE_KO: Final = 0.3
_MAX_HANGUL_SHARE_EN: Final = 0.3
_FENCE: Final = re.compile(r"^```(?:json)?\s*|\s*```$")
# The answer's shape as a JSON schema, within the subset every structured-output server takes
# (OpenAI strict mode, vLLM, llama.cpp, Ollama): all fields required, no extra fields, no
# length limits. Constrained decoding keeps even a small model's answer parseable.
RESPONSE_FORMAT: Final[ResponseFormatJSONSchema] = {
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
    http_client: httpx.Client | None = None,
) -> openai.OpenAI:
    """An OpenAI client for ``base_url`` (e.g. ``http://127.0.0.1:8080/v1``).

    Local servers need no key; the client insists on one, so a placeholder is sent. Build it
    once per worker (``prepare``) and share it: it holds a connection pool and is thread-safe.
    """
    # openai>=2 annotates http_client as its own httpx fork yet accepts an httpx.Client.
    client_arg: Any = http_client
    return openai.OpenAI(
        base_url=base_url,
        api_key=api_key or "not-needed",
        max_retries=max_retries,
        http_client=client_arg,
    )


class LlmWriter:
    """Writes the prose with an OpenAI-compatible model; falls back to ``template``."""

    def __init__(
        self,
        client: openai.OpenAI,
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

    def write(self, report: Mapping[str, Any], budget: Budget) -> Narrative:
        """The narrative with the model's prose, or the template's with the reason it was used."""
        templated = self._template.write(report, budget)
        answer: str | None = None
        try:
            answer, finish_reason = self.ask(report, budget)
            if finish_reason == "length":
                raise Refusal(f"format: the answer was cut off at max_tokens ({self._max_tokens})")
            prose = parse_sections(answer)
            self._check(report, prose)
        except Refusal as refusal:
            log.info("narrative falls back to the template: %s", refusal.reason)
            return replace(
                templated, fallback_reason=refusal.reason, model=self._model, draft=answer
            )
        sections = {**templated.sections, **prose}
        return Narrative(
            writer=WriterName.LLM,
            language=templated.language,
            sections=sections,
            markdown=self._template.assemble(report, sections),
            model=self._model,
            draft=answer,
        )

    def ask(self, report: Mapping[str, Any], budget: Budget) -> tuple[str, str | None]:
        """The model's raw answer for ``report`` and why it ended (``"stop"``, ``"length"``);
        raise :class:`Refusal` when there is none.

        One chat completion, bounded by the configured timeout and the job's remaining time,
        never started for a cancelled job and dropped if the job was cancelled meanwhile.
        """
        if budget.cancelled():
            raise Refusal("cancelled")
        remaining = budget.remaining()
        timeout = min(self._timeout, remaining)
        if timeout < _MIN_CALL_SECONDS:
            raise Refusal("timeout: no time left for the LLM call")
        messages = self._prompts.messages(report)
        # Retries only when the deadline leaves room for one more attempt after a slow one.
        client = (
            self._client if remaining >= 2 * timeout else self._client.with_options(max_retries=0)
        )
        try:
            completion = client.chat.completions.create(
                model=self._model,
                messages=messages,
                temperature=self._temperature,
                max_tokens=self._max_tokens,
                response_format=RESPONSE_FORMAT,
                timeout=timeout,
            )
        except openai.APITimeoutError as error:
            raise Refusal("timeout") from error
        except openai.APIStatusError as error:
            raise Refusal(f"error: {type(error).__name__} ({error.status_code})") from error
        except openai.APIError as error:
            raise Refusal(f"error: {type(error).__name__}") from error
        if budget.cancelled():
            raise Refusal("cancelled")
        if not completion.choices:
            raise Refusal("format: the answer has no choices")
        choice = completion.choices[0]
        return choice.message.content or "", choice.finish_reason

    def _check(self, report: Mapping[str, Any], prose: Mapping[str, str]) -> None:
        language = report_language(report)
        text = " ".join(prose.values())
        if language == "ko" and hangul_share(text) < _MIN_HANGUL_SHARE_KO:
            raise Refusal("language: the answer is not in Korean")
        if language == "en" and hangul_share(text) > _MAX_HANGUL_SHARE_EN:
            raise Refusal("language: the answer is not in English")
        unmatched = ResultFigures.from_report(report).unmatched(text)
        if unmatched:
            shown = ", ".join(unmatched[:3])
            raise Refusal(f"number_mismatch: {shown} not in result")


def parse_sections(text: str) -> dict[str, str]:
    """The prose sections from the model's JSON answer (``{"summary": ..., "discussion": ...}``)."""
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
