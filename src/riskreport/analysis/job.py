"""The report job behind the API: inputs -> hazards -> narrative -> documents.

The engine runs :func:`run_report` off the event loop (``"riskreport.analysis.job:run_report"``)
after :func:`prepare` warmed the worker up once::

    prepare(AnalysisConfig())                       # once per worker, at start-up
    output = run_report(payload, ctx)               # per job: the result, no documents
    output.result["narrative"]["writer"]            # "template" or "llm"
    output.result["quantity_kinds"]                 # the lean report JSON (schema 2)
    render_document({"result": output.result, "name": "pdf"}, ctx).artifacts["pdf"]
    # ("application/pdf", b"%PDF-..."), on a document's first request

With ``AnalysisConfig(eager_documents=True)`` the report job renders its documents itself.

The job reports its stages through ``ctx.report`` and calls ``ctx.check()`` between them, so a
cancelled or late job stops at the next stage; the LLM call is bounded by ``ctx.remaining()``.
The analysis never imports the engine: ``ctx`` is any object with the :class:`JobContext` shape.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Final, Protocol

from riskreport.analysis.config import AnalysisConfig
from riskreport.analysis.documents.formats import DocumentFormat, render_documents
from riskreport.analysis.hazard_data import hazard_data_for
from riskreport.analysis.location import warm as warm_locations
from riskreport.analysis.narrative.writer import LANGUAGES, Unlimited
from riskreport.analysis.pipeline import assess, compute
from riskreport.analysis.request import ReportRequest
from riskreport.analysis.writers import NOT_CONFIGURED, Writers, current_writers, narrate
from riskreport.analysis.writers import prepare as prepare_writers
from riskreport.domain.lean_json import compact

log = logging.getLogger(__name__)

# The job's entry points and the writers' names callers used to import from here.
__all__ = [
    "NOT_CONFIGURED",
    "STAGES",
    "JobContext",
    "ReportOutput",
    "Writers",
    "current_writers",
    "narrate",
    "prepare",
    "run_report",
]

# The building a worker reports on once at warm-up, in each language. A first report loads what
# no explicit warm-up names: the address index and gazetteer, the site tables, the hazard data,
# the validators (about 0.3 s of CPU on the 2-core development machine, against 10 ms warm), and
# with four jobs starting together under the GIL the first wave after /readyz paid it four times.
WARM_REQUEST: Final[Mapping[str, Any]] = {
    "target_location": {"address": "서울특별시 중구 세종대로 110"},
    "building_info": {"structure": "reinforced_concrete", "use": "office", "year_built": 1998},
    "asset_info": {"replacement_value_krw": 30e9},
}
WARM_SITE: Final[Mapping[str, float]] = {"lat": 37.5665, "lon": 126.978}  # the same building

# Where each stage starts, as a fraction of the whole job.
STAGES: Final = {"inputs": 0.0, "hazards": 0.05, "narrative": 0.6, "documents": 0.8}


class JobContext(Protocol):
    """What the job needs from the engine's context (see ``riskreport.engine.context``)."""

    @property
    def job_id(self) -> str: ...

    def report(self, fraction: float, stage: str) -> None: ...

    def cancelled(self) -> bool: ...

    def remaining(self) -> float: ...

    def check(self) -> None: ...

    def computing(self) -> AbstractContextManager[None]: ...


@dataclass(frozen=True, slots=True)
class ReportOutput:
    """The job's output: the report (with its narrative) and its documents by name."""

    result: Mapping[str, Any]
    artifacts: Mapping[str, tuple[str, bytes]]


def prepare(config: AnalysisConfig | None = None) -> None:
    """The report worker's warm-up: build and warm the writers (:func:`riskreport.analysis
    .writers.prepare`), then report on :data:`WARM_REQUEST` in each language, the narrative
    written by the template and, with an LLM configured, by the LLM writer without its call
    (:meth:`LlmWriter.rehearse`: prompt, checks and assembly): a job without its call."""
    prepare_writers(config)
    writers = current_writers()
    hazard_data = hazard_data_for(writers.config.hazard_maps)
    for language in LANGUAGES:
        request = ReportRequest.model_validate({**WARM_REQUEST, "language": language})
        report = compute(request, hazard_data=hazard_data)
        if writers.llm is None:
            writers.template.write(report, Unlimited())
        else:  # the template writes too, as in a job
            rehearsed = writers.llm.rehearse(report)
            if rehearsed.fallback_reason:
                # Still warm, but the checks stopped early and left some of it for a report.
                log.warning("the LLM writer's rehearsal fell back: %s", rehearsed.fallback_reason)


def prepare_requests() -> None:
    """The API process's warm-up: validating a request places its site (the polygons for a
    lat/lon, the address index for an address), which would otherwise load on the event loop
    of the first request (~0.25 s). Runs in a thread while the runners warm up."""
    warm_locations(ri=False, edges=True)
    ReportRequest.model_validate(WARM_REQUEST)
    ReportRequest.model_validate({**WARM_REQUEST, "target_location": WARM_SITE})


def run_report(payload: Mapping[str, Any], ctx: JobContext) -> ReportOutput:
    """The ``report`` job: validate, compute, narrate, render; see the module docstring."""
    writers = current_writers()
    ctx.report(STAGES["inputs"], "inputs")
    # Inputs and hazards are computing only (ctx.computing: one job at a time where jobs share
    # the server's interpreter); the narrative holds it only between its waits for a model.
    with ctx.computing():
        request = ReportRequest.model_validate(dict(payload))
        ctx.check()

        ctx.report(STAGES["hazards"], "hazards")
        span = STAGES["narrative"] - STAGES["hazards"]

        def on_progress(fraction: float, stage: str) -> None:
            # Between hazards: report, and stop early if the job was cancelled or is late. Every
            # runner passes a job's reports on at most once per stage every 0.1 s
            # (engine/runners/throttle.py), so a warm report's dozen steps in about 10 ms cost
            # no hop and no store write each.
            ctx.report(STAGES["hazards"] + span * min(max(fraction, 0.0), 1.0), "hazards")
            ctx.check()

        hazard_data = hazard_data_for(writers.config.hazard_maps)
        tree = assess(request, progress=on_progress, hazard_data=hazard_data)
        # The writers read the verbose form; the result is the lean one
        # (docs/report-schema.md), made from it while the LLM writes (a few milliseconds no
        # longer before or after the call).
        verbose = tree.as_verbose_dict()
    ctx.check()

    ctx.report(STAGES["narrative"], "narrative")
    requested = verbose.get("parameters", {}).get("narrative")
    narrative, report = writers.write_while(verbose, requested, ctx, lambda: compact(verbose))
    ctx.check()
    result = {**report, "narrative": narrative.to_dict()}
    if not writers.config.eager_documents:
        # Done: documents are rendered on their first request (render_document).
        return ReportOutput(result=result, artifacts={})

    documents = [d for d in writers.config.documents if d != DocumentFormat.JSON]
    step = (1.0 - STAGES["documents"]) / max(len(documents), 1)
    done: list[DocumentFormat] = []

    def before_each(fmt: DocumentFormat) -> None:
        ctx.check()
        ctx.report(STAGES["documents"] + step * len(done), "documents")
        done.append(fmt)

    ctx.report(STAGES["documents"], "documents")
    # The narrative in full (every section, the Markdown) is at hand: no need to rebuild it.
    full = {**verbose, "narrative": narrative.to_full_dict()}
    artifacts = render_documents(full, documents, before_each=before_each)
    ctx.check()
    return ReportOutput(result=result, artifacts=artifacts)


# Documents that share the charts: asking for one renders the others offered with it, so the
# charts are drawn once per report, not once per document (they cost more than either layout).
_CHARTED: Final = (DocumentFormat.HTML, DocumentFormat.PDF)


def render_document(payload: Mapping[str, Any], ctx: JobContext) -> ReportOutput:
    """The ``report.document`` call: a document of a finished report, rendered on request.

    ``payload`` is ``{"result": <the report's result>, "name": "pdf"}``; the engine runs it in
    a runner when a document is first asked for and stores every document it returns. The HTML
    page and the PDF come together when both are offered (one drawing of the charts)::

        render_document({"result": result, "name": "pdf"}, ctx).artifacts  # {"html", "pdf"}
    """
    name = DocumentFormat(str(payload["name"]))
    offered = current_writers().config.documents
    names = [name]
    if name in _CHARTED:
        names += [f for f in _CHARTED if f != name and f in offered]
    ctx.report(0.0, "documents")
    artifacts = render_documents(payload["result"], names, before_each=lambda _: ctx.check())
    sizes = {fmt: len(data) for fmt, (_, data) in artifacts.items()}
    return ReportOutput(result={"name": name.value, "bytes": sizes}, artifacts=artifacts)
