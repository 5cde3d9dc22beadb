"""The three buildings of the risk model's tests, computed once per language for these tests.

``report_of`` gives the verbose form (every figure a quantity object), which tests edit figure
by figure; the writers read the lean form the same way (``test_lean_and_verbose_read_alike``).
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Any, Final

from riskreport.analysis.pipeline import assess
from riskreport.analysis.request import ReportRequest
from tests.analysis.test_pipeline import BUSAN_WAREHOUSE, GANGWON_HOUSE, SEOUL_OFFICE

BUILDINGS: Final[dict[str, dict[str, Any]]] = {
    "seoul_office": SEOUL_OFFICE,
    "busan_warehouse": BUSAN_WAREHOUSE,
    "gangwon_house": GANGWON_HOUSE,
}


@cache
def _computed(name: str, language: str) -> dict[str, Any]:
    request = ReportRequest.model_validate({**BUILDINGS[name], "language": language})
    return assess(request).as_verbose_dict()


def report_of(name: str, language: str = "ko") -> dict[str, Any]:
    """A fresh copy of the computed report of building ``name`` in ``language``."""
    return copy.deepcopy(_computed(name, language))
