"""One JSON object per log line, for log collectors (``RISKREPORT_LOG_FORMAT=json``).

Use (``riskreport serve`` does, through its logging configuration)::

    handler.setFormatter(JsonFormatter())
    handler.addFilter(LogContextFilter())     # adds request_id and job_id

A line reads ``{"time": "2026-11-30T21:56:06.123Z", "level": "ERROR", "logger":
"riskreport.api", "message": "...", "request_id": "...", "job_id": "-", "exception": "..."}``;
``exception`` only when there is one, and any ``extra`` values that are plain JSON (e.g. the
loop-lag monitor's ``lag_seconds``) are kept.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

# Attributes every LogRecord has; anything else was passed as ``extra``.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {
    "message",
    "asctime",
    "color_message",  # uvicorn's coloured copy of the message
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name not in _STANDARD and isinstance(value, str | int | float | bool | None):
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        return json.dumps(line, ensure_ascii=False)
