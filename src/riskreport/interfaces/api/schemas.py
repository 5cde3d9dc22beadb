"""Public schemas of the HTTP API, named by role.

``ReportCreate`` is the body of ``POST /v1/reports`` (the analysis layer's ``ReportRequest``);
``JobPublic`` is one job as clients see it, ``JobSummaryPublic`` the same without the (large)
result, as listed by ``JobsPublic``; ``ErrorPublic`` is the one error shape of every non-2xx
answer.
"""

from __future__ import annotations

from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from riskreport.analysis.request import ReportRequest
from riskreport.engine.jobs import Job, JobStatus

ReportCreate = ReportRequest

API_PREFIX = "/v1/reports"


class ProgressPublic(BaseModel):
    fraction: float = Field(ge=0, le=1, description="Share of the work done, 0 to 1.")
    stage: str = Field(description="Machine-readable name of the current stage.")


class JobErrorPublic(BaseModel):
    code: str = Field(description="Stable reason code, e.g. `interrupted`, `timeout`.")
    message: str


class JobLinks(BaseModel):
    # "self" is the link relation's name; the attribute is self_ because of Python.
    model_config = ConfigDict(validate_by_name=True, serialize_by_alias=True)

    self_: str = Field(alias="self", description="This job.")
    events: str = Field(description="Server-Sent Events of status and progress.")
    document: str = Field(description="The report document (`?format=html|pdf|md|json`).")


class JobSummaryPublic(BaseModel):
    """A job without its result: what lists show."""

    id: str
    kind: str = Field(description="What the job does; `report` for reports.")
    status: JobStatus
    created_at: AwareDatetime
    started_at: AwareDatetime | None = None
    finished_at: AwareDatetime | None = None
    progress: ProgressPublic
    error: JobErrorPublic | None = Field(
        None, description="Why the job did not succeed (final states other than `succeeded`)."
    )
    attempts: int = Field(
        0,
        ge=0,
        description="Times the job has started running; more than 1 when a restart ran it "
        "again after the service stopped mid-job.",
    )
    links: JobLinks

    @classmethod
    def links_for(cls, job_id: str) -> JobLinks:
        base = f"{API_PREFIX}/{job_id}"
        return JobLinks(self_=base, events=f"{base}/events", document=f"{base}/document")

    @classmethod
    def fields_of(cls, job: Job) -> dict[str, Any]:
        return {
            "id": job.id,
            "kind": job.kind,
            "status": job.status,
            "created_at": job.created_at,
            "started_at": job.started_at,
            "finished_at": job.finished_at,
            "progress": ProgressPublic(fraction=job.progress.fraction, stage=job.progress.stage),
            "error": (
                JobErrorPublic(code=job.error.code, message=job.error.message)
                if job.error is not None
                else None
            ),
            "attempts": job.attempts,
            "links": cls.links_for(job.id),
        }

    @classmethod
    def from_job(cls, job: Job) -> JobSummaryPublic:
        return cls(**cls.fields_of(job))


class JobPublic(JobSummaryPublic):
    """One job; ``result`` holds the report once the job has succeeded."""

    result: dict[str, Any] | None = Field(
        None,
        description="The report once `status` is `succeeded`: the lean report JSON "
        '(`schema_version` "2"; docs/report-schema.md), each figure `[value, kind]` with its '
        "unit, provenance and source under `quantity_kinds`. A result stored by an older "
        'version is served as stored (`schema_version` "1": each figure an object).',
    )

    @classmethod
    def from_job(cls, job: Job) -> JobPublic:
        result = dict(job.result) if job.result is not None else None
        return cls(**cls.fields_of(job), result=result)


class PageLinks(BaseModel):
    # "self" is the link relation's name; the attribute is self_ because of Python.
    model_config = ConfigDict(validate_by_name=True, serialize_by_alias=True)

    self_: str = Field(alias="self")
    next: str | None = Field(None, description="The next page, or null on the last page.")


class JobsPublic(BaseModel):
    """A page of jobs, newest first."""

    items: list[JobSummaryPublic]
    next_cursor: str | None = Field(None, description="Pass as `cursor` to get the next page.")
    links: PageLinks


class ErrorDetail(BaseModel):
    """One problem with the request, e.g. one invalid field."""

    field: str | None = Field(
        None, description="Dotted path of the field at fault, e.g. `target_location.lat`."
    )
    location: str | None = Field(
        None, description="Where the field is: `body`, `query`, `path` or `header`."
    )
    message: str
    type: str | None = Field(None, description="Machine-readable kind of problem.")


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable error code, e.g. `queue_full`.")
    message: str = Field(description="What went wrong, for people.")
    details: list[ErrorDetail] = Field(default_factory=list)
    request_id: str | None = Field(None, description="The `X-Request-ID` of the request.")


class ErrorPublic(BaseModel):
    """The one shape of every error answer."""

    error: ErrorBody
