"""Every example in a docstring runs and says what it shows.

The examples are documentation a reader trusts as written; two had gone stale unnoticed (a
schema version and a curve's length) while only the validation scripts ran theirs. Modules are
found by their source holding ``>>>``, so a new example is run without being listed here.
"""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (ROOT / "src" / "riskreport", ROOT / "scripts", ROOT / "bench")
# Alembic's environment script runs only inside Alembic (it reads alembic.context at import).
SKIP = frozenset({"riskreport.storage.migrations.env"})


def _module_name(path: Path) -> str:
    base = ROOT / "src" if path.is_relative_to(ROOT / "src") else ROOT
    parts = path.relative_to(base).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = sorted(
    name
    for package in PACKAGES
    for path in package.rglob("*.py")
    if ">>>" in path.read_text(encoding="utf-8") and (name := _module_name(path)) not in SKIP
)


def test_the_examples_are_found() -> None:
    assert len(MODULES) > 30
    assert "riskreport.analysis.pipeline" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"
