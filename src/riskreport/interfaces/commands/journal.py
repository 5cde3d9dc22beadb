"""The batch's resume journal: one JSON line per finished row, appended as rows finish.

A row counts as done when its latest line says ``succeeded``, carries the same request
fingerprint as the row has now (an edited row is redone) and its report file still exists. A
line is written only after the report file is in place, and each line is flushed and fsynced, so
an interruption at any moment leaves at worst a torn last line, which is ignored. Use::

    journal = Journal.open(out_dir)
    if not journal.is_done(row.row, row.key):
        ...run it...
        journal.record(Entry(row=row.row, key=row.key, status="succeeded", ...))
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

log = logging.getLogger("riskreport.batch")

JOURNAL_NAME = ".journal.jsonl"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class Entry:
    """How one row ended. ``files`` are paths relative to the output folder."""

    row: int
    key: str
    status: str
    name: str = ""
    job_id: str | None = None
    files: tuple[str, ...] = ()
    error: str | None = None
    summary: Mapping[str, Any] = field(default_factory=dict)
    finished_at: str = field(default_factory=_now)

    def to_json(self) -> str:
        data = asdict(self)
        data["files"] = list(self.files)
        data["summary"] = dict(self.summary)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, line: str) -> Entry:
        data = json.loads(line)
        return cls(
            row=int(data["row"]),
            key=str(data["key"]),
            status=str(data["status"]),
            name=str(data.get("name") or ""),
            job_id=data.get("job_id"),
            files=tuple(data.get("files") or ()),
            error=data.get("error"),
            summary=dict(data.get("summary") or {}),
            finished_at=str(data.get("finished_at") or ""),
        )


class Journal:
    """Latest entry per row, backed by an append-only file in the output folder."""

    def __init__(self, folder: Path, latest: dict[int, Entry], handle: IO[str]) -> None:
        self.folder = folder
        self._latest = latest
        self._handle = handle
        # Rows finish in several worker threads at once; one line must never interleave another.
        self._lock = threading.Lock()

    @classmethod
    def open(cls, folder: Path) -> Journal:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / JOURNAL_NAME
        latest: dict[int, Entry] = {}
        if path.exists():
            with path.open(encoding="utf-8") as existing:
                for number, line in enumerate(existing, start=1):
                    if not line.strip():
                        continue
                    try:
                        entry = Entry.from_json(line)
                    except (ValueError, KeyError, TypeError) as exc:
                        # A torn last line from a hard kill: that row simply runs again.
                        log.warning("ignoring unreadable journal line %d: %s", number, exc)
                        continue
                    latest[entry.row] = entry
        handle = path.open("a", encoding="utf-8")
        if handle.tell() > 0:
            # Make sure the next entry starts on a fresh line even after a torn write.
            with path.open("rb") as raw:
                raw.seek(-1, os.SEEK_END)
                if raw.read(1) != b"\n":
                    handle.write("\n")
        return cls(folder, latest, handle)

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def path(self) -> Path:
        return self.folder / JOURNAL_NAME

    def get(self, row: int) -> Entry | None:
        return self._latest.get(row)

    def is_done(self, row: int, key: str) -> bool:
        entry = self._latest.get(row)
        return (
            entry is not None
            and entry.status == "succeeded"
            and entry.key == key
            and all((self.folder / f).exists() for f in entry.files)
        )

    def record(self, entry: Entry) -> None:
        """Append ``entry`` durably; it becomes the row's latest state. Thread-safe."""
        with self._lock:
            self._handle.write(entry.to_json() + "\n")
            self._handle.flush()
            os.fsync(self._handle.fileno())
            self._latest[entry.row] = entry

    def entries(self) -> Iterator[Entry]:
        """Latest entry of each row, by row number."""
        for row in sorted(self._latest):
            yield self._latest[row]
