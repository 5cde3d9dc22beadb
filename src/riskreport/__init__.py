"""riskreport: physical climate-risk reports for buildings.

``riskreport.analyze(...)`` and ``riskreport.analyze_portfolio(...)`` are imported on first use,
so ``import riskreport`` stays light. ``riskreport.expand(report)`` gives the verbose form of a
report (every figure ``{"value", "unit", "provenance", "source"}``; docs/report-schema.md).

>>> import riskreport
>>> callable(riskreport.analyze)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from riskreport.analysis.pipeline import analyze, analyze_portfolio
    from riskreport.domain.lean_json import expand

__all__ = ["analyze", "analyze_portfolio", "expand"]


def __getattr__(name: str) -> Any:
    if name == "expand":
        from riskreport.domain import lean_json

        return lean_json.expand
    if name in __all__:
        from riskreport.analysis import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'riskreport' has no attribute {name!r}")
