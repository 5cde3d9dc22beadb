"""API keys: every call needs one, each key sees only its own jobs, quotas and a rate limit per
key, a browser session cookie, and secrets that never reach a log."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from riskreport.bootstrap import check_settings
from riskreport.engine.jobs import utcnow
from riskreport.engine.keys import key_digest
from riskreport.storage.keys import SqlKeyStore
from riskreport.storage.sql import SqlJobStore
from tests.interfaces.api.harness import REPORT_BODY, app_for, asgi_client, eventually, settings

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(60)]

ALICE = "alice-secret-0123456789"
BOB = "bob-secret-9876543210xx"
KEYS = f"alice={ALICE},bob={BOB}"


def as_key(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


async def test_without_a_key_only_health_and_readiness_answer() -> None:
    async with asgi_client(app_for("quick", api_keys=KEYS)) as client:
        for path in ("/v1/reports", "/v1/reports/abc", "/metrics"):
            response = await client.get(path)
            assert response.status_code == 401, path
            assert response.json()["error"]["code"] == "unauthorized"
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        wrong = await client.get("/v1/reports", headers=as_key("not-a-key-at-all-xx"))
        assert wrong.status_code == 401
        assert (await client.post("/v1/reports", json=REPORT_BODY)).status_code == 401
        assert (await client.get("/healthz")).status_code == 200
        assert (await client.get("/readyz")).status_code == 200
        assert (await client.get("/metrics", headers=as_key(ALICE))).status_code == 200
        assert (await client.get("/v1/reports", headers={"X-API-Key": BOB})).status_code == 200


async def test_a_second_key_cannot_list_read_cancel_or_download_the_first_keys_job() -> None:
    async with asgi_client(app_for("with_documents", api_keys=KEYS)) as client:
        posted = await client.post(
            "/v1/reports", json=REPORT_BODY, headers={**as_key(ALICE), "Prefer": "wait=10"}
        )
        job: dict[str, Any] = posted.json()
        assert job["status"] == "succeeded"
        links = job["links"]
        bob = as_key(BOB)
        assert (await client.get("/v1/reports", headers=bob)).json()["items"] == []
        for method, url in [
            ("GET", links["self"]),
            ("GET", links["events"]),
            ("GET", links["document"]),
            ("GET", links["document"] + "?format=pdf"),
            ("DELETE", links["self"]),
        ]:
            response = await client.request(method, url, headers=bob)
            assert response.status_code == 404, (method, url)
            assert response.json()["error"]["code"] == "job_not_found"
        waited = await client.get(links["self"], headers={**bob, "Prefer": "wait=1"})
        assert waited.status_code == 404
        # The owner still sees all of it.
        alice = as_key(ALICE)
        listed = (await client.get("/v1/reports", headers=alice)).json()["items"]
        assert [j["id"] for j in listed] == [job["id"]]
        pdf = await client.get(links["document"], params={"format": "pdf"}, headers=alice)
        assert pdf.status_code == 200


async def test_one_key_cannot_take_the_whole_queue(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RISKREPORT_TEST_NAP", "5")
    app = app_for("nap", api_keys=KEYS, concurrency=1, queue_limit=10, key_queue_limit=2)
    async with asgi_client(app) as client:
        first = await client.post("/v1/reports", json=REPORT_BODY, headers=as_key(ALICE))

        async def running() -> bool:
            job = await client.get(first.json()["links"]["self"], headers=as_key(ALICE))
            return bool(job.json()["status"] == "running")

        await eventually(running)
        alice = [first] + [
            await client.post("/v1/reports", json=REPORT_BODY, headers=as_key(ALICE))
            for _ in range(3)
        ]
        # One runs, two wait (the key's share), the fourth is refused; bob still gets in.
        assert [r.status_code for r in alice] == [202, 202, 202, 429]
        assert alice[3].json()["error"]["code"] == "queue_full"
        assert int(alice[3].headers["Retry-After"]) >= 1
        bob = await client.post("/v1/reports", json=REPORT_BODY, headers=as_key(BOB))
        assert bob.status_code == 202
        for response in [*alice[:3], bob]:
            await client.delete(response.json()["links"]["self"], headers=as_key(ALICE))
            await client.delete(response.json()["links"]["self"], headers=as_key(BOB))


async def test_a_key_submitting_too_fast_gets_429_with_retry_after() -> None:
    async with asgi_client(app_for("quick", api_keys=KEYS, key_rate_limit=3)) as client:
        codes = [
            (await client.post("/v1/reports", json=REPORT_BODY, headers=as_key(ALICE))).status_code
            for _ in range(4)
        ]
        limited = await client.post("/v1/reports", json=REPORT_BODY, headers=as_key(ALICE))
        other = await client.post("/v1/reports", json=REPORT_BODY, headers=as_key(BOB))
    assert codes == [202, 202, 202, 429]
    assert limited.json()["error"]["code"] == "rate_limited"
    assert 1 <= int(limited.headers["Retry-After"]) <= 20  # a token every 20 s at 3 a minute
    assert other.status_code == 202  # each key has its own bucket


async def test_keys_stored_in_the_database_switch_keys_on_and_revoke_at_once(
    tmp_path: Any,
) -> None:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    store = SqlJobStore(url)
    await store.open()
    keys = SqlKeyStore(store)
    await keys.create_key("carol", key_digest(ALICE), at=utcnow())
    await store.close()
    async with asgi_client(app_for("quick", database_url=url)) as client:
        assert (await client.get("/v1/reports")).status_code == 401
        assert (await client.get("/v1/reports", headers=as_key(ALICE))).status_code == 200
        services = client._transport.app.state.services  # type: ignore[attr-defined]
        assert await services.access.keys.revoke_key("carol", at=utcnow())
        assert (await client.get("/v1/reports", headers=as_key(ALICE))).status_code == 401


async def test_a_browser_session_holds_the_key_in_an_httponly_cookie() -> None:
    async with asgi_client(app_for("quick", api_keys=KEYS)) as client:
        refused = await client.post("/v1/session", headers={"X-API-Key": "wrong-key-000000000"})
        assert refused.status_code == 401
        opened = await client.post("/v1/session", headers={"X-API-Key": ALICE})
        assert opened.status_code == 204
        cookie = opened.headers["set-cookie"].lower()
        assert "httponly" in cookie
        assert "samesite=strict" in cookie
        assert "max-age" not in cookie  # gone when the browser closes
        # The cookie alone now carries the key.
        assert (await client.get("/v1/reports")).status_code == 200
        assert (await client.delete("/v1/session")).status_code == 204
        client.cookies.clear()
        assert (await client.get("/v1/reports")).status_code == 401


async def test_secrets_planted_in_settings_appear_in_no_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    llm_secret = "sk-planted-llm-secret-42"
    app = app_for("fails", api_keys=KEYS, llm_api_key=llm_secret)
    async with asgi_client(app) as client:
        await client.post(
            "/v1/reports", json=REPORT_BODY, headers={**as_key(ALICE), "Prefer": "wait=5"}
        )
        await client.get("/v1/reports", headers=as_key(BOB))
        await client.get("/v1/reports", headers=as_key("bad-" + ALICE))
        await client.post("/v1/session", headers={"X-API-Key": ALICE})
        await client.get("/v1/nope", headers=as_key(ALICE))
        settings = client._transport.app.state.settings  # type: ignore[attr-defined]
    text = caplog.text + "".join(str(r.__dict__) for r in caplog.records)
    assert caplog.records  # there was logging to search
    for secret in (ALICE, BOB, llm_secret):
        assert secret not in text
        assert secret not in repr(settings)


def test_the_settings_refuse_a_key_without_a_secret() -> None:
    with pytest.raises(ValueError, match="'alice' is not name=secret"):
        check_settings(settings(api_keys="alice"))
    with pytest.raises(ValueError, match="at least 16 characters") as caught:
        check_settings(settings(api_keys="alice=short-one"))
    assert "short-one" not in str(caught.value)  # the secret is never repeated in the error


async def test_without_keys_every_caller_sees_every_job() -> None:
    async with asgi_client(app_for("quick")) as client:
        job = (await client.post("/v1/reports", json=REPORT_BODY)).json()
        seen = await client.get(job["links"]["self"], headers=as_key("anything-at-all-xx"))
    assert seen.status_code == 200
