"""Per-building model inputs as arrays: building facts, site facts and hazard anchor curves.

One :class:`SiteBatch` holds B buildings; the single-building report uses B = 1, the portfolio
path B = many, through the same code. Unknown site facts are NaN on input and are estimated here.

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
from riskreport.domain.damage import JRC_CLASSES, V_HALF_DEFAULT, storey_shares
from riskreport.domain.gazetteer import load_gazetteer
from riskreport.domain.losses import RETURN_PERIODS, log_rp_curve
from riskreport.domain.scenarios import regional_slr_2100
from riskreport.domain.site_grid import lookup

# Emanuel half-damage wind by structure (STRUCTURES order). 74.7 m/s is the published global
# default [emanuel-2011]; the spread around it by structure is an assumption.
V_HALF_BY_STRUCTURE = np.array([84.0, 80.0, V_HALF_DEFAULT, 66.0, 62.0, 60.0])
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
    """Model inputs for B buildings; shapes (B,) unless noted."""

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
    # site
    coast_km: Array
    ground_m: Array
    river_m: Array
    forest_m: Array
    # hazard anchors
    river_depth_m: Array  # (B, n_rp) unprotected flood depth at the site
    river_protection_rp: Array
    urban_depth_m: Array  # (B, n_rp)
    sewer_rp: Array
    coastal_level_m: Array  # (B, n_rp) still-water level above MSL
    coastal_protection_rp: Array
    slr_2100_m: Array  # (B, 4) regional relative sea level in 2100 by scenario
    wind_10min_ms: Array  # (B, n_rp)
    v_half_ms: Array
    heat_days: Array
    cold_days: Array
    fire_probability: Array  # annual, at this building, today
    water_stress: Array
    drought_factor: Array

    @property
    def value_krw(self) -> Array:
        result: Array = self.replacement_krw + self.contents_krw
        return result

    @property
    def size(self) -> int:
        return int(self.lat.shape[0])


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
    grid_km, grid_code = lookup(lat, lon)
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
    coast = _fill(coast_km, grid_km)
    seg = r.coast_segment(lat, lon)
    coast_pos = np.maximum(coast, 0.0)
    ground = _fill(
        ground_m,
        np.minimum(r.WATERFRONT_GROUND_M[seg] + r.GROUND_RISE_PER_KM * coast_pos, 150.0),
    )
    river = _fill(river_m, np.full(n, r.RIVER_DISTANCE_M))
    forest = _fill(forest_m, r.FOREST_DISTANCE_M[urban])
    east = r.in_group(code, r.GANGWON_EAST)
    cold_inland = r.in_group(code, r.GANGWON_COLD_INLAND)
    gb_fire = r.in_group(code, r.GYEONGBUK_FIRE)
    # Sea breezes moderate heat (and cold) near the coast (assumption).
    heat = r.HEAT_DAYS[province] * (0.5 + 0.5 * (1.0 - np.exp(-coast_pos / 5.0)))
    cold_base = np.where(
        east > 0,
        r.COLD_DAYS_GANGWON_EAST,
        np.where(cold_inland > 0, r.COLD_DAYS_GANGWON_COLD_INLAND, r.COLD_DAYS[province]),
    )
    cold = cold_base * (0.4 + 0.6 * (1.0 - np.exp(-coast_pos / 10.0)))
    fire_base = np.where(
        east > 0,
        r.FIRE_PROBABILITY_GANGWON_EAST,
        np.where(gb_fire > 0, r.FIRE_PROBABILITY_GYEONGBUK_FIRE, r.FIRE_PROBABILITY[province]),
    )
    fire = fire_base * np.exp(-np.maximum(forest, 0.0) / r.FOREST_DECAY_M) * FIRE_STRUCTURE[st]
    wind100 = r.WIND_INLAND[province] + (r.WIND_COAST[province] - r.WIND_INLAND[province]) * np.exp(
        -coast_pos / r.WIND_COAST_DECAY_KM
    )
    wind = wind100[:, None] * (1.0 + r.WIND_GUMBEL_SLOPE * np.log(RETURN_PERIODS / 100.0))
    river_h100 = RIVER_DEPTH_AT_BANK_M * np.exp(-np.maximum(river, 0.0) / RIVER_DECAY_M)
    urban_h100 = URBAN_DEPTH_BASE_M + URBAN_DEPTH_PER_IMPERVIOUS_M * r.IMPERVIOUS[urban]
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
        revenue_krw=_fill(revenue_krw, repl * USE_REVENUE[us]),
        insured_fraction=_fill(insured_fraction, np.zeros(n)),
        coast_km=coast,
        ground_m=ground,
        river_m=river,
        forest_m=forest,
        river_depth_m=np.maximum(_gumbel_from_zero(river_h100), 0.0),
        river_protection_rp=r.RIVER_RP[urban],
        urban_depth_m=np.maximum(
            urban_h100[:, None] * np.log(RETURN_PERIODS / 5.0) / np.log(20.0), 0.0
        ),
        sewer_rp=r.SEWER_RP[urban],
        coastal_level_m=log_rp_curve(r.SWL_2[seg], r.SWL_100[seg]),
        coastal_protection_rp=r.COAST_RP[urban],
        slr_2100_m=regional_slr_2100(lat, lon),
        wind_10min_ms=wind,
        v_half_ms=V_HALF_BY_STRUCTURE[st],
        heat_days=heat,
        cold_days=cold,
        fire_probability=fire,
        water_stress=np.where(east > 0, r.WATER_STRESS_GANGWON_EAST, r.WATER_STRESS[province]),
        drought_factor=np.where(
            east > 0, r.DROUGHT_FACTOR_GANGWON_EAST, r.DROUGHT_FACTOR[province]
        ),
    )


# River flood depth at the bank for the 100-year event, decaying with distance (assumption).
RIVER_DEPTH_AT_BANK_M = 2.5
RIVER_DECAY_M = 300.0
# Pluvial flood depth at an average site for the 100-year rain, by imperviousness (assumption).
URBAN_DEPTH_BASE_M = 0.05
URBAN_DEPTH_PER_IMPERVIOUS_M = 0.2
# Wildfire susceptibility by structure (STRUCTURES order; assumption): wood and EPS-cored sandwich
# panels burn, concrete does not.
FIRE_STRUCTURE = np.array([0.6, 0.8, 0.8, 1.5, 1.1, 1.4])


def _gumbel_from_zero(h100: Array) -> Array:
    """Depth 0 at the 2-year (bankfull) event, h100 at 100 years, linear in ln(rp)."""
    return log_rp_curve(np.zeros_like(h100), h100)
