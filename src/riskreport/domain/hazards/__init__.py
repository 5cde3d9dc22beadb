"""The nine hazards: each turns a :class:`SiteBatch` and a :class:`CaseGrid` into arrays.

>>> HAZARDS[0], len(HAZARDS)
('heat_wave', 9)
"""

from __future__ import annotations

from dataclasses import dataclass

from riskreport.domain.array import Array

HAZARDS: tuple[str, ...] = (
    "heat_wave",
    "cold_wave",
    "wildfire",
    "drought",
    "water_stress",
    "coastal_flood",
    "river_flood",
    "urban_flood",
    "typhoon",
)
ACUTE: frozenset[str] = frozenset(
    {"wildfire", "coastal_flood", "river_flood", "urban_flood", "typhoon"}
)
FLOOD_FAMILY: tuple[str, ...] = ("river_flood", "urban_flood", "coastal_flood")


@dataclass(frozen=True, slots=True)
class Intensity:
    """One intensity measure of a hazard, (B, C), with unit and where its numbers come from."""

    values: Array
    unit: str
    source: str
    provenance: str = "derived"  # "assumption" for regional anchors (user_input when overridden)


@dataclass(frozen=True, slots=True)
class HazardArrays:
    """Results of one hazard for B buildings x C cases.

    ``loss`` is the expected annual loss (acute) or the annual cost (chronic), KRW, (B, C).
    ``damage`` is the damage fraction at each return period (acute only), (B, C, n_rp).
    """

    hazard: str
    kind: str
    loss: Array
    probability: Array
    damage: Array | None
    intensity: dict[str, Intensity]
    source: str  # the method's main source key (damage function or impact model)
