"""What every hazard is made of: its result arrays and its description for the registry.

A hazard folder (``hazards/<key>/``) builds one :class:`Hazard` from its own pieces: how its
inputs at a site are derived from a :class:`~riskreport.domain.site.SiteBatch`, how intensity and
damage follow by case, its drivers and measures, its names, its override fields and its report
``inputs`` block. :mod:`.registry` lists them; everything else iterates the registry.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import KW_ONLY, dataclass, replace
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import numpy as np

from riskreport.domain.array import Array, IntArray
from riskreport.domain.losses import RETURN_PERIODS

if TYPE_CHECKING:
    from riskreport.domain.cases import CaseGrid
    from riskreport.domain.site import SiteBatch

Kind = Literal["acute", "chronic"]
# A curve given at some return periods, e.g. ((10.0, 0.2), (100.0, 1.1)).
CurvePoints = tuple[tuple[float, float], ...]
OverrideValue = float | CurvePoints
In = TypeVar("In")  # a hazard's inputs dataclass


@dataclass(frozen=True, slots=True)
class Intensity:
    """One intensity measure of a hazard, (B, C), with unit and where its numbers come from."""

    values: Array
    unit: str
    source: str
    provenance: str = "derived"  # "assumption" for regional anchors (user_input when overridden)
    mapped: bool = False  # read from hazard maps in the cases HazardArrays.map_cases marks


@dataclass(frozen=True, slots=True)
class HazardArrays:
    """Results of one hazard for B buildings x C cases.

    ``loss`` is the expected annual loss (acute) or the annual cost (chronic), KRW, (B, C).
    ``damage`` is the damage fraction at each return period (acute only), (B, C, n_rp).
    ``inputs`` is the hazard's own inputs object (its folder's ``inputs.py``) the result used.
    """

    hazard: str
    kind: str
    loss: Array
    probability: Array
    damage: Array | None
    intensity: dict[str, Intensity]
    source: str  # the method's main source key (damage function or impact model)
    inputs: object = None
    # Where hazard maps answered, per building and case: 0 the built-in model, 1 a map as
    # published, 2 interpolated between maps (hazards/flood_maps.py); None: no maps given.
    map_cases: IntArray | None = None
    map_source: str | None = None  # the maps' source key where map_cases has any
    # Low and high ``loss`` where the inputs carry a range (coastal sea level), else None.
    loss_range: tuple[Array, Array] | None = None


@dataclass(frozen=True, slots=True)
class Names:
    """What people call the hazard: page titles (``en``, ``ko``) and words in running text."""

    en: str
    ko: str
    prose_en: str
    prose_ko: str


@dataclass(frozen=True, slots=True)
class Override:
    """One request override of a hazard input: ``analysis_params.overrides.<hazard>.<name>``.

    ``curve`` overrides are given at some return periods and read at the model's; scalars are
    bounded by ``low`` (exclusive when ``low_exclusive``) and ``high``.
    """

    name: str
    field: str  # the attribute of the hazard's inputs object it replaces
    description: str
    _: KW_ONLY
    curve: bool = False
    low: float = 0.0
    high: float = 1000.0
    low_exclusive: bool = False


@dataclass(frozen=True, slots=True)
class Measure:
    """An adaptation measure, keyed by the hazard and one of its drivers (``"*"``: general)."""

    hazard: str
    driver: str
    key: str
    title_en: str
    title_ko: str
    text_en: str
    text_ko: str
    reduces: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "hazard": self.hazard,
            "driver": self.driver,
            "key": self.key,
            "title_en": self.title_en,
            "title_ko": self.title_ko,
            "text_en": self.text_en,
            "text_ko": self.text_ko,
            "reduces": list(self.reduces),
        }


@dataclass(frozen=True, slots=True)
class SiteNote:
    """What the report says when the user did not give ``site.<fact>``, under the key
    ``<prefix>.<fact>``: ``unknown`` when the hazard reads the fact only when given (nothing
    packaged estimates it), ``limit`` when the packaged estimate misses something that can
    change the hazard's result (the reader must know a low result may be the data's gap)."""

    fact: str
    en: str
    ko: str
    prefix: Literal["unknown", "limit"] = "unknown"


# "<hazard>.<input>" or "site.<fact>" -> (provenance, source), where not the default.
Given = Mapping[str, tuple[Any, str]]
ReportBlock = Callable[["SiteBatch", In, Given], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Hazard(Generic[In]):
    """One hazard, complete: see the module docstring. ``In`` is its inputs dataclass."""

    key: str
    kind: Kind
    names: Names
    derive: Callable[[SiteBatch], In]
    model: Callable[[SiteBatch, In, CaseGrid], HazardArrays]
    report_inputs: ReportBlock[In]
    drivers: Callable[[HazardArrays, SiteBatch, In, int], list[str]]
    driver_texts: Mapping[str, tuple[str, str]]
    measures: tuple[Measure, ...]
    intensity_labels: Mapping[str, tuple[str, str]]  # intensity name -> (en, ko)
    overrides: tuple[Override, ...] = ()
    family: str | None = None  # "flood": losses overlap with the family's other members
    # The hazard-map family its inputs take (Aqueduct's "inunriver", "inuncoast"); the inputs
    # dataclass then has a ``maps`` field (hazards/flood_maps.py). None: no maps.
    map_prefix: str | None = None
    # One storm brings wind and flood: the losses of storm hazards are combined per return period
    # (the larger counts), never added (see domain/totals.py).
    storm: bool = False
    # Notes for the site facts it reads only when the user gives them.
    site_notes: tuple[SiteNote, ...] = ()

    def inputs(
        self,
        site: SiteBatch,
        given: Mapping[str, OverrideValue] | None = None,
        maps: object = None,
    ) -> In:
        """The hazard's inputs at the sites: derived, then the maps' (``maps``, where the hazard
        takes maps), then the user's values replacing either: a user's curve replaces the
        maps' curves too (packaged < maps < request)."""
        inputs = self.derive(site)
        user_curve = any(self.override(name).curve for name in given or {})
        if maps is not None and not user_curve:
            if self.map_prefix is None:
                raise ValueError(f"{self.key} takes no hazard maps")
            inputs = replace(inputs, maps=maps)  # type: ignore[type-var]
        if not given:
            return inputs
        changes: dict[str, Array] = {}
        for name, value in given.items():
            ov = self.override(name)
            if isinstance(value, tuple):
                curve = curve_at_return_periods(value)
                changes[ov.field] = np.broadcast_to(curve, (site.size, curve.size)).copy()
            else:
                changes[ov.field] = np.full(site.size, float(value))
        return replace(inputs, **changes)  # type: ignore[type-var]

    def override(self, name: str) -> Override:
        for ov in self.overrides:
            if ov.name == name:
                return ov
        raise KeyError(f"{self.key} has no override {name!r}")

    def run(
        self,
        site: SiteBatch,
        cases: CaseGrid,
        given: Mapping[str, OverrideValue] | None = None,
        maps: object = None,
    ) -> HazardArrays:
        """Inputs, then intensity and damage for every case; the result keeps its inputs."""
        inputs = self.inputs(site, given, maps)
        return replace(self.model(site, inputs, cases), inputs=inputs)

    def driver_keys(self, result: HazardArrays, site: SiteBatch, case: int) -> list[str]:
        """Driver keys of building 0 in ``case``; ``modest_exposure`` when none applies."""
        inputs: In = result.inputs  # type: ignore[assignment]
        return self.drivers(result, site, inputs, case) or ["modest_exposure"]

    def measures_for(self, driver_keys: list[str]) -> list[Measure]:
        """Measures keyed by the given drivers first, then the hazard's general ones."""
        specific = [m for d in driver_keys for m in self.measures if m.driver == d]
        return specific + [m for m in self.measures if m.driver == "*"]


def curve_at_return_periods(points: CurvePoints) -> Array:
    """A user curve given at some return periods, read at the model's, linear in ln(rp).

    >>> curve = curve_at_return_periods(((10.0, 0.0), (100.0, 1.0)))
    >>> curve[RETURN_PERIODS == 100].item(), curve[RETURN_PERIODS == 1000].item()
    (1.0, 1.0)
    """
    rp = np.log(np.array([p[0] for p in points]))
    values = np.array([p[1] for p in points])
    result: Array = np.interp(np.log(RETURN_PERIODS), rp, values)
    return result
