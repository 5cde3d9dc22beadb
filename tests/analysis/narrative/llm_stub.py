"""An OpenAI client whose transport is a function: the LLM provider, mocked at the HTTP edge."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx

from riskreport.analysis.narrative.chat import ChatClient
from riskreport.analysis.narrative.llm import build_client

Handler = Callable[[httpx.Request], httpx.Response]


def completion(
    content: str, model: str = "stub-model", status: int = 200, finish_reason: str = "stop"
) -> httpx.Response:
    """A chat completion answer as an OpenAI-compatible server sends it."""
    return httpx.Response(status, json=completion_body(content, model, finish_reason))


def completion_body(
    content: str, model: str = "stub-model", finish_reason: str = "stop"
) -> dict[str, Any]:
    """The JSON body of a chat completion answer."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [
            {
                "index": 0,
                "finish_reason": finish_reason,
                "message": {"role": "assistant", "content": content},
            }
        ],
    }


def prose(summary: str, discussion: str) -> str:
    """The JSON answer the prompts ask for."""
    return json.dumps({"summary": summary, "discussion": discussion}, ensure_ascii=False)


def client(handler: Handler, max_retries: int = 0) -> ChatClient:
    return build_client(
        "http://llm.test/v1", None, max_retries=max_retries, transport=httpx.MockTransport(handler)
    )


def sent_messages(request: httpx.Request) -> list[dict[str, str]]:
    messages: list[dict[str, str]] = json.loads(request.content)["messages"]
    return messages
