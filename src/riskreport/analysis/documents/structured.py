"""The JSON document: the structured report itself, UTF-8, Korean left readable.

data = to_json(report)  # b'{\\n  "schema_version": "1", ...'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any


def to_json(report: Mapping[str, Any]) -> bytes:
    return json.dumps(report, ensure_ascii=False, indent=2).encode("utf-8")
