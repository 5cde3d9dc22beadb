"""``riskreport keys`` and the refusal to serve an open port without keys."""

from __future__ import annotations

from pathlib import Path

import anyio
import pytest
from typer.testing import CliRunner

from riskreport.engine.keys import key_digest
from riskreport.interfaces.cli import app
from riskreport.storage.keys import SqlKeyStore
from riskreport.storage.sql import SqlJobStore

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'jobs.db'}"
    monkeypatch.setenv("RISKREPORT_DATABASE_URL", url)
    monkeypatch.delenv("RISKREPORT_API_KEYS", raising=False)
    monkeypatch.delenv("RISKREPORT_ALLOW_OPEN", raising=False)
    return url


def owner_of(url: str, secret: str) -> str | None:
    async def look() -> str | None:
        store = SqlJobStore(url)
        await store.open()
        try:
            return await SqlKeyStore(store).owner_of(key_digest(secret))
        finally:
            await store.close()

    return anyio.run(look)


def test_create_list_revoke(runner: CliRunner, database: str) -> None:
    created = runner.invoke(app, ["keys", "create", "acme"])
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert secret.startswith("rr_")
    assert len(secret) > 40
    assert owner_of(database, secret) == "acme"  # stored as a digest that finds the name

    again = runner.invoke(app, ["keys", "create", "acme"])
    assert again.exit_code == 2
    listed = runner.invoke(app, ["keys", "list"])
    assert listed.stdout.startswith("acme\t")
    assert secret not in listed.output

    assert runner.invoke(app, ["keys", "revoke", "acme"]).exit_code == 0
    assert owner_of(database, secret) is None
    assert runner.invoke(app, ["keys", "revoke", "acme"]).exit_code == 2
    assert runner.invoke(app, ["keys", "create", "bad name!"]).exit_code == 2


def test_serve_refuses_a_public_address_without_keys(runner: CliRunner, database: str) -> None:
    refused = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--port", "9"])
    assert refused.exit_code == 2
    assert "refusing to serve on 0.0.0.0 without API keys" in refused.output
