"""Heat-wave inputs at a site: heat days (daily maximum of at least 33 C) a year today.

Read from the packaged climate table (``docs/data/climate.md``): ERA5 city series moved onto the
Seoul station's 1995-2014 climate [open-meteo-era5, kma-asos-108], interpolated by distance and
counted at the site's ground elevation with a 6.5 C/km lapse rate [us-standard-atmosphere-1976].
The ground elevation is the user's where given, else the low ground of the ETOPO5 cells around
the site [etopo5] (assumption).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskreport.domain.array import Array
from riskreport.domain.geodata.climate import SOURCE, heat_days
from riskreport.domain.hazards.base import Given, Override
from riskreport.domain.hazards.block import InputBlock
from riskreport.domain.hazards.seasonal_days import site_elevation_m
from riskreport.domain.quantity import Provenance
from riskreport.domain.site import SiteBatch

KEY = "heat_wave"
OVERRIDES = (Override("heat_days", "heat_days", "Heat days a year today", high=92.0),)


@dataclass(frozen=True, slots=True)
class HeatInputs:
    heat_days: Array  # (B,) days a year today (1995-2014 climate)
    elevation_m: Array  # (B,) the ground elevation the days were read at


def derive(site: SiteBatch) -> HeatInputs:
    z = site_elevation_m(site)
    return HeatInputs(heat_days(site.lat, site.lon, z), z)


def report_block(site: SiteBatch, inputs: HeatInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    return {
        "heat_days_today": b.one(
            "heat_days", inputs.heat_days[0], "days", SOURCE, Provenance.DERIVED
        ),
        # The user's ground elevation, or the ETOPO5 low ground (an assumption).
        "ground_elevation_m": b.from_site(
            "ground_elevation_m", inputs.elevation_m[0], "m", "etopo5"
        ),
    }
