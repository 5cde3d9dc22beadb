"""Health, readiness, metrics, the loop-lag monitor and the OpenAPI document, in the app."""

from __future__ import annotations

import logging
import time

import anyio
import pytest
from prometheus_client.parser import text_string_to_metric_families

from riskreport.engine.spec import Initializer
from riskreport.monitoring.loop_lag import LOGGER_NAME
from tests.interfaces.api import standin_jobs
from tests.interfaces.api.harness import (
    REPORT_BODY,
    app_for,
    asgi_client,
    eventually,
    wait_ready,
)


def metric_values(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


@pytest.mark.anyio
async def test_readyz_is_503_while_warming_up_and_healthz_answers_meanwhile() -> None:
    warmup = Initializer(standin_jobs.path("slow_prepare"), (0.6,))
    app = app_for("quick", initializer=warmup)
    async with asgi_client(app, ready=False) as client:
        early = await client.get("/readyz")
        assert early.status_code == 503
        assert early.json()["checks"]["engine"] == "warming up"
        assert early.headers["Retry-After"] == "1"
        # The warm-up runs off the loop: liveness answers at once meanwhile.
        start = time.perf_counter()
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        assert time.perf_counter() - start < 0.3
        # Jobs submitted during warm-up wait for it, then run.
        submitted = await client.post("/v1/reports", json=REPORT_BODY)
        assert submitted.status_code == 202, submitted.text
        await wait_ready(client, within=10)
        ready = await client.get("/readyz")
        assert ready.json() == {
            "status": "ready",
            "checks": {"engine": "ok", "store": "ok", "backend": "ok"},
        }
        job = await client.get(submitted.headers["Location"], headers={"Prefer": "wait=10"})
        assert job.json()["status"] == "succeeded"


@pytest.mark.anyio
async def test_failed_warm_up_keeps_readyz_503_with_the_reason() -> None:
    warmup = Initializer(standin_jobs.path("prepare_fails"))
    async with asgi_client(app_for("quick", initializer=warmup), ready=False) as client:

        async def failed() -> bool:
            return "failed" in (await client.get("/readyz")).json()["checks"]["engine"]

        await eventually(failed)
        response = await client.get("/readyz")
        assert response.status_code == 503
        assert "no model data" in response.json()["checks"]["engine"]


@pytest.mark.anyio
async def test_metrics_count_jobs_durations_and_loop_lag() -> None:
    async with asgi_client(app_for("staged")) as client:
        for _ in range(2):
            await client.post("/v1/reports", json=REPORT_BODY, headers={"Prefer": "wait=10"})
        response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    values = metric_values(response.text)
    assert values[("riskreport_jobs", frozenset({("state", "succeeded")}))] == 2
    assert values[("riskreport_jobs", frozenset({("state", "queued")}))] == 0
    assert values[("riskreport_queue_depth", frozenset())] == 0
    assert values[("riskreport_job_capacity", frozenset())] == 2
    labels = frozenset({("kind", "report"), ("status", "succeeded")})
    assert values[("riskreport_job_duration_seconds_count", labels)] == 2
    # Four 50 ms stages each.
    assert values[("riskreport_job_duration_seconds_sum", labels)] >= 0.3
    assert values[("riskreport_event_loop_lag_seconds_count", frozenset())] > 0


@pytest.mark.anyio
async def test_two_apps_in_one_process_have_separate_metrics() -> None:
    async with asgi_client(app_for("quick")) as first, asgi_client(app_for("quick")) as second:
        await first.post("/v1/reports", json=REPORT_BODY, headers={"Prefer": "wait=10"})
        one = metric_values((await first.get("/metrics")).text)
        other = metric_values((await second.get("/metrics")).text)
    key = (
        "riskreport_jobs_finished_total",
        frozenset({("kind", "report"), ("status", "succeeded")}),
    )
    assert one[key] == 1
    assert key not in other


def hold_the_loop() -> None:
    time.sleep(0.2)


@pytest.mark.anyio
async def test_lag_monitor_names_the_blocking_handler(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger=LOGGER_NAME)
    app = app_for("quick", lag_threshold=0.05)

    async def blocking_route() -> dict[str, str]:
        hold_the_loop()  # the original bug, on purpose: a sync call inside async def
        return {"status": "done"}

    app.add_api_route("/test-only/block", blocking_route)
    Key = tuple[str, frozenset[tuple[str, str]]]
    count: Key = ("riskreport_event_loop_lag_seconds_count", frozenset())
    fast: Key = ("riskreport_event_loop_lag_seconds_bucket", frozenset({("le", "0.1")}))
    async with asgi_client(app) as client:
        # The monitor starts with the app; on a busy machine give it time to take a sample.
        with anyio.fail_after(10):
            while True:
                if metric_values((await client.get("/metrics")).text).get(count, 0) >= 1:
                    break
                await anyio.sleep(0.02)
        assert (await client.get("/test-only/block")).status_code == 200
        # The histogram saw the stall too: some sample lies above 0.1 s. The probe records
        # it on its next turn, which a loaded machine may delay.
        with anyio.fail_after(5):
            while True:
                metrics = metric_values((await client.get("/metrics")).text)
                if metrics[fast] < metrics[count]:
                    break
                await anyio.sleep(0.02)
    records = [r for r in caplog.records if r.name == LOGGER_NAME]
    stacks = [r.getMessage() for r in records if "hold_the_loop" in r.getMessage()]
    assert stacks, [r.getMessage() for r in records]
    assert "blocking_route" in stacks[0]


@pytest.mark.anyio
async def test_openapi_documents_every_endpoint_and_the_error_shape() -> None:
    async with asgi_client(app_for("quick")) as client:
        spec = (await client.get("/openapi.json")).json()
    paths = spec["paths"]
    assert set(paths["/v1/reports"]) == {"get", "post"}
    assert set(paths["/v1/reports/{job_id}"]) == {"get", "delete"}
    for path in (
        "/v1/reports/{job_id}/events",
        "/v1/reports/{job_id}/document",
        "/healthz",
        "/readyz",
        "/metrics",
    ):
        assert "get" in paths[path], path
    post = paths["/v1/reports"]["post"]
    assert {"200", "202", "422", "429", "503"} <= set(post["responses"])
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "ReportRequest"
    )
    schemas = spec["components"]["schemas"]
    assert {"ErrorPublic", "JobPublic", "JobsPublic"} <= set(schemas)
    assert "self" in schemas["JobLinks"]["properties"]
