"""LLM benchmark: report jobs whose narrative waits on a slow OpenAI-compatible server.

Run with ``python -m bench.llm_concurrency [--jobs 8] [--slots 4] [--delay 1.0] [--limit 5]``.
The table lands in ``docs/benchmarks.md`` between the ``bench:llm`` markers.

Two servers run in child processes (uvicorn), both on loopback:

- a stand-in LLM speaking the chat completions API: it answers after ``--delay`` seconds with
  prose built from the prompt's fact sheet (so its figures pass the number check), and never
  answers a prompt about a building built in 1901;
- the real riskreport service (``create_app``: SQLite store, local backend, thread runner,
  ``--slots`` slots, ``RISKREPORT_NARRATIVE=llm`` pointed at the stand-in).

Scenarios: (A) ``--jobs`` concurrent reports, narrative only (no documents); (A') the same
with HTML, Markdown and PDF documents, and (A'') that again with the process runner; (B) one
report whose LLM never answers, submitted with four ordinary ones right behind it, under a job
limit of ``--limit`` seconds. A client in a
process of its own calls ``GET /healthz`` back to back throughout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI

from bench.load import HealthProbe, percentile, replace_section
from bench.servers import ROOT, free_port, start_uvicorn, stop, wait_until_ready

DOC = ROOT / "docs" / "benchmarks.md"
BEGIN, END = "<!-- bench:llm -->", "<!-- /bench:llm -->"
HANG_YEAR = 1901  # the stand-in never answers about a building built this year
ENV = {
    "role": "BENCH_LLM_ROLE",
    "delay": "BENCH_LLM_DELAY",
    "llm_url": "BENCH_LLM_URL",
    "slots": "BENCH_LLM_SLOTS",
    "limit": "BENCH_LLM_LIMIT",
    "documents": "BENCH_LLM_DOCUMENTS",
    "database": "BENCH_LLM_DATABASE_URL",
    "runner": "BENCH_LLM_RUNNER",
    "eager": "BENCH_LLM_EAGER",
}
COMMON_FIX_THREADS = 4
REPORT_BODY: Mapping[str, Any] = {
    "target_location": {"address": "서울특별시 중구 세종대로 110"},
    "building_info": {"structure": "reinforced_concrete", "use": "office", "year_built": 1998},
    "asset_info": {"replacement_value_krw": 30e9},
    "analysis_params": {"narrative": "llm"},
    "language": "en",
}
HANG_BODY: Mapping[str, Any] = {
    **REPORT_BODY,
    "building_info": {**REPORT_BODY["building_info"], "year_built": HANG_YEAR},
}


# -- the stand-in LLM -----------------------------------------------------------------------


def prose_from_facts(facts: str) -> dict[str, str]:
    """A careful writer's answer: the fact sheet's own sentences, figures untouched."""
    lines = [line[2:].strip() for line in facts.splitlines() if line.startswith("- ")]
    return {"summary": " ".join(lines[:3]), "discussion": " ".join(lines[3:]) or lines[-1]}


def standin_llm_app(delay: float) -> FastAPI:
    app = FastAPI()

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/v1/chat/completions")
    async def complete(body: dict[str, Any]) -> dict[str, Any]:
        facts = next(m["content"] for m in body["messages"] if m["role"] == "user")
        if f"built {HANG_YEAR}" in facts:
            await asyncio.Event().wait()  # never answers
        await asyncio.sleep(delay)
        content = json.dumps(prose_from_facts(facts), ensure_ascii=False)
        return {
            "id": "chatcmpl-standin",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": content},
                }
            ],
        }

    return app


# -- the service ----------------------------------------------------------------------------


def common_fix_app(llm_url: str, limit: float) -> FastAPI:
    """The usual fix of a blocking report endpoint: the same analysis in a 4-thread executor,
    awaited with ``asyncio.wait_for``, answered in the POST itself (no store, no jobs)."""
    from riskreport.analysis.config import AnalysisConfig
    from riskreport.analysis.job import narrate, prepare
    from riskreport.analysis.pipeline import compute
    from riskreport.analysis.request import ReportRequest

    prepare(
        AnalysisConfig(
            narrative="llm",
            llm_base_url=llm_url,
            llm_model="standin",
            llm_timeout=30.0,
            documents=(),
        )
    )
    pool = ThreadPoolExecutor(max_workers=COMMON_FIX_THREADS)
    app = FastAPI()

    def report(body: dict[str, Any]) -> dict[str, Any]:
        return narrate(compute(ReportRequest.model_validate(body)))

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz() -> dict[str, str]:
        return {"status": "ready"}

    @app.post("/v1/reports")
    async def create(body: dict[str, Any]) -> dict[str, Any]:
        loop = asyncio.get_running_loop()
        try:
            result = await asyncio.wait_for(loop.run_in_executor(pool, report, body), limit)
        except TimeoutError:
            # The caller is answered; the thread runs on until the LLM call returns.
            return {"status": "timed_out", "result": None}
        return {"status": "succeeded", "result": result}

    return app


def service_app(
    llm_url: str,
    slots: int,
    limit: float,
    documents: tuple[str, ...],
    database_url: str,
    runner: str,
    eager: bool = False,
) -> FastAPI:
    from riskreport.analysis.config import AnalysisConfig
    from riskreport.bootstrap import report_renderers, report_specs
    from riskreport.engine.spec import Initializer
    from riskreport.interfaces.api.app import create_app
    from riskreport.settings import NarrativeName, RunnerName, Settings

    settings = Settings(
        _env_file=None,
        database_url=database_url,
        runner=RunnerName(runner),
        documents=",".join(documents),
        documents_eager=eager,
        concurrency=slots,
        queue_limit=1000,
        job_timeout=limit,
        narrative=NarrativeName.LLM,
        llm_base_url=llm_url,
        llm_model="standin",
        llm_timeout=30.0,
        log_level="warning",
    )
    # The production warm-up with one change: which documents each report renders.
    config = AnalysisConfig(
        narrative="llm",
        llm_base_url=llm_url,
        llm_model="standin",
        llm_timeout=settings.llm_timeout,
        documents=documents,
        eager_documents=eager,
    )
    warmup = Initializer("riskreport.analysis.job:prepare", (config,))
    # The production specs, passed along: without specs, create_app takes the production
    # warm-up too, ignoring this one.
    return create_app(
        settings,
        specs=report_specs(settings),
        initializer=warmup,
        renderers=report_renderers(settings),
    )


def app_from_env() -> FastAPI:
    """uvicorn factory of both child servers; ``BENCH_LLM_ROLE`` picks which."""
    if os.environ[ENV["role"]] == "llm":
        return standin_llm_app(float(os.environ[ENV["delay"]]))
    if os.environ[ENV["role"]] == "common-fix":
        return common_fix_app(os.environ[ENV["llm_url"]], float(os.environ[ENV["limit"]]))
    documents = tuple(d for d in os.environ[ENV["documents"]].split(",") if d)
    return service_app(
        os.environ[ENV["llm_url"]],
        int(os.environ[ENV["slots"]]),
        float(os.environ[ENV["limit"]]),
        documents,
        os.environ[ENV["database"]],
        os.environ[ENV["runner"]],
        os.environ.get(ENV["eager"]) == "1",
    )


def start(port: int, **env: str) -> subprocess.Popen[bytes]:
    variables = {ENV[k]: v for k, v in env.items()}
    return start_uvicorn("bench.llm_concurrency:app_from_env", port, variables)


# -- the load -------------------------------------------------------------------------------


@dataclass
class Report:
    """One report job as the client saw it."""

    status: str
    seconds: float
    writer: str | None = None
    fallback_reason: str | None = None


@dataclass
class Outcome:
    name: str
    jobs: int
    slots: int
    delay: float
    makespan: float
    reports: list[Report]
    health_ms: list[float] = field(default_factory=list)
    load: float = field(default_factory=lambda: os.getloadavg()[0])
    # Reports sent one at a time after the wave: each one's latency beyond the LLM's delay.
    alone_ms: list[float] = field(default_factory=list)

    def percentile(self, p: float) -> float:
        return percentile(self.health_ms, p)

    @property
    def llm_floor(self) -> float:
        """The makespan of the LLM waits alone: ceil(N / C) rounds of one delay."""
        return math.ceil(self.jobs / self.slots) * self.delay


async def one_report(client: httpx.AsyncClient, body: Mapping[str, Any]) -> Report:
    start = time.monotonic()
    reply = await client.post("/v1/reports", json=dict(body), headers={"prefer": "wait=60"})
    job = reply.json()
    while job["status"] in ("queued", "running"):
        job = (await client.get(f"/v1/reports/{job['id']}", headers={"prefer": "wait=60"})).json()
    narrative = (job.get("result") or {}).get("narrative") or {}
    return Report(
        status=job["status"],
        seconds=time.monotonic() - start,
        writer=narrative.get("writer"),
        fallback_reason=narrative.get("fallback_reason"),
    )


async def measured(
    port: int, bodies: Sequence[Mapping[str, Any]], stagger: float = 0.0
) -> tuple[float, list[Report], list[float]]:
    """Run the reports concurrently (the first ``stagger`` seconds ahead of the others) while a
    separate process probes ``/healthz``; the makespan, the reports, the health latencies."""
    probe = await HealthProbe.start("127.0.0.1", port)
    limits = httpx.Limits(max_connections=len(bodies) + 2)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{port}", timeout=120.0, limits=limits
    ) as client:
        await client.get("/healthz")
        start = time.monotonic()

        async def later(body: Mapping[str, Any], delay: float) -> Report:
            await asyncio.sleep(delay)
            return await one_report(client, body)

        reports = await asyncio.gather(
            *(later(body, stagger if i else 0.0) for i, body in enumerate(bodies))
        )
        end = time.monotonic()
    health = await probe.finish(start, end)
    return end - start, list(reports), health


async def one_at_a_time(port: int, count: int, delay: float) -> list[float]:
    """``count`` reports sent one after another to a warm, otherwise idle service: the
    milliseconds each took beyond its LLM call (what one report costs, with nothing to share
    the CPU with)."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=120.0) as client:
        beyond = []
        for _ in range(count):
            report = await one_report(client, REPORT_BODY)
            beyond.append((report.seconds - delay) * 1000)
    return beyond


async def with_service(
    llm_url: str, slots: int, limit: float, documents: tuple[str, ...], runner: str, tmp: Path
) -> tuple[subprocess.Popen[bytes], int]:
    """Start a service (``runner`` "common-fix" starts the common fix instead) and return as
    soon as its ``/readyz`` answers: every measurement starts from this cold start."""
    port = free_port()
    server = start(
        port,
        role="common-fix" if runner == "common-fix" else "service",
        llm_url=llm_url,
        slots=str(slots),
        limit=str(limit),
        documents=",".join(documents),
        database=f"sqlite:///{tmp / f'llm-{port}.db'}",
        runner=runner,
        eager="0",
    )
    try:
        await wait_until_ready(f"http://127.0.0.1:{port}", "/readyz")
    except BaseException:
        stop(server)
        raise
    return server, port


async def run(args: argparse.Namespace) -> list[Outcome]:
    outcomes: list[Outcome] = []
    llm_port = free_port()
    llm = start(llm_port, role="llm", delay=str(args.delay))
    try:
        await wait_until_ready(f"http://127.0.0.1:{llm_port}", "/healthz")
        llm_url = f"http://127.0.0.1:{llm_port}/v1"
        with tempfile.TemporaryDirectory(prefix="riskreport-bench-llm-") as tmp:
            # Documents offered as by default, rendered on request (none is asked for here).
            documents = ("html", "md", "pdf")
            for name, limit, runner in (
                ("A", args.limit, "thread"),
                ("A''", args.limit, "process"),
                ("C", args.limit, "common-fix"),
            ):
                print(f"{name}: {args.jobs} reports, {runner} ...")
                server, port = await with_service(
                    llm_url, args.slots, limit, documents, runner, Path(tmp)
                )
                try:
                    makespan, reports, health = await measured(port, [REPORT_BODY] * args.jobs)
                    wave = Outcome(
                        name, args.jobs, args.slots, args.delay, makespan, reports, health
                    )
                    wave.alone_ms = await one_at_a_time(port, args.alone, args.delay)
                    outcomes.append(wave)
                    if name in ("A", "C"):
                        hung = "B" if name == "A" else "D"
                        print(f"{hung}: a report whose LLM never answers, then four more ...")
                        bodies = [HANG_BODY] + [REPORT_BODY] * 4
                        makespan, reports, health = await measured(port, bodies, stagger=0.2)
                        outcomes.append(
                            Outcome(hung, 5, args.slots, args.delay, makespan, reports, health)
                        )
                finally:
                    stop(server)
                print(f"  makespan {outcomes[-1].makespan:.2f} s")
    finally:
        stop(llm)
    return outcomes


# -- the table ------------------------------------------------------------------------------


NAMES: Mapping[str, str] = {
    "A": "(A) riskreport, thread runner",
    "A''": "(A'') riskreport, process runner",
    "B": "(B) riskreport: 1 report whose LLM never answers + 4",
    "C": f"(C) common fix: {COMMON_FIX_THREADS}-thread `run_in_executor` + `wait_for`",
    "D": "(D) common fix: 1 report whose LLM never answers + 4",
}


def table(outcomes: list[Outcome], args: argparse.Namespace, command: str) -> str:
    lines = [
        BEGIN,
        "## LLM narrative: report jobs waiting on a slow OpenAI-compatible server",
        "",
        f"`{command}` on {platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}: each service is started cold and measured as "
        f"soon as its `/readyz` answers; a stand-in chat completions server on loopback answers "
        f"every call after {args.delay:g} s. riskreport runs with its defaults (SQLite store, "
        f"local backend, C = {args.slots} slots, documents offered and rendered on request, "
        f"none asked for here) and `RISKREPORT_NARRATIVE=llm`; the common fix is the same "
        f"analysis in a {COMMON_FIX_THREADS}-thread executor awaited with `asyncio.wait_for`, "
        "answered in the POST. Ideal = ceil(N / C) x the delay; cost beyond the LLM = "
        "(makespan - ideal) / ceil(N / C), the cost of a round of C reports sharing 2 cores. "
        f"One report alone = the median latency beyond the LLM's delay of {args.alone} reports "
        "then sent one at a time to the same warm service (the cost of one report: "
        "validation, hazards, narrative checks, store, HTTP). `/healthz` is polled back to "
        "back from another process. Load = the machine's 1-minute load average before each "
        "scenario (2 cores, shared with other work).",
        "",
        "| scenario | N | makespan (s) | ideal (s) | x ideal | cost beyond LLM per round (ms) "
        "| one report alone, beyond LLM (ms) | slowest job (s) | statuses | narrative "
        "| /healthz p50 (ms) | /healthz p99 (ms) "
        "| health samples | load |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|---:|",
    ]
    for o in outcomes:
        statuses = ", ".join(
            f"{n} {s}" for s, n in sorted(_count(r.status for r in o.reports).items())
        )
        writers = ", ".join(
            f"{n} {w}" for w, n in sorted(_count(str(r.writer) for r in o.reports).items())
        )
        is_hung = o.name in ("B", "D")
        rounds = math.ceil(o.jobs / o.slots)
        ratio = "—" if is_hung else f"{o.makespan / o.llm_floor:.3f}"
        beyond = "—" if is_hung else f"{(o.makespan - o.llm_floor) / rounds * 1000:.0f}"
        floor = "—" if is_hung else f"{o.llm_floor:.2f}"
        alone = f"{statistics.median(o.alone_ms):.0f}" if o.alone_ms else "—"
        lines.append(
            f"| {NAMES[o.name]} | {o.jobs} | {o.makespan:.2f} | {floor} | {ratio} | {beyond} | "
            f"{alone} | "
            f"{max(r.seconds for r in o.reports):.2f} | {statuses} | {writers} | "
            f"{o.percentile(50):.1f} | {o.percentile(99):.1f} | {len(o.health_ms)} | "
            f"{o.load:.1f} |"
        )
    lines.append("")
    for hung_name in ("B", "D"):
        found = [o for o in outcomes if o.name == hung_name]
        if found:
            b = found[0]
            hung, others = b.reports[0], b.reports[1:]
            lines.append(
                f"- {NAMES[hung_name].split(':')[0]}: the report whose LLM never answers ended "
                f"`{hung.status}` after {hung.seconds:.2f} s (limit {args.limit:g} s); the "
                f"{len(others)} reports right behind it ended "
                f"{', '.join(sorted({r.status for r in others}))} within "
                f"{max(r.seconds for r in others):.2f} s."
            )
    lines.append(END)
    return "\n".join(lines) + "\n"


def _count(items: Any) -> dict[str, int]:
    counts: dict[str, int] = {}
    for item in items:
        counts[item] = counts.get(item, 0) + 1
    return counts


def write_section(section: str, doc: Path = DOC) -> None:
    """Replace this benchmark's section of the shared document, leaving the others alone."""
    replace_section(section, BEGIN, END, doc)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.llm_concurrency", description=__doc__)
    parser.add_argument("--jobs", type=int, default=8, help="concurrent reports in (A)")
    parser.add_argument("--slots", type=int, default=4, help="RISKREPORT_CONCURRENCY")
    parser.add_argument("--delay", type=float, default=1.0, help="seconds per completion")
    parser.add_argument("--limit", type=float, default=5.0, help="job limit in (A) and (B), s")
    parser.add_argument("--alone", type=int, default=16, help="reports sent one at a time")
    parser.add_argument("--no-write", action="store_true", help="print, do not edit the doc")
    args = parser.parse_args(argv)
    command = "python -m bench.llm_concurrency " + " ".join(argv or sys.argv[1:])
    section = table(asyncio.run(run(args)), args, command.strip())
    print(section)
    if not args.no_write:
        write_section(section)


if __name__ == "__main__":
    main()
