from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from riskreport.engine.errors import InvalidCursor
from riskreport.storage.cursor import decode_cursor, encode_cursor

pytestmark = pytest.mark.timeout(20)

instants = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(2200, 1, 1), timezones=st.just(UTC)
)


@given(created_at=instants, job_id=st.text(min_size=1, max_size=64))
def test_cursors_round_trip(created_at: datetime, job_id: str) -> None:
    cursor = encode_cursor(created_at, job_id)
    assert cursor.isascii()
    assert decode_cursor(cursor) == (created_at, job_id)


@pytest.mark.parametrize("garbage", ["", "!!!", "bm90LWEtY3Vyc29y", "MjAyNS0wMS0wMXxh"])
def test_garbage_is_an_invalid_cursor(garbage: str) -> None:
    with pytest.raises(InvalidCursor):
        decode_cursor(garbage)
