"""``Idempotency-Key`` on ``POST /v1/reports``: the same request once, a different one refused."""

from __future__ import annotations

import pytest

from tests.interfaces.api.harness import REPORT_BODY, app_for, asgi_client, eventually

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(60)]

KEYS = "alice=alice-secret-0123456789,bob=bob-secret-9876543210xx"


async def test_the_same_key_and_body_return_the_same_job() -> None:
    async with asgi_client(app_for("quick")) as client:
        headers = {"Idempotency-Key": "order-42"}
        first = await client.post("/v1/reports", json=REPORT_BODY, headers=headers)
        # The same body with its keys in another order is the same request.
        reordered = dict(reversed(list(REPORT_BODY.items())))
        second = await client.post("/v1/reports", json=reordered, headers=headers)
        listed = (await client.get("/v1/reports")).json()["items"]
    assert first.status_code == second.status_code == 202
    assert first.headers["Idempotent-Replayed"] == "false"
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]
    assert second.headers["Location"] == first.headers["Location"]
    assert [job["id"] for job in listed] == [first.json()["id"]]  # one job, not two


async def test_the_same_key_with_another_body_is_422() -> None:
    async with asgi_client(app_for("quick")) as client:
        headers = {"Idempotency-Key": "order-43"}
        await client.post("/v1/reports", json=REPORT_BODY, headers=headers)
        other = await client.post(
            "/v1/reports", json={**REPORT_BODY, "language": "ko"}, headers=headers
        )
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"


async def test_keys_are_scoped_per_api_key() -> None:
    async with asgi_client(app_for("quick", api_keys=KEYS)) as client:
        alice = await client.post(
            "/v1/reports",
            json=REPORT_BODY,
            headers={"Idempotency-Key": "same", "X-API-Key": "alice-secret-0123456789"},
        )
        bob = await client.post(
            "/v1/reports",
            json={**REPORT_BODY, "language": "ko"},
            headers={"Idempotency-Key": "same", "X-API-Key": "bob-secret-9876543210xx"},
        )
    assert (alice.status_code, bob.status_code) == (202, 202)
    assert alice.json()["id"] != bob.json()["id"]


async def test_a_refused_submission_frees_its_key_for_the_retry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RISKREPORT_TEST_NAP", "0.5")
    async with asgi_client(app_for("nap", queue_limit=0, concurrency=1)) as client:
        busy = await client.post("/v1/reports", json=REPORT_BODY)  # takes the only slot
        headers = {"Idempotency-Key": "retry-me"}

        async def slot_taken() -> bool:
            job = (await client.get(busy.json()["links"]["self"])).json()
            return bool(job["status"] == "running")

        await eventually(slot_taken)
        refused = await client.post("/v1/reports", json=REPORT_BODY, headers=headers)
        assert refused.status_code == 429
        await client.get(busy.json()["links"]["self"], headers={"Prefer": "wait=10"})
        retried = await client.post("/v1/reports", json=REPORT_BODY, headers=headers)
    assert retried.status_code == 202  # the refusal left no claim behind
    assert retried.headers["Idempotent-Replayed"] == "false"


@pytest.mark.parametrize("key", ["", "a" * 256, "has space", "ümlaut"])
async def test_a_malformed_key_is_422(key: str) -> None:
    async with asgi_client(app_for("quick")) as client:
        response = await client.post(
            "/v1/reports", json=REPORT_BODY, headers={b"Idempotency-Key": key.encode()}
        )
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "validation_error"
