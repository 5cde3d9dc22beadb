"""Running one report to its end, here (the engine in this process) or on a server.

Both ways give the same :class:`Finished` and report progress through the same callback, so
``analyze``, ``watch`` and ``batch`` do not care where a report ran. Use::

    async with local_reports(settings) as reports:        # or RemoteReports(client)
        finished = await reports.run(body, formats={"md"}, on_snapshot=bar.show)
        finished.result, finished.documents["md"]

Interrupting ``run`` (Ctrl-C, a cancelled task group) cancels the job it started: locally through
the engine, remotely with ``DELETE``; the cancel is shielded so it is sent even while unwinding.
"""

from __future__ import annotations

import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Collection, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

import anyio

from riskreport.bootstrap import REPORT_KIND, Services, open_services
from riskreport.engine.errors import IllegalTransition, JobNotFound
from riskreport.engine.jobs import Job
from riskreport.interfaces.commands.client import ApiError, ClientError, ReportClient
from riskreport.interfaces.commands.progress import snapshot_of
from riskreport.settings import DocumentName, Settings

log = logging.getLogger("riskreport.cli")

OnSnapshot = Callable[[Mapping[str, Any]], None]


@dataclass(frozen=True, slots=True)
class Finished:
    """A job at its end: ``documents`` holds the requested formats when it succeeded."""

    job_id: str
    status: str
    result: Mapping[str, Any] | None = None
    error: str | None = None
    documents: Mapping[str, bytes] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return self.status == "succeeded"


class Reports(Protocol):
    async def run(
        self, body: Mapping[str, Any], *, formats: Collection[str], on_snapshot: OnSnapshot
    ) -> Finished:
        """Run one report to a final state; raise ``StillBusy`` if it is never admitted."""


class StillBusy(Exception):
    """The service kept refusing the job (queue full) for longer than we were willing to wait."""


def _error_text(error: Mapping[str, Any] | None) -> str | None:
    if not error:
        return None
    return str(error.get("message") or error.get("code") or "")


class LocalReports:
    """Reports run by the engine of this process (inline or local backend)."""

    def __init__(self, services: Services) -> None:
        self._engine = services.engine
        # The inline backend's submit returns only when the job is over, so progress is followed
        # from a second task that starts when the engine announces the admitted job.
        self._admitted: dict[str, anyio.Event] = {}
        self._engine.add_listener(self._on_job)

    def _on_job(self, job: Job) -> None:
        event = self._admitted.pop(job.id, None)
        if event is not None:
            event.set()

    async def run(
        self, body: Mapping[str, Any], *, formats: Collection[str], on_snapshot: OnSnapshot
    ) -> Finished:
        job_id = uuid.uuid4().hex
        admitted = self._admitted[job_id] = anyio.Event()
        failure: list[BaseException] = []

        async def submit() -> None:
            try:
                await self._engine.submit(REPORT_KIND, body, job_id=job_id)
            except Exception as exc:
                failure.append(exc)
            finally:
                admitted.set()

        try:
            async with anyio.create_task_group() as group:
                group.start_soon(submit)
                await admitted.wait()
                if not failure:
                    async for job in self._engine.events(job_id):
                        on_snapshot(snapshot_of(job))
        except BaseException:
            with anyio.CancelScope(shield=True):
                await self._cancel(job_id)
            raise
        finally:
            self._admitted.pop(job_id, None)
        if failure:
            raise failure[0]
        job = await self._engine.get(job_id)
        documents: dict[str, bytes] = {}
        if job.status.value == "succeeded":
            for fmt in formats:
                if fmt != "json":
                    documents[fmt] = (await self._engine.artifact(job_id, fmt)).data
        return Finished(
            job_id=job_id,
            status=job.status.value,
            result=job.result,
            error=job.error.message if job.error else None,
            documents=documents,
        )

    async def _cancel(self, job_id: str) -> None:
        # Already over, or never admitted: nothing to stop.
        with contextlib.suppress(IllegalTransition, JobNotFound):
            await self._engine.cancel(job_id)


@asynccontextmanager
async def local_reports(
    settings: Settings, *, formats: Iterable[str] | None = None
) -> AsyncIterator[LocalReports]:
    """The engine of ``settings`` (started and warmed up) wrapped for one-shot runs.

    ``formats``: the only documents the caller will write ("json" needs none); the others are
    not rendered at all (a PDF costs about a second a report).
    """
    if formats is not None:
        wanted = tuple(DocumentName(fmt) for fmt in formats if fmt != "json")
        settings = settings.model_copy(update={"documents": wanted})
    async with open_services(settings) as services:
        if services.startup.task is not None:
            await services.startup.task
        if services.startup.error is not None:
            raise services.startup.error
        yield LocalReports(services)


class RemoteReports:
    """Reports run by a server; a full queue (429/503) is waited out for up to ``patience`` s."""

    def __init__(self, client: ReportClient, *, patience: float = 600.0) -> None:
        self._client = client
        self._patience = patience

    async def submit(
        self, body: Mapping[str, Any], *, on_busy: Callable[[float], None] | None = None
    ) -> dict[str, Any]:
        """POST the report; while the server says "busy" (429/503), wait as it asks.

        ``on_busy(seconds)`` is told of each wait. Raises ``StillBusy`` past our patience.
        """
        # Admission control is the server's: it says how long to wait (Retry-After) and we do,
        # within our patience. Not a retry loop over failures: only "not now" is waited out.
        deadline = anyio.current_time() + self._patience
        while True:
            try:
                return await self._client.submit(body)
            except ApiError as exc:
                if not exc.busy:
                    raise
                pause = exc.retry_after or 1.0
                if anyio.current_time() + pause > deadline:
                    raise StillBusy(exc.message) from exc
                if on_busy is not None:
                    on_busy(pause)
                await anyio.sleep(pause)

    async def run(
        self, body: Mapping[str, Any], *, formats: Collection[str], on_snapshot: OnSnapshot
    ) -> Finished:
        job = await self.submit(
            body, on_busy=lambda pause: on_snapshot({"status": "busy", "retry_after": pause})
        )
        job_id = str(job["id"])
        on_snapshot(job)
        return await self.follow(job_id, formats=formats, on_snapshot=on_snapshot, owned=True)

    async def follow(
        self,
        job_id: str,
        *,
        formats: Collection[str],
        on_snapshot: OnSnapshot,
        owned: bool = False,
    ) -> Finished:
        """Follow a job to its end; cancel it on interruption only if we submitted it."""
        final: Mapping[str, Any] | None = None
        try:
            async for snapshot in self._client.follow(job_id):
                on_snapshot(snapshot)
                final = snapshot
        except BaseException:
            if owned:
                with anyio.move_on_after(5, shield=True):
                    await self._cancel(job_id)
            raise
        assert final is not None  # follow() always ends with the final snapshot
        documents: dict[str, bytes] = {}
        if final["status"] == "succeeded":
            for fmt in formats:
                if fmt != "json":
                    documents[fmt] = await self._client.document(job_id, fmt)
        return Finished(
            job_id=job_id,
            status=str(final["status"]),
            result=final.get("result"),
            error=_error_text(final.get("error")),
            documents=documents,
        )

    async def _cancel(self, job_id: str) -> None:
        try:
            await self._client.cancel(job_id)
        except ApiError as exc:
            if exc.status not in (404, 409):  # 404/409: gone or already over, nothing to stop
                log.warning("could not cancel job %s: %s", job_id, exc)
        except ClientError as exc:
            # Unwinding already: the reason we are unwinding matters more than this one.
            log.warning("could not cancel job %s: %s", job_id, exc)
