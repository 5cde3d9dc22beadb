"""A result kept as JSON text: equal to its mapping, strict as the stores, one string on a pipe."""

from __future__ import annotations

import json
import math
import pickle
from typing import Any

import pytest

from riskreport.engine.encoded import EncodedJSON, json_copy
from riskreport.engine.jobs import JobStatus
from riskreport.engine.outcome import Outcome

TREE: dict[str, Any] = {"zeta": [1, 2.5, None], "alpha": {"ko": "서울", "ok": True}}


def test_it_reads_as_the_mapping_it_encodes_in_its_key_order() -> None:
    encoded = EncodedJSON.encode(TREE)
    assert encoded.text == '{"zeta":[1,2.5,null],"alpha":{"ko":"서울","ok":true}}'
    assert json.loads(encoded.text) == TREE
    assert encoded == TREE
    assert list(encoded) == ["zeta", "alpha"]
    assert encoded["alpha"]["ko"] == "서울"
    assert len(encoded) == 2
    assert dict(encoded) == TREE


def test_what_json_cannot_hold_is_refused_when_encoding() -> None:
    with pytest.raises(ValueError, match="JSON"):
        EncodedJSON.encode({"x": math.nan})
    with pytest.raises(TypeError):
        EncodedJSON.encode({"x": {1, 2}})


def test_text_that_is_not_an_object_is_refused_when_read() -> None:
    with pytest.raises(TypeError, match="not a JSON object"):
        dict(EncodedJSON("[1, 2]"))


def test_it_pickles_as_its_text_alone_even_once_decoded() -> None:
    encoded = EncodedJSON.encode(TREE)
    assert encoded["zeta"]  # decoded now
    data = pickle.dumps(encoded, protocol=pickle.HIGHEST_PROTOCOL)
    assert len(data) < len(encoded.text.encode()) + 100
    back = pickle.loads(data)
    assert isinstance(back, EncodedJSON)
    assert back.text == encoded.text
    assert back == TREE


def test_an_encoded_outcome_holds_what_the_json_round_trip_would() -> None:
    returned = {"pair": (1, 2), "n": 3}  # a tuple becomes a list, as in any stored result
    plain = Outcome.of(returned)
    encoded = Outcome.of(returned, encoded=True)
    assert isinstance(encoded.result, EncodedJSON)
    assert encoded.status is plain.status is JobStatus.SUCCEEDED
    assert encoded.result == plain.result == {"pair": [1, 2], "n": 3}
    with pytest.raises(ValueError, match="JSON"):
        Outcome.of({"x": math.inf}, encoded=True)


class Word(str):
    """A str subclass (as a StrEnum member is): JSON gives back a plain str."""


@pytest.mark.parametrize(
    "value",
    [
        TREE,
        {"pair": (1, 2), "n": 3},
        {"keys": {1: "a", 2.5: "b", False: "c", None: "d"}},
        {"word": Word("x"), "nested": [{"deep": [0.1, -0.0, 1e300, 2**70]}]},
        {"sub": {Word("k"): 1}},
    ],
)
def test_a_copy_is_what_the_json_round_trip_gives(value: dict[str, Any]) -> None:
    # The direct copy of plain trees must not differ from the round trip it replaced.
    copied = json_copy(value)
    expected = json.loads(json.dumps(value, allow_nan=False))
    assert json.dumps(copied) == json.dumps(expected)
    assert copied == expected
    assert all(type(k) is str for k in copied)
    assert copied is not value


def test_a_copy_shares_nothing_mutable_with_its_source() -> None:
    source: dict[str, Any] = {"a": {"b": [1, {"c": 2}]}}
    copied = json_copy(source)
    copied["a"]["b"][1]["c"] = 3
    assert source == {"a": {"b": [1, {"c": 2}]}}


def test_what_json_cannot_hold_is_refused_when_copying() -> None:
    for bad in ({"x": math.nan}, {"x": [math.inf]}):
        with pytest.raises(ValueError, match="JSON"):
            json_copy(bad)
    with pytest.raises(TypeError):
        json_copy({"x": {1, 2}})
