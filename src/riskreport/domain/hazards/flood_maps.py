"""Flood depth curves from hazard maps (WRI Aqueduct Floods v2 or maps named like them).

The analysis layer samples the maps at the buildings into a :class:`MapCurves`: today's curve
(the historical maps) and the curves of RCP4.5 and RCP8.5 in 2030, 2050 and 2080. Here they
become one depth curve per case, and damage behind the model's protection standard:

- **Scenarios** (documented in docs/hazard-maps.md): RCP4.5 stands for SSP2-4.5 and RCP8.5 for
  SSP5-8.5 (same forcing by 2100). SSP1-2.6 and SSP3-7.0 have no map; at each map year their
  curve is interpolated linearly in the hazard's driver between the maps that bracket it:
  global warming for river floods [ipcc-ar6-wg1-spm-t1], global mean sea level for coastal
  floods [ipcc-ar6-wg1-ch9]. SSP1-2.6 lies between today's maps and RCP4.5, SSP3-7.0 between
  RCP4.5 and RCP8.5 (``derived``).
- **Horizons**: today's maps stand at the report's baseline year (2005), the others at their map
  year; a horizon between two is linear in time, one after 2080 continues the 2050-2080 slope
  (held at 0 m at least), as the model's warming does after 2090.
- **Protection** stays the model's: the maps are undefended, and the levee or seawall is as high
  as today's map depth at its design return period, so a deeper future event overtops it.

A case is answered by the maps only where every map it needs covers the building (finite);
elsewhere the built-in model's number stands (``map_cases`` says which, per building and case).

>>> import numpy as np
>>> from riskreport.domain.cases import case_grid
>>> today = np.linspace(0.0, 2.0, 9)[None, :]
>>> future = np.broadcast_to(today + 0.5, (1, 2, 3, 9)).copy()
>>> depth, code = depth_by_case(MapCurves(today, future, ()), case_grid(("SSP5-8.5",), (2050,)))
>>> float(depth[0, 1, -1]), code.tolist()
(2.5, [[1, 1]])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Literal

import numpy as np

from riskreport.domain.array import Array, IntArray
from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays
from riskreport.domain.hazards.flood_family import RP100
from riskreport.domain.losses import damaging_probability, eal_fraction, value_at_rp
from riskreport.domain.scenarios import PRESENT_WARMING_C, PRESENT_YEAR, SCENARIOS, gmsl, warming

AQUEDUCT_KEY = "wri-aqueduct-floods-v2"
MAP_YEARS: tuple[int, ...] = (2030, 2050, 2080)
MAP_CLIMATES: tuple[str, ...] = ("rcp4p5", "rcp8p5")
# The SSP each RCP map stands for (same 2100 forcing).
PROXY_SCENARIO: dict[str, str] = {"rcp4p5": "SSP2-4.5", "rcp8p5": "SSP5-8.5"}
Driver = Literal["warming", "sea_level"]
DamageOf = Callable[[Array], Array]  # depths (B, C, n_rp) -> building damage fractions

# map_cases codes, per building and case
MODEL = 0  # the built-in model answered
MAP = 1  # a map read as published (today, or an RCP's own scenario at a map year)
MAP_DERIVED = 2  # interpolated between maps (scenario or year)


@dataclass(frozen=True, slots=True)
class MapCurves:
    """Depth curves (m) read from maps for B buildings; NaN where no map covers a building.

    ``today`` (B, n_rp) comes from the historical maps; ``future`` (B, 2, 3, n_rp) from the
    RCP4.5 and RCP8.5 maps (``MAP_CLIMATES``) of 2030, 2050 and 2080 (``MAP_YEARS``).
    ``files`` names the map files read, for the report.
    """

    today: Array
    future: Array
    files: tuple[str, ...]
    source: str = AQUEDUCT_KEY

    def subset(self, idx: IntArray | slice) -> MapCurves:
        return replace(self, today=self.today[idx], future=self.future[idx])


def _driver(kind: Driver, scenario: str | None, year: float) -> float:
    if kind == "warming":
        return PRESENT_WARMING_C if scenario is None else warming(scenario, year)
    return 0.0 if scenario is None else gmsl(scenario, year)


def _blend(lo: Array, hi: Array, w: float) -> Array:
    """``lo`` to ``hi`` by ``w``; at the ends only one side is read (the other may be NaN)."""
    if w <= 0.0:
        return lo
    if w >= 1.0:
        return hi
    result: Array = lo + w * (hi - lo)
    return result


def _at_map_year(maps: MapCurves, scenario: str, y: int, kind: Driver) -> Array:
    """The scenario's curve (B, n_rp) at map year index ``y``."""
    rcp45, rcp85 = maps.future[:, 0, y], maps.future[:, 1, y]
    if scenario == PROXY_SCENARIO["rcp4p5"]:
        return rcp45
    if scenario == PROXY_SCENARIO["rcp8p5"]:
        return rcp85
    year = MAP_YEARS[y]
    x = _driver(kind, scenario, year)
    x0 = _driver(kind, None, year)
    x45 = _driver(kind, PROXY_SCENARIO["rcp4p5"], year)
    x85 = _driver(kind, PROXY_SCENARIO["rcp8p5"], year)
    if x <= x45:
        return _blend(maps.today, rcp45, (x - x0) / (x45 - x0) if x45 > x0 else 1.0)
    return _blend(rcp45, rcp85, (x - x45) / (x85 - x45) if x85 > x45 else 0.0)


def _in_time(points: list[tuple[float, Array]], year: float) -> Array:
    """Linear in time through the points; past the last, the last slope continues (>= 0)."""
    for (y0, a), (y1, b) in pairwise(points):
        if year <= y1:
            return _blend(a, b, (year - y0) / (y1 - y0))
    (y0, a), (y1, b) = points[-2], points[-1]
    result: Array = np.maximum(b + (b - a) * (year - y1) / (y1 - y0), 0.0)
    return result


def depth_by_case(
    maps: MapCurves, cases: CaseGrid, kind: Driver = "warming"
) -> tuple[Array, IntArray]:
    """Depth curves (B, C, n_rp) by case and where they come from (B, C; ``MODEL``/``MAP``/
    ``MAP_DERIVED``). Cases the maps cannot answer hold NaN and ``MODEL``."""
    n, n_rp = maps.today.shape
    depth = np.full((n, cases.size, n_rp), np.nan)
    exact = np.zeros(cases.size, dtype=bool)
    for c in range(cases.size):
        s = int(cases.scenario_index[c])
        year = float(cases.year[c])
        if s < 0:
            depth[:, c] = maps.today
            exact[c] = True
            continue
        scenario = SCENARIOS[s]
        points = [(float(PRESENT_YEAR), maps.today)] + [
            (float(y), _at_map_year(maps, scenario, i, kind)) for i, y in enumerate(MAP_YEARS)
        ]
        depth[:, c] = _in_time(points, year)
        exact[c] = scenario in PROXY_SCENARIO.values() and int(year) in MAP_YEARS
    # A rarer event is never shallower: the maps of each return period are separate rasters.
    depth = np.maximum.accumulate(depth, axis=-1)
    # Today's maps are needed by every case: they set the height of the flood defences.
    has_today = np.asarray(np.isfinite(maps.today).all(axis=-1))
    covered = np.isfinite(depth).all(axis=-1) & has_today[:, None]
    code = np.where(covered, np.where(exact[None, :], MAP, MAP_DERIVED), MODEL)
    return depth, code.astype(np.int64)


def with_maps(
    result: HazardArrays,
    damage_of: DamageOf,
    maps: MapCurves | None,
    cases: CaseGrid,
    protection_rp: Array,
    value_krw: Array,
    kind: Driver,
) -> HazardArrays:
    """``result`` (the built-in model's) with the cases the maps answer replaced.

    ``damage_of(depth)`` is the hazard's building damage for depths (B, C, n_rp).
    """
    if maps is None:
        return result
    depth, code = depth_by_case(maps, cases, kind)
    use = code > MODEL
    if not use.any():
        return replace(result, map_cases=code)
    crest = value_at_rp(np.nan_to_num(maps.today), protection_rp)  # (B,) today's design depth
    over = depth > crest[:, None, None]  # the defence holds its design event (losses.py)
    damage = damage_of(np.where(use[..., None] & over, np.nan_to_num(depth), 0.0))
    assert result.damage is not None
    curve = np.where(use[..., None], damage, result.damage)
    loss = np.where(use, eal_fraction(damage) * value_krw[:, None], result.loss)
    probability = np.where(use, damaging_probability(damage), result.probability)
    intensity = dict(result.intensity)
    old = intensity["depth_100yr_m"]
    intensity["depth_100yr_m"] = replace(
        old, values=np.where(use, np.nan_to_num(depth[..., RP100]), old.values), mapped=True
    )
    # The built-in model's sea-level range does not apply where the maps answered.
    spread = result.loss_range
    if spread is not None:
        spread = (np.where(use, loss, spread[0]), np.where(use, loss, spread[1]))
    return replace(
        result,
        loss_range=spread,
        loss=loss,
        probability=probability,
        damage=curve,
        intensity=intensity,
        map_cases=code,
        map_source=maps.source,
    )
