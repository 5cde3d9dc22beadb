"""The JSON document: the report JSON itself, as the API gives it (compact, UTF-8, Korean left
readable).

data = to_json(report)  # b'{"schema_version":"2",...'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def to_json(report: Mapping[str, Any]) -> bytes:
    # Compact separators: the report is data for programs (about 10% smaller than ", ", ": ").
    return json.dumps(report, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
