"""Imports point inward: the table of docs/architecture.md, checked on every module with ``ast``.

Every import counts, wherever it sits (module level, inside a function, under
``TYPE_CHECKING``): a lazy import is still a dependency.

Besides itself and the standard library, a layer may import:

- domain: numpy only;
- analysis: domain and third-party libraries; not engine, storage, interfaces, bootstrap;
- engine: third-party libraries (no web framework, database or numpy); nothing else of ours;
- storage: engine and third-party libraries; not domain, analysis, interfaces, bootstrap;
- monitoring: engine and prometheus_client;
- interfaces: anything of ours except storage implementations, engine backends and runners,
  and analysis beyond its request schema (bootstrap composes those);
- settings: pydantic and pydantic_settings;
- bootstrap: anything.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = SRC / "riskreport"
STDLIB = frozenset(sys.stdlib_module_names) | {"__future__"}


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, e.g. riskreport.engine.engine
    target: str  # the imported module, absolute, e.g. riskreport.engine.jobs
    line: int

    def __str__(self) -> str:
        return f"{self.module}:{self.line} imports {self.target}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path) -> Iterator[Import]:
    module = module_name(path)
    is_package = path.name == "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(module, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                # Relative: resolve against the importing module's package.
                base = module.split(".")
                if not is_package:
                    base = base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            # "from pkg import sub" may name a submodule; count it as the deeper target too.
            yield Import(module, target, node.lineno)
            for alias in node.names:
                yield Import(module, f"{target}.{alias.name}", node.lineno)


def all_imports() -> list[Import]:
    return [imp for path in sorted(PACKAGE.rglob("*.py")) for imp in imports_of(path)]


def layer_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "root"


def under(target: str, *prefixes: str) -> bool:
    return any(target == p or target.startswith(p + ".") for p in prefixes)


def third_party(target: str) -> bool:
    top = target.split(".")[0]
    return top not in STDLIB and top != "riskreport"


def violations(layer: str, rule: str) -> list[str]:
    """Imports from ``layer`` that break ``rule`` (a key of RULES)."""
    return [str(imp) for imp in all_imports() if layer_of(imp.module) == layer and RULES[rule](imp)]


def _domain(imp: Import) -> bool:
    if under(imp.target, "riskreport"):
        return not under(imp.target, "riskreport.domain")
    return third_party(imp.target) and imp.target.split(".")[0] != "numpy"


def _analysis(imp: Import) -> bool:
    return under(
        imp.target,
        "riskreport.engine",
        "riskreport.storage",
        "riskreport.interfaces",
        "riskreport.bootstrap",
        "riskreport.monitoring",
    )


def _engine(imp: Import) -> bool:
    return under(
        imp.target,
        "riskreport.domain",
        "riskreport.analysis",
        "riskreport.storage",
        "riskreport.interfaces",
        "riskreport.bootstrap",
        "riskreport.settings",
        "riskreport.monitoring",
        # Web frameworks, databases and the risk model's libraries have no business here.
        "fastapi",
        "starlette",
        "sqlalchemy",
        "numpy",
    )


def _storage(imp: Import) -> bool:
    return under(
        imp.target,
        "riskreport.analysis",
        "riskreport.interfaces",
        "riskreport.bootstrap",
        "riskreport.monitoring",
        "riskreport.domain",
    )


def _monitoring(imp: Import) -> bool:
    if under(imp.target, "riskreport"):
        return not under(imp.target, "riskreport.engine", "riskreport.monitoring")
    return third_party(imp.target) and imp.target.split(".")[0] != "prometheus_client"


def _interfaces(imp: Import) -> bool:
    if under(imp.target, "riskreport.analysis"):
        return not under(imp.target, "riskreport.analysis.request")
    return under(
        imp.target,
        "riskreport.storage",
        "riskreport.engine.backends",
        "riskreport.engine.runners",
        "sqlalchemy",
    )


def _settings(imp: Import) -> bool:
    if under(imp.target, "riskreport"):
        return True
    return third_party(imp.target) and imp.target.split(".")[0] not in {
        "pydantic",
        "pydantic_settings",
    }


RULES = {
    "domain": _domain,
    "analysis": _analysis,
    "engine": _engine,
    "storage": _storage,
    "monitoring": _monitoring,
    "interfaces": _interfaces,
    "settings": _settings,
}


@pytest.mark.parametrize("layer", sorted(RULES))
def test_layer_imports_point_inward(layer: str) -> None:
    bad = violations(layer, layer)
    assert not bad, f"{layer} must not import these:\n" + "\n".join(bad)


def test_every_module_belongs_to_a_known_layer() -> None:
    known = {*RULES, "bootstrap", "root"}
    layers = {layer_of(module_name(p)) for p in PACKAGE.rglob("*.py")}
    assert layers <= known, f"modules outside the architecture's layers: {layers - known}"


def test_the_checker_sees_imports() -> None:
    # Guards against a checker that passes because it finds nothing (wrong path, empty walk).
    imports = all_imports()
    assert {layer_of(i.module) for i in imports} >= {"engine", "interfaces", "bootstrap"}
    assert any(
        i.module == "riskreport.bootstrap" and under(i.target, "riskreport.engine.engine")
        for i in imports
    )


def test_the_rules_catch_a_wrong_import() -> None:
    # Each rule flags the move it exists to forbid (and lets a legal one through).
    def imp(module: str, target: str) -> Import:
        return Import(module, target, 1)

    assert RULES["domain"](imp("riskreport.domain.hazards", "pydantic"))
    assert not RULES["domain"](imp("riskreport.domain.hazards", "numpy.typing"))
    assert RULES["analysis"](imp("riskreport.analysis.job", "riskreport.engine.errors"))
    assert RULES["engine"](imp("riskreport.engine.engine", "riskreport.analysis.job"))
    assert RULES["engine"](imp("riskreport.engine.engine", "riskreport.settings"))
    assert not RULES["engine"](imp("riskreport.engine.engine", "anyio"))
    assert RULES["storage"](imp("riskreport.storage.sql", "riskreport.interfaces.api"))
    assert not RULES["storage"](imp("riskreport.storage.sql", "riskreport.engine.jobs"))
    assert RULES["interfaces"](imp("riskreport.interfaces.api.app", "riskreport.storage.sql"))
    assert RULES["interfaces"](imp("riskreport.interfaces.cli", "riskreport.engine.backends.local"))
    assert not RULES["interfaces"](
        imp("riskreport.interfaces.api.schemas", "riskreport.analysis.request")
    )
    assert RULES["monitoring"](imp("riskreport.monitoring.metrics", "fastapi"))
    assert not RULES["monitoring"](imp("riskreport.monitoring.metrics", "prometheus_client"))


def _cycles(prefixes: tuple[str, ...]) -> list[list[str]]:
    """Import cycles among the modules under ``prefixes`` (Tarjan's strongly connected parts)."""
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules if under(m, *prefixes)}
    for imp in all_imports():
        if imp.module not in graph:
            continue
        target = imp.target
        while target and target not in modules:
            target = target.rpartition(".")[0]
        if target in graph and target != imp.module:
            graph[imp.module].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_domain_and_analysis_have_no_import_cycles() -> None:
    # Lazy and TYPE_CHECKING imports count: report <-> report_parts and job <-> pipeline were
    # such cycles once.
    assert _cycles(("riskreport.domain", "riskreport.analysis")) == []
