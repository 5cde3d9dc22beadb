"""Real reports through the API: the production job (model, template narrative, documents).

The app is the production composition (``create_app(settings)`` without stand-ins) on a SQLite
file: three buildings with different exposures get reports whose dominant hazards differ as
their sites do, and bad input is refused with 422 naming the field.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from riskreport.interfaces.api.app import create_app
from tests.interfaces.api.harness import asgi_client, settings

SEOUL_OFFICE: dict[str, Any] = {
    "target_location": {"address": "서울특별시 중구 세종대로 110"},
    "building_info": {
        "structure": "reinforced_concrete",
        "use": "office",
        "year_built": 1998,
        "floors_above": 12,
        "floors_below": 2,
        "floor_area_m2": 15000,
    },
    "asset_info": {"replacement_value_krw": 30_000_000_000, "annual_revenue_krw": 3_000_000_000},
    "analysis_params": {"scenarios": ["SSP2-4.5", "SSP5-8.5"], "horizons": [2030, 2050, 2100]},
    "language": "en",
}
BUSAN_WAREHOUSE: dict[str, Any] = {
    "target_location": {"address": "부산광역시 해운대구 우동 1408"},
    "building_info": {
        "structure": "steel",
        "use": "logistics",
        "year_built": 2005,
        "floors_above": 2,
        "floors_below": 1,
        "floor_area_m2": 8000,
        "distance_to_coast_m": 80,
        "ground_elevation_m": 3,
    },
    "analysis_params": {"scenarios": ["SSP2-4.5", "SSP5-8.5"], "horizons": [2030, 2050, 2100]},
    "language": "ko",
}
GANGWON_HOUSE: dict[str, Any] = {
    "target_location": {"address": "강원특별자치도 강릉시 옥계면 주수리"},
    "building_info": {
        "structure": "wood",
        "use": "residential",
        "year_built": 1985,
        "floors_above": 1,
        "floors_below": 0,
        "floor_area_m2": 120,
        "distance_to_forest_m": 30,
    },
    "analysis_params": {"scenarios": ["SSP2-4.5", "SSP5-8.5"], "horizons": [2030, 2050, 2100]},
    "language": "ko",
}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        settings(
            database_url=f"sqlite:///{tmp_path / 'reports.db'}", concurrency=3, job_timeout=120
        )
    )
    async with asgi_client(app, ready=False) as client:
        yield client


async def report_for(client: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post("/v1/reports", json=body, headers={"Prefer": "wait=60"})
    assert response.status_code == 200, response.text
    job: dict[str, Any] = response.json()
    assert job["status"] == "succeeded", job["error"]
    return job


@pytest.mark.anyio
@pytest.mark.slow
@pytest.mark.timeout(180)
async def test_three_buildings_get_reports_with_their_own_dominant_hazards(
    client: httpx.AsyncClient,
) -> None:
    jobs: dict[str, dict[str, Any]] = {}

    async def run(name: str, body: dict[str, Any]) -> None:
        jobs[name] = await report_for(client, body)

    async with anyio.create_task_group() as group:
        for name, body in (
            ("seoul", SEOUL_OFFICE),
            ("busan", BUSAN_WAREHOUSE),
            ("gangwon", GANGWON_HOUSE),
        ):
            group.start_soon(run, name, body)

    dominant = {name: job["result"]["summary"]["dominant_hazards"] for name, job in jobs.items()}
    assert all(dominant.values()), dominant
    assert len({tuple(d) for d in dominant.values()}) == 3, dominant
    # The sites explain the differences: the sea at Haeundae, the forest at Gangneung. (On 3 m
    # of ground 80 m from the sea the still-water level reaches the warehouse only in rare
    # events, so the sea raises its scores without dominating; waves are not modelled.)
    sea = {"coastal_flood", "typhoon"}
    scores = {
        # The lean report JSON (schema 2): each figure [value, kind].
        name: {k: v[0] for k, v in job["result"]["summary"]["hazard_scores"].items()}
        for name, job in jobs.items()
    }
    for hazard in sea:
        assert scores["busan"][hazard] > scores["seoul"][hazard], scores
    assert not sea & set(dominant["seoul"]), dominant
    assert "wildfire" in dominant["gangwon"], dominant
    assert "wildfire" not in dominant["seoul"], dominant

    seoul = jobs["seoul"]["result"]
    assert seoul["location"]["matched"]["municipality_en"] == "Jung-gu"
    assert seoul["language"] == "en"
    assert jobs["busan"]["result"]["language"] == "ko"
    assert seoul["narrative"]["writer"] == "template"

    # The documents of a finished report, by format and by Accept.
    document = jobs["seoul"]["links"]["document"]
    pdf = await client.get(document, params={"format": "pdf"})
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    html = await client.get(document, headers={"Accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html")
    assert "Jung-gu" in html.text
    md = await client.get(document, params={"format": "md"})
    assert md.headers["content-type"].startswith("text/markdown")
    as_json = await client.get(document, params={"format": "json"})
    assert as_json.json()["summary"] == seoul["summary"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"target_location": {"lat": 95, "lon": 126.9}}, "target_location.lat"),
        ({"analysis_params": {"scenarios": ["SSP9-9.9"]}}, "analysis_params.scenarios.0"),
        ({"asset_info": {"replacement_value_krw": -1}}, "asset_info.replacement_value_krw"),
        ({"analysis_params": {"horizons": [1800]}}, "analysis_params.horizons.0"),
        ({"building_info": {"floors_above": -3}}, "building_info.floors_above"),
        ({"language": "fr"}, "language"),
    ],
    ids=["lat-95", "unknown-scenario", "negative-value", "horizon-1800", "floors", "language"],
)
async def test_bad_input_is_422_naming_the_field(
    client: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    response = await client.post("/v1/reports", json={**SEOUL_OFFICE, **change})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert field in [d["field"] for d in error["details"]], error
    assert field in error["message"]
    # Nothing was admitted.
    assert (await client.get("/v1/reports")).json()["items"] == []


@pytest.mark.anyio
@pytest.mark.slow
@pytest.mark.timeout(180)
async def test_curve_overrides_survive_the_job_and_replace_the_inputs() -> None:
    # The job validates the stored request again: curves must come back as they were sent.
    overrides = {
        "river_flood": {"depth_m": {"100": 1.2}},
        "coastal_flood": {"still_water_level_m": {"2": 1.0, "100": 2.5}},
        "typhoon": {"wind_10min_ms": {"2": 20.0, "100": 45.0}},
    }
    body = {
        **BUSAN_WAREHOUSE,
        "analysis_params": {"scenarios": ["SSP2-4.5"], "horizons": [2050], "overrides": overrides},
    }
    # The production job without documents: the numbers are what this test is about.
    app = create_app(settings(concurrency=1, job_timeout=120, documents=()))
    async with asgi_client(app, ready=False) as client:
        response = await client.post("/v1/reports", json=body)
        assert response.status_code == 202, response.text
        job: dict[str, Any] = response.json()
        with anyio.fail_after(170):  # a loaded machine may start the job late
            while job["status"] in ("queued", "running"):
                reply = await client.get(job["links"]["self"], headers={"Prefer": "wait=30"})
                job = reply.json()
    assert job["status"] == "succeeded", job["error"]
    inputs = {h["hazard"]: h["inputs"] for h in job["result"]["hazards"]}
    kinds = job["result"]["quantity_kinds"]  # the lean report JSON: each figure [value, kind]
    depth, kind = inputs["river_flood"]["depth_m"]["100"]
    assert depth == 1.2
    assert kinds[kind]["provenance"] == "user_input"
    assert inputs["coastal_flood"]["still_water_level_m"]["100"][0] == 2.5
    assert inputs["typhoon"]["wind_10min_ms"]["100"][0] == 45


@pytest.mark.anyio
async def test_the_warmed_api_process_freezes_its_heap(tmp_path: Path) -> None:
    """Once warm, the process's long-lived objects are out of the collector's sight, so a full
    collection (which stalls the event loop) does not walk them again (bootstrap._start)."""
    import gc

    gc.unfreeze()  # whatever an earlier test froze in this process
    app = create_app(settings(database_url=f"sqlite:///{tmp_path / 'frozen.db'}"))
    async with asgi_client(app):  # until /readyz answers 200: warmed up
        assert gc.get_freeze_count() > 50_000
