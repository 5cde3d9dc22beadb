"""Coastal flood: still-water level + sea-level rise, over the seawall, onto the ground -> JRC.

Coastal flood changes through relative sea-level rise (AR6 global mean per SSP plus the nearest
gauge's departure [ipcc-ar6-wg1-ch9, grandey-2025-rsl]) added to the still-water level; the 2100
value is scaled to the horizon by the scenario's GMSL(year) / GMSL(2100). The seawall is fixed in
height: its crest is today's design level, overtopped more often as the sea rises. Where hazard
maps cover the site, their depths by scenario and year replace all this but the seawall
(``flood_maps``).

Distance to the sea counts once: the default ground height already rises 10 m per km inland
(``geodata.coast.default_ground_m``), so it is compared with the still-water level as is; a ground
height the user gives is compared with a level that loses 1 m per km over land (assumption; Maemi
flooded Masan more than 700 m inland behind a 2.3 m surge [kang-2005-maemi]).
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.array import Array, IntArray
from riskreport.domain.cases import CaseGrid
from riskreport.domain.hazards.base import HazardArrays, Intensity
from riskreport.domain.hazards.coastal_flood.inputs import KEY, CoastalInputs
from riskreport.domain.hazards.flood_family import JRC, RP100, damage, damage_rows, subset
from riskreport.domain.hazards.flood_maps import with_maps
from riskreport.domain.losses import (
    RETURN_PERIODS,
    damaging_probability,
    eal_fraction,
    value_at_rp,
)
from riskreport.domain.site import SiteBatch

OVERLAND_DECAY_PER_KM = 1.0  # surge loses 1 m per km over land (measured ground only); assumption


def _reached(
    site: SiteBatch, inputs: CoastalInputs, cases: CaseGrid, slr_2100: Array
) -> tuple[IntArray, Array, Array, Array]:
    """The buildings the highest level can reach, their damage curves (Bn, C, n_rp) and
    100-year depths (Bn, C), and the sea-level rise of every building (B, C). The others stay
    dry, so only these are computed (a few per cent of a portfolio)."""
    level_today = inputs.still_water_level_m
    scen = np.maximum(cases.scenario_index, 0)
    slr = slr_2100[:, scen] * cases.slr_fraction[None, :]  # (B, C); 0 at baseline
    measured = np.zeros(site.size) if inputs.ground_measured is None else inputs.ground_measured
    decay = OVERLAND_DECAY_PER_KM * np.maximum(site.coast_km, 0.0) * measured
    reach = site.ground_m + decay
    top = level_today[:, -1] + slr.max(axis=1)
    near = np.flatnonzero(top > reach)
    if not near.size:
        return near, np.zeros((0, cases.size, len(RETURN_PERIODS))), np.zeros((0, cases.size)), slr
    crest = value_at_rp(level_today[near], inputs.protection_rp[near])  # (Bn,)
    # Buildings last: (C, n_rp, Bn), see flood_family.damage.
    level = level_today[near].T[None, :, :] + slr[near].T[:, None, :]
    depth = level - reach[near]
    over = level > crest
    curve = damage_rows(subset(site, near), np.where(over, depth, 0.0)).transpose(2, 0, 1)
    return near, curve, np.maximum(depth[:, RP100, :], 0.0).T, slr


def _eal(site: SiteBatch, near: IntArray, reached: Array) -> Array:
    """Expected annual loss (B, C): that of the reached buildings, 0 for the dry others."""
    eal = np.zeros((site.size, reached.shape[1]))
    eal[near] = eal_fraction(reached) * site.value_krw[near, None]
    return eal


def coastal_flood(site: SiteBatch, inputs: CoastalInputs, cases: CaseGrid) -> HazardArrays:
    return with_maps(
        _built_in(site, inputs, cases),
        lambda depth: damage(site, depth),
        inputs.maps,
        cases,
        inputs.protection_rp,
        site.value_krw,
        "sea_level",
    )


def _built_in(site: SiteBatch, inputs: CoastalInputs, cases: CaseGrid) -> HazardArrays:
    n, c = site.size, cases.size
    near, reached, depth_near, slr = _reached(site, inputs, cases, inputs.slr_2100_m)
    curve = np.zeros((n, c, len(RETURN_PERIODS)))
    depth100 = np.zeros((n, c))
    curve[near] = reached
    depth100[near] = depth_near
    spread = None
    if inputs.slr_2100_low_m is not None and inputs.slr_2100_high_m is not None:
        spread = (
            _eal(site, *_reached(site, inputs, cases, inputs.slr_2100_low_m)[:2]),
            _eal(site, *_reached(site, inputs, cases, inputs.slr_2100_high_m)[:2]),
        )
    return HazardArrays(
        hazard=KEY,
        kind="acute",
        loss=_eal(site, near, reached),
        probability=damaging_probability(curve),
        damage=curve,
        intensity={
            "sea_level_rise_m": Intensity(slr, "m", "grandey-2025-rsl"),
            "depth_100yr_m": Intensity(depth100, "m", "riskreport-assumptions", "assumption"),
            "protection_rp": Intensity(
                np.broadcast_to(inputs.protection_rp[:, None], (n, c)).copy(),
                "years",
                "riskreport-assumptions",
                "assumption",
            ),
        },
        source=JRC,
        loss_range=spread,
    )
