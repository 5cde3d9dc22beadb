"""Cold-wave inputs at a site: cold days (daily minimum of at most -12 C) a year today.

Read from the packaged climate table like heat days (``docs/data/climate.md``; KMA cold-wave
advisory threshold [kma-warnings]) at the same ground elevation: the user's where given, else
the ETOPO5 low ground. Inland basins are colder on still nights than the lapse rate says, so
their counts are low (documented there).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskreport.domain.array import Array
from riskreport.domain.geodata.climate import SOURCE, cold_days
from riskreport.domain.hazards.base import Given, Override
from riskreport.domain.hazards.block import InputBlock
from riskreport.domain.hazards.seasonal_days import site_elevation_m
from riskreport.domain.quantity import Provenance
from riskreport.domain.site import SiteBatch

KEY = "cold_wave"
OVERRIDES = (Override("cold_days", "cold_days", "Cold days a year today", high=90.0),)


@dataclass(frozen=True, slots=True)
class ColdInputs:
    cold_days: Array  # (B,) days a year today (1995-2014 climate)
    elevation_m: Array  # (B,) the ground elevation the days were read at


def derive(site: SiteBatch) -> ColdInputs:
    z = site_elevation_m(site)
    return ColdInputs(cold_days(site.lat, site.lon, z), z)


def report_block(site: SiteBatch, inputs: ColdInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    return {
        "cold_days_today": b.one(
            "cold_days", inputs.cold_days[0], "days", SOURCE, Provenance.DERIVED
        ),
        # The user's ground elevation, or the ETOPO5 low ground (an assumption).
        "ground_elevation_m": b.from_site(
            "ground_elevation_m", inputs.elevation_m[0], "m", "etopo5"
        ),
    }
