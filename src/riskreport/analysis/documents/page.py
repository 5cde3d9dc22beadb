"""What the HTML page and the PDF share: where each chart goes and how the place is named.

place_of(ReportView.of(report))  # "서울특별시 중구 세종대로 110", on one line
"""

from __future__ import annotations

from typing import Final

from riskreport.analysis.narrative.inert import one_line
from riskreport.analysis.narrative.view import ReportView

# Which section each chart follows.
CHART_PLACES: Final = {
    "eal_by_hazard": "discussion",
    "total_by_horizon": "scenarios",
    "score_matrix": "grade",
}


def place_of(view: ReportView) -> str:
    """The building's place for a title: the address as given (on one line), else the matched
    municipality, else the coordinates."""
    location = view.location
    given = location.get("input") or {}
    if given.get("address"):
        return one_line(str(given["address"]))
    matched = location.get("matched")
    if matched:
        key = "ko" if view.language == "ko" else "en"
        return f"{matched[f'municipality_{key}']}, {matched[f'province_{key}']}"
    return f"{location.get('lat')}, {location.get('lon')}"
