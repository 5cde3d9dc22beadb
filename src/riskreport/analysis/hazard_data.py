"""The ``HazardData`` seam: where a building's model inputs come from.

The packaged implementation reads only data shipped in the package (gazetteer, site grid); each
hazard derives its own inputs from the site in its folder. User overrides from the request are
handed on to the model, which replaces those inputs; they are tagged ``user_input`` here.

>>> from riskreport.analysis.request import ReportRequest
>>> a = ReportRequest.model_validate({"target_location": {"lat": 37.5665, "lon": 126.978},
...     "analysis_params": {"overrides": {"heat_wave": {"heat_days": 20}}}}).to_domain()
>>> s = PackagedHazardData().site_inputs(a)
>>> s.overrides["heat_wave"], s.input_provenance["heat_wave.heat_days"][0].value
({'heat_days': 20.0}, 'user_input')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.assessment import Assessment, OverrideValue
from riskreport.domain.building import STRUCTURES, USES
from riskreport.domain.hazards.flood_maps import MapCurves
from riskreport.domain.hazards.registry import REGISTRY
from riskreport.domain.quantity import Provenance, Quantity
from riskreport.domain.site import SiteBatch, site_batch
from riskreport.domain.sources import USER_KEY

if TYPE_CHECKING:
    from riskreport.analysis.maps.folder import MapFolder

_USER = (Provenance.USER_INPUT, USER_KEY)


@dataclass(frozen=True, slots=True)
class SiteInputs:
    site: SiteBatch  # one building
    input_provenance: Mapping[str, tuple[Provenance, str]]
    overridden_hazards: frozenset[str]
    # hazard -> input name -> the user's value, for the model to put in place of its own
    overrides: Mapping[str, Mapping[str, OverrideValue]] = field(default_factory=dict)
    # hazard -> its depth curves from the hazard-map folder (between packaged and overrides)
    maps: Mapping[str, MapCurves] = field(default_factory=dict)


class HazardData(Protocol):
    """Supplies the model inputs of one building."""

    def site_inputs(self, assessment: Assessment) -> SiteInputs: ...


def _one(q: Quantity | None, scale: float = 1.0) -> Array:
    return np.array([np.nan if q is None else q.value * scale])


class PackagedHazardData:
    """Offline inputs from the packaged gazetteer, site grid and regional anchors."""

    def site_inputs(self, assessment: Assessment) -> SiteInputs:
        a = assessment
        b = a.building
        site = site_batch(
            lat=np.array([a.location.lat.value]),
            lon=np.array([a.location.lon.value]),
            muni_code=np.array([a.location.muni_code]),
            structure=np.array([STRUCTURES.index(b.structure_enum)]),
            use=np.array([USES.index(b.use_enum)]),
            year_built=_one(b.year_built),
            floors_above=_one(b.floors_above),
            floors_below=_one(b.floors_below),
            floor_area_m2=_one(b.floor_area_m2),
            first_floor_m=_one(b.first_floor_height_m),
            piloti=np.array([1.0 if b.has_piloti.value == "true" else 0.0]),
            barrier_m=_one(b.flood_barrier_height_m),
            replacement_krw=_one(a.asset.replacement_value_krw),
            # Estimated contents stay out of the value at risk (the site estimates them apart).
            contents_krw=_one(a.asset.contents_value_krw if a.asset.contents_given else None),
            revenue_krw=_one(a.asset.annual_revenue_krw),
            insured_fraction=_one(a.asset.insured_fraction),
            coast_km=_one(b.distance_to_coast_m, 0.001),
            ground_m=_one(b.ground_elevation_m),
            river_m=_one(b.distance_to_river_m),
            forest_m=_one(b.distance_to_forest_m),
        )
        provenance: dict[str, tuple[Provenance, str]] = {}
        for name in (
            "ground_elevation_m",
            "distance_to_river_m",
            "distance_to_coast_m",
            "distance_to_forest_m",
        ):
            if getattr(b, name) is not None:
                provenance[f"site.{name}"] = _USER
        for hazard, values in a.overrides.items():
            for name in values:
                provenance[f"{hazard}.{name}"] = _USER
        overridden = frozenset(h for h, v in a.overrides.items() if v)
        return SiteInputs(site, provenance, overridden, a.overrides)


class MapHazardData:
    """Packaged inputs, with flood depth curves from a folder of hazard maps where they cover
    the site (request overrides still win: the model applies them last). Use::

        data = MapHazardData(MapFolder.scan(Path("maps")))
        compute(request, hazard_data=data)      # or hazard_data_for("maps")
    """

    def __init__(self, folder: MapFolder) -> None:
        self.folder = folder
        self.packaged = PackagedHazardData()

    def site_inputs(self, assessment: Assessment) -> SiteInputs:
        inputs = self.packaged.site_inputs(assessment)
        maps = self.curves(inputs.site.lat, inputs.site.lon, assessment.hazards)
        return replace(inputs, maps=maps)

    def curves(self, lat: Array, lon: Array, hazards: Sequence[str]) -> dict[str, MapCurves]:
        """Map depth curves at the points for each of ``hazards`` that takes maps and has some
        in the folder (vectorised: one windowed read per map file)."""
        maps: dict[str, MapCurves] = {}
        for hazard in REGISTRY:
            if hazard.map_prefix is None or hazard.key not in hazards:
                continue
            curves = self.folder.curves(hazard.map_prefix, lat, lon)
            if curves is not None:
                maps[hazard.key] = curves
        return maps


def hazard_data_for(maps_folder: str | Path | None) -> HazardData:
    """The hazard data of a configuration: packaged, or with the maps of ``maps_folder``.

    The folder is scanned once per process (restart the service after adding maps;
    ``riskreport.analysis.maps`` needs the ``maps`` extra, imported only here).
    """
    if not maps_folder:
        return PackagedHazardData()
    return _with_maps(str(Path(maps_folder).resolve()))


@cache
def _with_maps(path: str) -> MapHazardData:
    from riskreport.analysis.maps.folder import MapFolder
    from riskreport.analysis.maps.raster import rasterio_module

    rasterio_module()  # fail at once, naming the extra, if rasterio is missing
    return MapHazardData(MapFolder.scan(Path(path)))
