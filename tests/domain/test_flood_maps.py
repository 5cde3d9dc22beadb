"""Map depth curves by case: the RCP-to-SSP mapping and the interpolation between map years."""

from __future__ import annotations

import numpy as np
import pytest

from riskreport.domain.cases import case_grid
from riskreport.domain.hazards.flood_maps import (
    MAP,
    MAP_DERIVED,
    MODEL,
    MapCurves,
    depth_by_case,
)
from riskreport.domain.losses import RETURN_PERIODS
from riskreport.domain.scenarios import gmsl, warming

N_RP = len(RETURN_PERIODS)


def _maps(today: float, rcp45: tuple[float, ...], rcp85: tuple[float, ...]) -> MapCurves:
    """One building; flat curves (same depth at every return period) per map."""
    future = np.empty((1, 2, 3, N_RP))
    for y in range(3):
        future[0, 0, y] = rcp45[y]
        future[0, 1, y] = rcp85[y]
    return MapCurves(np.full((1, N_RP), today), future, ())


MAPS = _maps(1.0, (1.2, 1.4, 1.7), (1.3, 1.8, 2.6))


def _depth(scenario: str, year: int, kind: str = "warming") -> tuple[float, int]:
    depth, code = depth_by_case(MAPS, case_grid((scenario,), (year,)), kind)  # type: ignore[arg-type]
    return float(depth[0, 1, 0]), int(code[0, 1])


def _is(got: tuple[float, int], depth: float, code: int) -> bool:
    return got[1] == code and abs(got[0] - depth) < 1e-9


def test_the_proxy_scenarios_read_their_maps_at_map_years() -> None:
    assert _is(_depth("SSP2-4.5", 2050), 1.4, MAP)
    assert _is(_depth("SSP5-8.5", 2080), 2.6, MAP)
    depth, code = depth_by_case(MAPS, case_grid(("SSP5-8.5",), (2050,)))
    assert _is((float(depth[0, 0, 0]), int(code[0, 0])), 1.0, MAP)  # baseline: today's maps


def test_ssp3_lies_between_the_rcps_by_warming_and_ssp1_between_today_and_rcp45() -> None:
    w = (warming("SSP3-7.0", 2050) - warming("SSP2-4.5", 2050)) / (
        warming("SSP5-8.5", 2050) - warming("SSP2-4.5", 2050)
    )
    assert _is(_depth("SSP3-7.0", 2050), 1.4 + w * 0.4, MAP_DERIVED)
    w1 = (warming("SSP1-2.6", 2050) - 0.85) / (warming("SSP2-4.5", 2050) - 0.85)
    assert _is(_depth("SSP1-2.6", 2050), 1.0 + w1 * 0.4, MAP_DERIVED)
    # Coastal floods go by sea level instead.
    ws = (gmsl("SSP3-7.0", 2080) - gmsl("SSP2-4.5", 2080)) / (
        gmsl("SSP5-8.5", 2080) - gmsl("SSP2-4.5", 2080)
    )
    assert _depth("SSP3-7.0", 2080, "sea_level")[0] == pytest.approx(1.7 + ws * 0.9)


def test_horizons_are_linear_in_time_and_continue_the_last_slope() -> None:
    assert _is(_depth("SSP5-8.5", 2040), 1.55, MAP_DERIVED)
    assert _depth("SSP5-8.5", 2025)[0] == pytest.approx(1.0 + 0.3 * 20 / 25)
    assert _depth("SSP5-8.5", 2100)[0] == pytest.approx(2.6 + 0.8 * 20 / 30)
    falling = _maps(1.0, (0.5, 0.3, 0.05), (0.5, 0.3, 0.05))
    depth, _ = depth_by_case(falling, case_grid(("SSP2-4.5",), (2100,)))
    assert float(depth[0, 1, 0]) == 0.0  # held at 0 m, never negative


def test_a_missing_map_leaves_the_case_to_the_model() -> None:
    no45 = MapCurves(MAPS.today, MAPS.future.copy(), ())
    no45.future[0, 0] = np.nan
    _, code = depth_by_case(no45, case_grid(("SSP2-4.5", "SSP5-8.5", "SSP3-7.0"), (2050,)))
    assert code[0].tolist() == [MAP, MODEL, MAP, MODEL]
    no_today = MapCurves(np.full((1, N_RP), np.nan), MAPS.future, ())
    _, code = depth_by_case(no_today, case_grid(("SSP5-8.5",), (2050,)))
    assert code[0].tolist() == [MODEL, MODEL]  # the defences' height needs today's maps


def test_a_rarer_event_is_never_shallower() -> None:
    today = np.linspace(0.0, 2.5, N_RP)[None, :]
    today[0, 2] = today[0, 1] - 0.1  # a shallower 10-year map than the 5-year one
    today[0, 5] = today[0, 4] - 0.1
    maps = MapCurves(today, np.broadcast_to(today[:, None, None], (1, 2, 3, N_RP)).copy(), ())
    depth, _ = depth_by_case(maps, case_grid(("SSP2-4.5",), (2050,)))
    assert (np.diff(depth[0, 0]) >= 0).all()
    assert depth[0, 0, 2] == depth[0, 0, 1]
    assert depth[0, 0, 5] == depth[0, 0, 4]
