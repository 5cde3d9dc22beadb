"""Wildfire inputs at a site: the annual probability that a fire reaches the building today.

A regional anchor at the forest edge (by province, with Gangwon's east and North Gyeongsang's
fire-prone east apart), decaying with the distance to forest, times a susceptibility by structure
(all assumption).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from riskreport.domain import regions as r
from riskreport.domain.array import Array
from riskreport.domain.hazards.base import Given, Override
from riskreport.domain.hazards.block import InputBlock
from riskreport.domain.quantity import Provenance
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY

KEY = "wildfire"
FIRE_DAMAGE_RATIO = 0.7  # damage given a fire, share of value [physrisk-docs]
# Annual probability that a wildfire reaches a building at the forest edge; assumption.
FIRE_PROBABILITY = r.by_province(
    {
        r.GANGWON: 0.003,
        r.GYEONGBUK: 0.002,
        r.GYEONGNAM: 0.0015,
        r.JEONNAM: 0.0015,
        r.CHUNGBUK: 0.0015,
        r.CHUNGNAM: 0.0015,
        r.JEONBUK: 0.0012,
        r.GYEONGGI: 0.0012,
        r.JEJU: 0.0005,
    },
    0.0008,
)
FIRE_PROBABILITY_GANGWON_EAST = 0.006
FIRE_PROBABILITY_GYEONGBUK_FIRE = 0.005
FOREST_DECAY_M = 150.0
# Susceptibility by structure (STRUCTURES order; assumption): wood and EPS-cored sandwich
# panels burn, concrete does not.
FIRE_STRUCTURE = np.array([0.6, 0.8, 0.8, 1.5, 1.1, 1.4])
OVERRIDES = (
    Override(
        "fire_probability",
        "fire_probability",
        "Annual probability that a fire reaches the building today",
        high=1.0,
    ),
)


@dataclass(frozen=True, slots=True)
class FireInputs:
    fire_probability: Array  # (B,) annual, at this building, today


def in_fire_group(site: SiteBatch) -> Array:
    """1.0 where the municipality is in a group of large spring fires, else 0.0."""
    result: Array = r.in_group(site.muni_code, r.GANGWON_EAST + r.GYEONGBUK_FIRE)
    return result


def derive(site: SiteBatch) -> FireInputs:
    east = r.in_group(site.muni_code, r.GANGWON_EAST)
    gb_fire = r.in_group(site.muni_code, r.GYEONGBUK_FIRE)
    base = np.where(
        east > 0,
        FIRE_PROBABILITY_GANGWON_EAST,
        np.where(gb_fire > 0, FIRE_PROBABILITY_GYEONGBUK_FIRE, FIRE_PROBABILITY[site.province]),
    )
    decay = np.exp(-np.maximum(site.forest_m, 0.0) / FOREST_DECAY_M)
    return FireInputs(base * decay * FIRE_STRUCTURE[site.structure])


def report_block(site: SiteBatch, inputs: FireInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    return {
        "fire_probability_today": b.one(
            "fire_probability", inputs.fire_probability[0], "1/yr", ASSUMPTIONS_KEY
        ),
        "damage_ratio": b.one(
            "damage_ratio", FIRE_DAMAGE_RATIO, "fraction", "physrisk-docs", Provenance.PUBLISHED
        ),
    }
