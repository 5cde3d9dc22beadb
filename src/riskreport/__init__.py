"""riskreport: physical climate-risk reports for buildings.

``riskreport.analyze(...)`` and ``riskreport.analyze_portfolio(...)`` are imported on first use,
so ``import riskreport`` stays light.

>>> import riskreport
>>> callable(riskreport.analyze)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from riskreport.analysis.pipeline import analyze, analyze_portfolio

__all__ = ["analyze", "analyze_portfolio"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from riskreport.analysis import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'riskreport' has no attribute {name!r}")
