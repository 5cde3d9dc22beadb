"""A job result that is already JSON text: encoded where the job ran, written to the store as is.

A report result is a tree of about 7,000 values (190 kB of JSON). Sent up a worker's pipe as a
dict, the API process unpickled it (0.5 ms) and the store encoded it again (2 ms), each under
the GIL the event loop needs, and made 7,000 objects for the collector to track. A worker sends
an :class:`EncodedJSON` instead: one string that pickles as itself, which the SQL store writes
without encoding it (``riskreport.storage.sql``). Read as a mapping, it decodes itself once.

Use::

    result = EncodedJSON.encode({"a": [1, 2]})   # raises on what JSON cannot hold (NaN, sets)
    result.text                                  # '{"a":[1,2]}'
    result["a"]                                  # [1, 2] (decoded on first use)
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping
from typing import Any


def encode_json(value: Any) -> str:
    """JSON as the stores write it: compact, UTF-8 as is (a report's Korean text escaped as
    ``\\uXXXX`` and ``", "`` separators made it a tenth larger than what the API sends), and
    no NaN or infinity, which are not JSON (``ValueError``)."""
    return json.dumps(value, allow_nan=False, separators=(",", ":"), ensure_ascii=False)


def json_copy(value: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy holding only what a JSON column gives back, refusing what JSON cannot hold
    (``ValueError`` for NaN or infinity, ``TypeError`` for a set, say).

    The common case (string keys; dicts, lists, strings, numbers, booleans, None) is copied
    directly: for a report's result about half the CPU of a ``json`` round trip, and no text
    made. Anything else (tuples, other keys, subclasses) takes the round trip, so the copy
    is always what a round trip gives.
    """
    try:
        copied = _plain_copy(value)
    except _NotPlain:
        copied = json.loads(json.dumps(value, allow_nan=False))
    if not isinstance(copied, dict):
        raise TypeError(f"not a JSON object: {type(copied).__name__}")
    return copied


class _NotPlain(Exception):
    """A value the direct copy leaves to the ``json`` round trip."""


def _plain_copy(value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is float:
        if not math.isfinite(value):
            raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
        return value
    if kind is dict:
        copied = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            copied[key] = _plain_copy(item)
        return copied
    if kind is list:
        return [_plain_copy(item) for item in value]
    raise _NotPlain


class EncodedJSON(Mapping[str, Any]):
    """A JSON object held as its text (what ``json.dumps`` makes, as the stores write it)."""

    __slots__ = ("_decoded", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._decoded: dict[str, Any] | None = None

    @classmethod
    def encode(cls, value: Mapping[str, Any]) -> EncodedJSON:
        """``value`` as JSON text; ``ValueError``/``TypeError`` if JSON cannot hold it."""
        return cls(encode_json(value))

    def decoded(self) -> dict[str, Any]:
        if self._decoded is None:
            value = json.loads(self.text)
            if not isinstance(value, dict):
                raise TypeError(f"not a JSON object: {type(value).__name__}")
            self._decoded = value
        return self._decoded

    def __getitem__(self, key: str) -> Any:
        return self.decoded()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.decoded())

    def __len__(self) -> int:
        return len(self.decoded())

    def __reduce__(self) -> tuple[type[EncodedJSON], tuple[str]]:
        # Across a pipe: the text alone, never the decoded tree.
        return (EncodedJSON, (self.text,))

    def __repr__(self) -> str:
        return f"EncodedJSON({len(self.text)} characters)"
