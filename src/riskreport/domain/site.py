"""Per-building model inputs as arrays: building and asset facts, and the site's geography.

One :class:`SiteBatch` holds B buildings; the single-building report uses B = 1, the portfolio
path B = many, through the same code. Unknown site facts are NaN on input and are estimated here.
Each hazard derives its own inputs from a batch in its folder (``hazards/<key>/inputs.py``).

>>> import numpy as np
>>> s = site_batch(lat=np.array([37.5663]), lon=np.array([126.9779]))
>>> int(s.muni_code[0]), int(s.urban_class[0])
(11020, 0)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from riskreport.domain import regions as r
from riskreport.domain.array import Array, IntArray
from riskreport.domain.building import (
    CONTENTS_SHARE,
    DEFAULT_FLOORS_ABOVE,
    DEFAULT_FOOTPRINT_M2,
    REVENUE_SHARE,
    STRUCTURES,
    USES,
    cost_per_m2_krw,
    jrc_class,
)
from riskreport.domain.damage import JRC_CLASSES, storey_shares
from riskreport.domain.gazetteer import load_gazetteer
from riskreport.domain.geodata.coast import (
    default_ground_at,
    distance_to_coast_m,
    nearest_station,
)
from riskreport.domain.geodata.rivers import distance_to_river_m
from riskreport.domain.site_grid import lookup

USE_JRC_CLASS = np.array([JRC_CLASSES.index(jrc_class(u)) for u in USES])
USE_COST_M2 = np.array([cost_per_m2_krw(u) for u in USES])
USE_CONTENTS = np.array([CONTENTS_SHARE[u] for u in USES])
USE_REVENUE = np.array([REVENUE_SHARE[u] for u in USES])
STRUCTURE_FLOORS = np.array([DEFAULT_FLOORS_ABOVE[s] for s in STRUCTURES])
STRUCTURE_FOOTPRINT = np.array([DEFAULT_FOOTPRINT_M2[s] for s in STRUCTURES])


@cache
def _muni_tables() -> tuple[IntArray, IntArray]:
    """Province and urban class for every municipality code (arrays indexed by code)."""
    province = np.zeros(40000, dtype=np.int64)
    urban = np.full(40000, 2, dtype=np.int64)
    for m in load_gazetteer().municipalities:
        code, prov = int(m.code), int(m.parent_code)
        province[code] = prov
        if m.name_ko.endswith("구"):
            urban[code] = 0 if prov == r.SEOUL else 1
        elif m.name_ko.endswith("군"):
            urban[code] = 3
    return province, urban


@dataclass(frozen=True, slots=True)
class SiteBatch:
    """Model inputs for B buildings; shapes (B,)."""

    lat: Array
    lon: Array
    muni_code: IntArray
    province: IntArray
    urban_class: IntArray
    # building
    structure: IntArray  # index into STRUCTURES
    use: IntArray  # index into USES
    jrc: IntArray  # JRC class index
    year_built: Array
    floors_above: Array
    floors_below: Array
    floor_area_m2: Array
    first_floor_m: Array
    piloti: Array  # 0.0 / 1.0
    barrier_m: Array
    share_above: Array
    share_basement: Array
    replacement_krw: Array
    contents_krw: Array
    revenue_krw: Array
    insured_fraction: Array
    contents_given: Array  # 1.0 where the user gave the contents value (then it is at risk)
    # site geography
    coast_km: Array
    ground_m: Array
    ground_given: Array  # 1.0 where the user gave the ground elevation (else a coastal default)
    river_m: Array
    forest_m: Array
    forest_given: Array  # 1.0 where the user gave the distance to forest (else a default)
    station: IntArray  # nearest still-water station (geodata/coast.py), looked up once

    @property
    def value_krw(self) -> Array:
        """What damage fractions apply to: the building, and the contents only where given."""
        result: Array = self.replacement_krw + self.contents_krw * self.contents_given
        return result

    @property
    def size(self) -> int:
        return int(self.lat.shape[0])


def _given(values: Array | None, n: int) -> Array:
    """1.0 where the caller gave a value (not None, not NaN), else 0.0."""
    if values is None:
        return np.zeros(n)
    result: Array = (~np.isnan(values)).astype(np.float64)
    return result


def _fill(given: Array | None, default: Array) -> Array:
    if given is None:
        return default
    return np.where(np.isnan(given), default, given)


def site_batch(
    *,
    lat: Array,
    lon: Array,
    muni_code: IntArray | None = None,
    structure: IntArray | None = None,
    use: IntArray | None = None,
    year_built: Array | None = None,
    floors_above: Array | None = None,
    floors_below: Array | None = None,
    floor_area_m2: Array | None = None,
    first_floor_m: Array | None = None,
    piloti: Array | None = None,
    barrier_m: Array | None = None,
    replacement_krw: Array | None = None,
    contents_krw: Array | None = None,
    revenue_krw: Array | None = None,
    insured_fraction: Array | None = None,
    coast_km: Array | None = None,
    ground_m: Array | None = None,
    river_m: Array | None = None,
    forest_m: Array | None = None,
) -> SiteBatch:
    """Build the model inputs; NaN (or None) means unknown and takes the documented default."""
    n = lat.shape[0]
    _, grid_code = lookup(lat, lon)
    code = grid_code if muni_code is None else np.where(muni_code > 0, muni_code, grid_code)
    prov_table, urban_table = _muni_tables()
    province, urban = prov_table[code], urban_table[code]
    st = np.zeros(n, dtype=np.int64) if structure is None else structure
    us = np.zeros(n, dtype=np.int64) if use is None else use
    fa = _fill(floors_above, STRUCTURE_FLOORS[st])
    fb = _fill(floors_below, np.where((st == 0) & (fa >= 5), 1.0, 0.0))
    area = _fill(floor_area_m2, fa * STRUCTURE_FOOTPRINT[st])
    repl = _fill(replacement_krw, area * USE_COST_M2[us])
    share_above, share_basement = storey_shares(fa, fb)
    # Distances from the GSHHG shoreline (tidal estuaries cut) and the WDBII rivers
    # [gshhg-2.3.6]; docs/data/coast.md, docs/data/rivers.md.
    coast = _fill(coast_km, distance_to_coast_m(lat, lon) / 1000.0)
    station, _ = nearest_station(lat, lon)
    ground = _fill(ground_m, default_ground_at(station, coast))
    return SiteBatch(
        lat=lat,
        lon=lon,
        muni_code=code,
        province=province,
        urban_class=urban,
        structure=st,
        use=us,
        jrc=USE_JRC_CLASS[us],
        year_built=_fill(year_built, np.full(n, 2000.0)),
        floors_above=fa,
        floors_below=fb,
        floor_area_m2=area,
        first_floor_m=_fill(first_floor_m, np.full(n, 0.3)),
        piloti=_fill(piloti, np.zeros(n)),
        barrier_m=_fill(barrier_m, np.zeros(n)),
        share_above=share_above,
        share_basement=share_basement,
        replacement_krw=repl,
        contents_krw=_fill(contents_krw, repl * USE_CONTENTS[us]),
        contents_given=_given(contents_krw, n),
        # A revenue of 0 counts as unknown, as in building.make_asset (which says why).
        revenue_krw=_fill(
            None if revenue_krw is None else np.where(revenue_krw > 0, revenue_krw, np.nan),
            repl * USE_REVENUE[us],
        ),
        insured_fraction=_fill(insured_fraction, np.zeros(n)),
        coast_km=coast,
        ground_m=ground,
        ground_given=_given(ground_m, n),
        river_m=_fill(river_m, distance_to_river_m(lat, lon)),
        # No default: no land-cover data is packaged, so an unknown distance stays NaN and
        # wildfire takes the landscape's burn probability (hazards/wildfire/inputs.py).
        forest_m=np.full(n, np.nan) if forest_m is None else forest_m,
        forest_given=_given(forest_m, n),
        station=station,
    )
