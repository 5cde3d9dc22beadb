"""The one list of hazards: the model, report, narrative, request schema and web page iterate it.

Adding a hazard is its folder (``hazards/<key>/`` building a :class:`~.base.Hazard`) plus one
line in ``REGISTRY`` below.

>>> HAZARDS[0], len(HAZARDS), REGISTRY.get("typhoon").kind
('heat_wave', 9, 'acute')
>>> FLOOD_FAMILY
('coastal_flood', 'river_flood', 'urban_flood')
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from riskreport.domain.hazards import (
    coastal_flood,
    cold_wave,
    drought,
    heat_wave,
    river_flood,
    typhoon,
    urban_flood,
    water_stress,
    wildfire,
)
from riskreport.domain.hazards.base import Hazard

GENERAL_DRIVER_TEXTS: dict[str, tuple[str, str]] = {
    "modest_exposure": ("Little exposure at this site.", "이 위치에서는 노출이 크지 않습니다."),
}


@dataclass(frozen=True, slots=True)
class Registry:
    """An ordered set of hazards; the order is the report's order."""

    hazards: tuple[Hazard[Any], ...]

    def __post_init__(self) -> None:
        keys = [h.key for h in self.hazards]
        if len(set(keys)) != len(keys):
            raise ValueError(f"hazard keys repeat: {keys}")

    def __iter__(self) -> Iterator[Hazard[Any]]:
        return iter(self.hazards)

    def __contains__(self, key: object) -> bool:
        return any(h.key == key for h in self.hazards)

    def get(self, key: str) -> Hazard[Any]:
        for h in self.hazards:
            if h.key == key:
                return h
        raise KeyError(f"unknown hazard {key!r}")

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(h.key for h in self.hazards)

    @property
    def acute(self) -> frozenset[str]:
        return frozenset(h.key for h in self.hazards if h.kind == "acute")

    def family(self, name: str) -> tuple[str, ...]:
        """Members of a family (e.g. ``"flood"``), in the registry's order."""
        return tuple(h.key for h in self.hazards if h.family == name)

    @property
    def storm(self) -> tuple[str, ...]:
        """Hazards one storm brings together (wind and the flood family)."""
        return tuple(h.key for h in self.hazards if h.storm)

    def with_hazard(self, hazard: Hazard[Any]) -> Registry:
        """A registry with one more hazard (at the end): how a test or an extension adds one."""
        return Registry((*self.hazards, hazard))

    def driver_texts(self) -> Mapping[str, tuple[str, str]]:
        """Every driver key's (English, Korean) sentence, over all hazards."""
        out = dict(GENERAL_DRIVER_TEXTS)
        for h in self.hazards:
            for key, text in h.driver_texts.items():
                if out.setdefault(key, text) != text:
                    raise ValueError(f"driver {key!r} has two texts ({h.key})")
        return out

    def intensity_labels(self, language: str) -> dict[str, str]:
        """Every intensity measure's label in ``language`` ("en" or "ko"), over all hazards."""
        pick = 0 if language == "en" else 1
        return {k: v[pick] for h in self.hazards for k, v in h.intensity_labels.items()}


REGISTRY = Registry(
    (
        heat_wave.HAZARD,
        cold_wave.HAZARD,
        wildfire.HAZARD,
        drought.HAZARD,
        water_stress.HAZARD,
        coastal_flood.HAZARD,
        river_flood.HAZARD,
        urban_flood.HAZARD,
        typhoon.HAZARD,
    )
)
HAZARDS: tuple[str, ...] = REGISTRY.keys
ACUTE: frozenset[str] = REGISTRY.acute
FLOOD_FAMILY: tuple[str, ...] = REGISTRY.family("flood")
