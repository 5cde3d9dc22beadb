"""Where reports go: files whose extension picks the format (``.json .html .pdf .md``).

Use::

    fmt = format_of(Path("report.pdf"))       # "pdf"; raises BadOutput for ".txt"
    await write_atomically(path, data)        # never leaves a half-written file behind
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import anyio

FORMATS: Mapping[str, str] = {
    ".json": "json",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".md": "md",
    ".markdown": "md",
}


class BadOutput(ValueError):
    """An output path whose extension names no report format."""


def format_of(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        known = ", ".join(sorted(FORMATS))
        raise BadOutput(f"{path}: unknown report format {path.suffix!r}; use one of {known}")
    return fmt


def result_json(result: Mapping[str, Any]) -> bytes:
    """The report JSON as written to files: UTF-8, Korean kept readable, indented."""
    return (json.dumps(result, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def write_file_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (blocking; see :func:`write_atomically`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write a sibling temporary file and rename it: a reader (or a resumed batch) sees either
    # the old file or the complete new one, never a torn one. os.open with 0o666 lets the
    # umask decide the permissions, as for any file the user creates.
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


async def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` off the event loop, atomically."""
    await anyio.to_thread.run_sync(write_file_atomically, path, data)
