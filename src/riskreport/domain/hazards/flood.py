"""River, urban (pluvial) and coastal flood: depth curves -> protection -> JRC damage.

River and urban floods change with warming through the frequency of heavy 1-day rain
(Figure SPM.6 [ipcc-ar6-wg1-spm-f6]): the future T-year flood is today's (T x m)-year flood.
Coastal flood changes through regional sea-level rise [ipcc-ar6-wg1-ch9] added to the still-water
level. Protection (levee, sewer, seawall) holds below its design event: fixed in height, so the
levee or seawall crest is today's design level and is overtopped more often as levels rise.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from riskreport.domain.array import Array, IntArray
from riskreport.domain.cases import CaseGrid
from riskreport.domain.damage import building_flood_damage
from riskreport.domain.hazards import HazardArrays, Intensity
from riskreport.domain.losses import (
    RETURN_PERIODS,
    below_protection,
    damaging_probability,
    eal_fraction,
    frequency_shift,
    interp_weights,
    value_at_rp,
)
from riskreport.domain.regions import OVERLAND_DECAY_PER_KM
from riskreport.domain.scenarios import frequency_multiplier
from riskreport.domain.site import SiteBatch

_RP100 = int(np.flatnonzero(RETURN_PERIODS == 100)[0])
_JRC = "jrc-huizinga-2017"


def _damage(site: SiteBatch, depth: Array) -> Array:
    """Building damage for depths shaped (B, ...), computed buildings-last.

    With buildings on the last axis every per-building array broadcasts along long contiguous
    rows; the other way round numpy loops over rows of 9 return periods, several times slower.
    """
    rows = np.ascontiguousarray(depth.reshape(depth.shape[0], -1).T)  # (K, B)
    return _damage_rows(site, rows).T.reshape(depth.shape)


def _damage_rows(site: SiteBatch, rows: Array) -> Array:
    """Building damage for depths laid out (..., B)."""
    return building_flood_damage(
        rows,
        site.jrc,
        site.first_floor_m,
        site.piloti,
        site.barrier_m,
        site.share_above,
        site.share_basement,
    )


def _rain_driven(
    hazard: str, site: SiteBatch, cases: CaseGrid, depth: Array, protection: Array
) -> HazardArrays:
    m = frequency_multiplier("precip10", cases.warming_c)
    protected = depth * (1.0 - below_protection(protection))
    base = _damage(site, protected)  # (B, n_rp), today
    curve = frequency_shift(base, m)
    # Damaging events become m times as frequent (the same as reading the shifted curve, at a
    # fraction of the cost): rate of today's most frequent damaging event x m, at most 0.5.
    probability = np.minimum(damaging_probability(base)[:, None] * m[None, :], 0.5)
    depth100 = depth @ interp_weights(100.0 * m)  # today's (100 x m)-year depth, (B, C)
    return HazardArrays(
        hazard=hazard,
        kind="acute",
        loss=eal_fraction(curve) * site.value_krw[:, None],
        probability=probability,
        damage=curve,
        intensity={
            "depth_100yr_m": Intensity(depth100, "m", "riskreport-assumptions", "assumption"),
            "protection_rp": Intensity(
                np.broadcast_to(protection[:, None], curve.shape[:2]).copy(),
                "years",
                "molit-2016",
            ),
            "frequency_multiplier": Intensity(
                np.broadcast_to(m[None, :], curve.shape[:2]).copy(), "x", "ipcc-ar6-wg1-spm-f6"
            ),
        },
        source=_JRC,
    )


def river_flood(site: SiteBatch, cases: CaseGrid) -> HazardArrays:
    return _rain_driven("river_flood", site, cases, site.river_depth_m, site.river_protection_rp)


def urban_flood(site: SiteBatch, cases: CaseGrid) -> HazardArrays:
    return _rain_driven("urban_flood", site, cases, site.urban_depth_m, site.sewer_rp)


def coastal_flood(site: SiteBatch, cases: CaseGrid) -> HazardArrays:
    n, c = site.size, cases.size
    scen = np.maximum(cases.scenario_index, 0)
    slr = site.slr_2100_m[:, scen] * cases.slr_fraction[None, :]  # (B, C); 0 at baseline
    crest = value_at_rp(site.coastal_level_m, site.coastal_protection_rp)  # (B,)
    curve = np.zeros((n, c, len(RETURN_PERIODS)))
    depth100 = np.zeros((n, c))
    # Only buildings the highest level can reach are computed: the others stay dry (and fast).
    reach = site.ground_m + OVERLAND_DECAY_PER_KM * np.maximum(site.coast_km, 0.0)
    top = site.coastal_level_m[:, -1] + slr.max(axis=1)
    near = np.flatnonzero(top > reach)
    if near.size:
        # Buildings last: (C, n_rp, Bn), see _damage.
        level = site.coastal_level_m[near].T[None, :, :] + slr[near].T[:, None, :]
        inland = site.ground_m[near] + OVERLAND_DECAY_PER_KM * np.maximum(site.coast_km[near], 0.0)
        depth = level - inland
        over = level > crest[near]
        sub = _subset(site, near)
        curve[near] = _damage_rows(sub, np.where(over, depth, 0.0)).transpose(2, 0, 1)
        depth100[near] = np.maximum(depth[:, _RP100, :], 0.0).T
    return HazardArrays(
        hazard="coastal_flood",
        kind="acute",
        loss=eal_fraction(curve) * site.value_krw[:, None],
        probability=damaging_probability(curve),
        damage=curve,
        intensity={
            "sea_level_rise_m": Intensity(slr, "m", "ipcc-ar6-wg1-ch9"),
            "depth_100yr_m": Intensity(depth100, "m", "riskreport-assumptions", "assumption"),
            "protection_rp": Intensity(
                np.broadcast_to(site.coastal_protection_rp[:, None], (n, c)).copy(),
                "years",
                "riskreport-assumptions",
                "assumption",
            ),
        },
        source=_JRC,
    )


def _subset(site: SiteBatch, idx: IntArray) -> SiteBatch:
    """The few per-building fields ``_damage`` reads, for a subset of buildings."""
    return replace(
        site,
        jrc=site.jrc[idx],
        first_floor_m=site.first_floor_m[idx],
        piloti=site.piloti[idx],
        barrier_m=site.barrier_m[idx],
        share_above=site.share_above[idx],
        share_basement=site.share_basement[idx],
    )


def flood_family(*floods: HazardArrays) -> Array:
    """Damage curve of the flood family: the largest of the given floods at each return period.

    River, urban and coastal floods at one building overlap (one water level, one basement), so
    their losses are not added: the worst source at each return period counts once.
    """
    curves = [f.damage for f in floods if f.damage is not None]
    result: Array = curves[0].copy()
    for curve in curves[1:]:
        np.maximum(result, curve, out=result)
    return result
