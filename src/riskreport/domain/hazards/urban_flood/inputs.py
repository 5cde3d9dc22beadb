"""Urban (pluvial) flood inputs at a site: extreme daily rain against the sewer design rain.

- Daily rain by return period from the packaged rainfall table: ERA5 city maxima scaled to the
  Seoul station's level, Gumbel per city by the index-flood method, interpolated by distance
  [open-meteo-era5, kma-asos-108, hosking-wallis-1997] (``docs/data/rainfall.md``): derived.
- The sewer takes the daily rain of its design return period (by urban class [molit-2016,
  verify]); sewers are designed on hourly rain of that period, so reading the daily rain of the
  same period as their capacity is an assumption.
- Depth at the building from the rain the sewer cannot take: excess (mm) x runoff coefficient
  (the impervious share of the urban class) x ``POND_FACTOR`` (the ratio of the area draining to
  a low spot to the spot's own area, so excess water stands that many times deeper). Both are
  assumptions; ``docs/data/rainfall.md`` shows the loss's sensitivity to ``POND_FACTOR``.
- A user's depth curve (override ``depth_m``) replaces the rain-derived depths.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from riskreport.domain import regions as r
from riskreport.domain.array import Array
from riskreport.domain.geodata.rainfall import gumbel_mm, gumbel_value
from riskreport.domain.hazards.base import Given, Override
from riskreport.domain.hazards.block import InputBlock
from riskreport.domain.losses import RETURN_PERIODS
from riskreport.domain.quantity import Provenance, Quantity
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY

KEY = "urban_flood"
SEWER_RP = np.array([30.0, 20.0, 10.0, 10.0])  # sewer design return period [molit-2016, verify]
POND_FACTOR = 2.0  # depth per unit of excess runoff at an average site; assumption
OVERRIDES = (
    Override("depth_m", "depth_m", "Flood depth at the site by RP, m", curve=True),
    Override(
        "protection_rp", "protection_rp", "Sewer design return period", low=1.0, high=100_000.0
    ),
)


@dataclass(frozen=True, slots=True)
class UrbanInputs:
    rain_loc_mm: Array  # (B,) Gumbel location of the annual maximum daily rain
    rain_scale_mm: Array  # (B,) Gumbel scale
    runoff: Array  # (B,) runoff coefficient (impervious share)
    protection_rp: Array  # (B,) sewer design return period
    depth_m: Array  # (B, n_rp) the user's depth curve; NaN where the rain sets the depth


def rain_mm(inputs: UrbanInputs) -> Array:
    """(B, n_rp) daily rain at the model's return periods."""
    return gumbel_value(
        inputs.rain_loc_mm[:, None], inputs.rain_scale_mm[:, None], RETURN_PERIODS[None, :]
    )


def design_rain_mm(inputs: UrbanInputs) -> Array:
    """(B,) the daily rain the sewer is taken to carry: its design return period's."""
    return gumbel_value(
        inputs.rain_loc_mm, inputs.rain_scale_mm, np.maximum(inputs.protection_rp, 1.0 + 1e-9)
    )


def depth_curve(inputs: UrbanInputs) -> Array:
    """(B, n_rp) unprotected depth at the site: the user's curve, else the excess rain's."""
    excess_mm = np.maximum(rain_mm(inputs) - design_rain_mm(inputs)[:, None], 0.0)
    from_rain = excess_mm * (inputs.runoff * POND_FACTOR / 1000.0)[:, None]
    result: Array = np.where(np.isnan(inputs.depth_m), from_rain, inputs.depth_m)
    return result


def derive(site: SiteBatch) -> UrbanInputs:
    loc, scale = gumbel_mm(site.lat, site.lon)
    return UrbanInputs(
        rain_loc_mm=loc,
        rain_scale_mm=scale,
        runoff=r.IMPERVIOUS[site.urban_class],
        protection_rp=SEWER_RP[site.urban_class],
        depth_m=np.full((site.size, RETURN_PERIODS.size), np.nan),
    )


def report_block(site: SiteBatch, inputs: UrbanInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    rain = rain_mm(inputs)[0]
    d = Provenance.DERIVED
    return {
        "daily_rain_mm": {
            str(int(t)): Quantity(float(v), "mm", d, "open-meteo-era5").as_dict()
            for t, v in zip(RETURN_PERIODS, rain, strict=True)
        },
        "design_rain_mm": b.one(
            "design_rain_mm", design_rain_mm(inputs)[0], "mm", "kma-asos-108", d
        ),
        "protection_rp": b.one("protection_rp", inputs.protection_rp[0], "years", "molit-2016"),
        "runoff_coefficient": b.one("runoff_coefficient", inputs.runoff[0], "x", ASSUMPTIONS_KEY),
        "pond_factor": b.one("pond_factor", POND_FACTOR, "x", ASSUMPTIONS_KEY),
        "depth_m": b.curve("depth_m", depth_curve(inputs)[0], "m", ASSUMPTIONS_KEY),
    }
