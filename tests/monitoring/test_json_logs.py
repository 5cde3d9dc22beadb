"""JSON log lines (RISKREPORT_LOG_FORMAT=json) through serve's logging configuration."""

from __future__ import annotations

import io
import json
import logging
import logging.config
from collections.abc import Iterator

import pytest

from riskreport.engine import context
from riskreport.interfaces.cli import log_config
from riskreport.settings import LogFormat


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """serve's JSON configuration, with its handlers writing to a string."""
    config = log_config("info", LogFormat.JSON)
    stream = io.StringIO()
    for handler in config["handlers"].values():
        handler["stream"] = stream
    previous = logging.getLogger("riskreport").handlers[:]
    logging.config.dictConfig(config)
    yield stream
    logger = logging.getLogger("riskreport")
    logger.handlers[:] = previous
    logger.propagate = True


def lines(stream: io.StringIO) -> list[dict[str, object]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_every_line_is_one_json_object_with_the_ids(captured: io.StringIO) -> None:
    log = logging.getLogger("riskreport.api")
    token = context.request_id.set("req-7")
    try:
        log.warning("slow answer for %s", "서울", extra={"lag_seconds": 0.2})
        try:
            raise ValueError("inner detail")
        except ValueError:
            log.exception("failed")
    finally:
        context.request_id.reset(token)
    log.info("outside any request")
    first, second, third = lines(captured)
    assert first["message"] == "slow answer for 서울"
    assert (first["level"], first["logger"]) == ("WARNING", "riskreport.api")
    assert (first["request_id"], first["job_id"], first["lag_seconds"]) == ("req-7", "-", 0.2)
    assert str(first["time"]).endswith("+00:00")
    assert "ValueError: inner detail" in str(second["exception"])
    assert third["request_id"] == "-"


def test_text_lines_show_a_dash_for_no_request() -> None:
    config = log_config("info")
    assert "[request=%(request_id)s job=%(job_id)s]" in config["formatters"]["riskreport"]["fmt"]
    assert "%(request_id)s" in config["formatters"]["access"]["fmt"]
    assert all(h["filters"] == ["context"] for h in config["handlers"].values())
