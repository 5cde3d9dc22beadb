"""Wildfire inputs at a site: the annual probability that a fire reaches the building today.

Three factors, each tagged in the report:

- the landscape's annual burn probability from satellite fire detections (VIIRS type 0,
  2020-2023, Gaussian kernel sigma 10 km) calibrated on the Korea Forest Service's burnt area
  [nasa-firms, kfs-wildfire-stats] (``docs/data/wildfire.md``): derived;
- the distance to forest, *only where the user gives it*: no land-cover data is packaged, so
  without it the building takes the landscape's value. Given, a point in the forest burns
  1 / FOREST_SHARE times as often as the landscape (fires burn forest, about 63 % of the land),
  and the chance falls as exp(-d / 150 m) away from it (assumption);
- a susceptibility by structure (assumption): wood and EPS-cored sandwich panels burn, concrete
  does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.geodata.wildfire import annual_burn_probability
from riskreport.domain.hazards.base import Given, Override, SiteNote
from riskreport.domain.hazards.block import InputBlock
from riskreport.domain.quantity import Provenance
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY

KEY = "wildfire"
FIRE_DAMAGE_RATIO = 0.7  # damage given a fire, share of value [physrisk-docs]
FOREST_DECAY_M = 150.0  # assumption
FOREST_SHARE = 0.63  # forest share of South Korea's land (KFS forest statistics); assumption
# Twice the national mean burn probability 2020-2023 (0.084 %/yr of land, docs/data/wildfire.md).
FIRE_PRONE_PROBABILITY = 0.0017
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
# Nothing estimates the distance to forest, so the report shows none it did not use, and says
# what wildfire did instead.
NO_FOREST_DISTANCE = SiteNote(
    "distance_to_forest_m",
    "The distance to forest was not given, and no land-cover data is packaged to estimate it: "
    "wildfire takes the burn probability of the surrounding landscape (forest factor 1). Give "
    "distance_to_forest_m to refine it: a building at the forest edge burns more often than its "
    "landscape, one several hundred metres from any forest far less (docs/model.md).",
    "산림까지 거리가 입력되지 않았고 이를 추정할 토지피복 자료도 없어, 산불은 주변 경관의 연소 "
    "확률을 그대로 사용했습니다(산림 계수 1). distance_to_forest_m을 입력하면 보정됩니다. 산림 "
    "가장자리의 건물은 경관 평균보다 자주, 산림에서 수백 m 떨어진 건물은 훨씬 드물게 불에 "
    "노출됩니다(docs/model.md).",
)


@dataclass(frozen=True, slots=True)
class FireInputs:
    fire_probability: Array  # (B,) annual, at this building, today
    landscape_probability: Array  # (B,) annual burn probability of the surrounding landscape
    forest_factor: Array  # (B,) 1 where the distance to forest is unknown
    structure_factor: Array  # (B,)


def given_forest_m(site: SiteBatch) -> Array:
    """The distance to forest where the user gave it, NaN where the batch holds its default."""
    result: Array = np.where(site.forest_given > 0, site.forest_m, np.nan)
    return result


def derive(site: SiteBatch) -> FireInputs:
    landscape = annual_burn_probability(site.lat, site.lon)
    d = given_forest_m(site)
    forest = np.where(
        np.isnan(d), 1.0, np.exp(-np.maximum(np.nan_to_num(d), 0.0) / FOREST_DECAY_M) / FOREST_SHARE
    )
    structure = FIRE_STRUCTURE[site.structure]
    return FireInputs(landscape * forest * structure, landscape, forest, structure)


def report_block(site: SiteBatch, inputs: FireInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    d, a = Provenance.DERIVED, Provenance.ASSUMPTION
    return {
        "fire_probability_today": b.one(
            "fire_probability", inputs.fire_probability[0], "1/yr", "nasa-firms", d
        ),
        "landscape_burn_probability": b.one(
            "landscape_burn_probability",
            inputs.landscape_probability[0],
            "1/yr",
            "kfs-wildfire-stats",
            d,
        ),
        # 1 without the user's distance to forest (the landscape's value), else made of it.
        "forest_factor": b.from_site(
            "distance_to_forest_m", inputs.forest_factor[0], "x", ASSUMPTIONS_KEY
        ),
        "structure_factor": b.one(
            "structure_factor", inputs.structure_factor[0], "x", ASSUMPTIONS_KEY, a
        ),
        "damage_ratio": b.one(
            "damage_ratio", FIRE_DAMAGE_RATIO, "fraction", "physrisk-docs", Provenance.PUBLISHED
        ),
    }
