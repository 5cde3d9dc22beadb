"""Opaque page cursors shared by every store: the position after the last job of a page.

Pages are ordered newest first by ``(created_at, id)``; a cursor encodes that pair. Use::

    cursor = encode_cursor(last.created_at, last.id)
    created_at, job_id = decode_cursor(cursor)     # InvalidCursor on garbage
"""

from __future__ import annotations

import base64
import binascii
from datetime import datetime

from riskreport.engine.errors import InvalidCursor


def encode_cursor(created_at: datetime, job_id: str) -> str:
    raw = f"{created_at.isoformat()}|{job_id}".encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, sep, job_id = raw.partition("|")
        created_at = datetime.fromisoformat(stamp)
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise InvalidCursor(cursor) from exc
    if not sep or not job_id or created_at.tzinfo is None:
        raise InvalidCursor(cursor)
    return created_at, job_id
