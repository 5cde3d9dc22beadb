"""Where the raw observations live: ``../shared/data`` beside the checkout (CI has it)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The raw data folder; its absence fails on CI (``CI=true``) and skips elsewhere."""
    if not SHARED_DATA.is_dir():
        message = f"the raw observations are not at {SHARED_DATA} (shared/data beside the clone)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_DATA
