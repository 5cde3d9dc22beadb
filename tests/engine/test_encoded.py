"""A result kept as JSON text: equal to its mapping, strict as the stores, one string on a pipe."""

from __future__ import annotations

import json
import math
import pickle
from typing import Any

import pytest

from riskreport.engine.encoded import EncodedJSON
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
