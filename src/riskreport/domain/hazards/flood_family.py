"""Machinery shared by the flood family (river, urban and coastal flood).

Building damage from depth curves (JRC functions with the building's floors, basement, first floor
and barriers), rain-driven floods behind their protection, and the drivers the members share. The
family's combined curve is in :mod:`riskreport.domain.totals`.
River and urban floods change with warming through the frequency of heavy 1-day rain
(Figure SPM.6 [ipcc-ar6-wg1-spm-f6]): the future T-year flood is today's (T x m)-year flood.
Protection (levee, sewer) holds below its design event.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from riskreport.domain.array import Array, IntArray
from riskreport.domain.cases import CaseGrid
from riskreport.domain.damage import building_flood_damage
from riskreport.domain.hazards.base import HazardArrays, Intensity
from riskreport.domain.losses import (
    RETURN_PERIODS,
    below_protection,
    damaging_probability,
    eal_fraction,
    frequency_shift,
    interp_weights,
)
from riskreport.domain.scenarios import frequency_multiplier
from riskreport.domain.site import SiteBatch

FAMILY = "flood"
JRC = "jrc-huizinga-2017"
RP100 = int(np.flatnonzero(RETURN_PERIODS == 100)[0])
# The members' keys, for measures that reduce all three.
MEMBERS = ("urban_flood", "river_flood", "coastal_flood")
# The intensities every member reports, in the same words (English, Korean).
INTENSITY_LABELS: dict[str, tuple[str, str]] = {
    "depth_100yr_m": (
        "100-year flood depth without defences",
        "100년 빈도 침수 깊이(방재시설 없을 때)",
    ),
    # The defence holds what it was built for: today's climate's level of that period.
    "protection_rp": (
        "flood defence standard (today's climate)",
        "방재시설 설계 빈도(현재 기후 기준)",
    ),
}


def damage(site: SiteBatch, depth: Array) -> Array:
    """Building damage for depths shaped (B, ...), computed buildings-last.

    With buildings on the last axis every per-building array broadcasts along long contiguous
    rows; the other way round numpy loops over short rows of return periods, several times slower.
    """
    rows = np.ascontiguousarray(depth.reshape(depth.shape[0], -1).T)  # (K, B)
    return damage_rows(site, rows).T.reshape(depth.shape)


def damage_rows(site: SiteBatch, rows: Array) -> Array:
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


def subset(site: SiteBatch, idx: IntArray) -> SiteBatch:
    """The few per-building fields :func:`damage` reads, for a subset of buildings."""
    return replace(
        site,
        jrc=site.jrc[idx],
        first_floor_m=site.first_floor_m[idx],
        piloti=site.piloti[idx],
        barrier_m=site.barrier_m[idx],
        share_above=site.share_above[idx],
        share_basement=site.share_basement[idx],
    )


def rain_driven(
    hazard: str, site: SiteBatch, cases: CaseGrid, depth: Array, protection: Array
) -> HazardArrays:
    """A flood fed by heavy rain: today's depth curve behind its protection, shifted by m."""
    m = frequency_multiplier("precip10", cases.warming_c)
    protected = depth * (1.0 - below_protection(protection))
    base = damage(site, protected)  # (B, n_rp), today
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
        source=JRC,
    )


# Drivers every member of the family may name.
DRIVER_TEXTS: dict[str, tuple[str, str]] = {
    "basement": (
        "The basement floods as soon as water tops the entrance sill.",
        "물이 출입구 턱을 넘으면 지하층이 바로 잠깁니다.",
    ),
    "heavier_rain": (
        "Heavy rain becomes more frequent with warming.",
        "온난화로 집중호우가 잦아집니다.",
    ),
    "low_first_floor": ("The first floor is close to the ground.", "1층 바닥이 지면과 가깝습니다."),
}


def basement_driver(h: HazardArrays, s: SiteBatch, c: int) -> list[str]:
    return ["basement"] if s.floors_below[0] > 0 and h.loss[0, c] > 0 else []


def rain_tail_drivers(h: HazardArrays, s: SiteBatch, c: int) -> list[str]:
    """``low_first_floor`` and ``heavier_rain``, the last drivers of river and urban flood."""
    low = s.first_floor_m[0] < 0.5 and s.piloti[0] == 0 and h.loss[0, c] > 0
    out = ["low_first_floor"] if low else []
    out += ["heavier_rain"] if h.intensity["frequency_multiplier"].values[0, c] > 1.1 else []
    return out
