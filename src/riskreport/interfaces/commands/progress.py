"""Progress bars for the CLI, fed with job snapshots from the engine or the SSE stream.

Use::

    with JobProgress(console) as bar:
        async for snapshot in client.follow(job_id):
            bar.show(snapshot)

A snapshot is the API's job JSON (``{"status", "progress": {"fraction", "stage"}}``);
:func:`snapshot_of` turns an engine ``Job`` into the same shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from riskreport.engine.jobs import Job
from riskreport.interfaces.web.catalog import label


def snapshot_of(job: Job) -> dict[str, Any]:
    """An engine job in the API's snapshot shape (without the result)."""
    return {
        "id": job.id,
        "status": job.status.value,
        "progress": {"fraction": job.progress.fraction, "stage": job.progress.stage},
        "error": ({"code": job.error.code, "message": job.error.message} if job.error else None),
    }


def describe(snapshot: Mapping[str, Any]) -> str:
    """``Computing hazards`` while running; the status once final or queued."""
    status = str(snapshot.get("status", ""))
    progress = snapshot.get("progress") or {}
    if status == "running":
        return label("stage", str(progress.get("stage", "")), "en")
    return label("status", status, "en")


def fraction_of(snapshot: Mapping[str, Any]) -> float:
    if snapshot.get("status") == "succeeded":
        return 1.0
    progress = snapshot.get("progress") or {}
    value = progress.get("fraction", 0.0)
    return float(value) if isinstance(value, int | float) else 0.0


def new_progress(console: Console) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TimeElapsedColumn(),
        console=console,
    )


class LiveProgress:
    """A live :func:`new_progress` display, on screen while the ``with`` block runs.

    The one job's bar and the batch's bars differ only in the tasks they add; starting and
    stopping the display is the same, so it lives here once.
    """

    def __init__(self, console: Console) -> None:
        self._progress: Progress = new_progress(console)

    def __enter__(self) -> Self:
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()


class JobProgress(LiveProgress):
    """One bar for one job."""

    def __init__(self, console: Console, title: str = "report") -> None:
        super().__init__(console)
        self._title = title
        self._task: TaskID | None = None

    def __enter__(self) -> Self:
        super().__enter__()
        self._task = self._progress.add_task(f"{self._title}: queued", total=1.0)
        return self

    def show(self, snapshot: Mapping[str, Any]) -> None:
        if self._task is None:
            return
        self._progress.update(
            self._task,
            completed=fraction_of(snapshot),
            description=f"{self._title}: {describe(snapshot)}",
        )
