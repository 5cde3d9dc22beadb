"""Typhoon inputs at a site: today's 10-minute wind curve and the half-damage wind.

- Wind: the T-year 10-minute wind at 10 m from the Gumbel fits of ``typhoon_wind.npz``, derived
  from the JTWC best tracks 1977-2021 [jtwc-best-track] (method, check values and limits in
  ``docs/data/typhoon.md``; read by :mod:`riskreport.domain.geodata.typhoon`). Provenance:
  derived.
- Half-damage wind of the Emanuel function: 135.6 m/s, Eberenz et al. (2021)'s calibration for
  the North-West Pacific region (WP4, RMSF-optimal) [eberenz-2021], used as printed for every
  structure. That calibration is regional, against reported losses of whole economies; no
  publication gives its spread by structure type, so none is applied (a user may override the
  value for a particular building). Provenance: published.

>>> import numpy as np
>>> from riskreport.domain.site import site_batch
>>> i = derive(site_batch(lat=np.array([33.2533]), lon=np.array([126.5597])))
>>> from riskreport.domain.losses import RETURN_PERIODS
>>> float(i.v_half_ms[0]), i.wind_10min_ms.shape == (1, RETURN_PERIODS.size)
(135.6, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.damage import V_HALF_WP4_RMSF
from riskreport.domain.geodata.typhoon import WIND_SOURCE, wind_10min_ms
from riskreport.domain.hazards.base import Given, Override
from riskreport.domain.hazards.block import InputBlock
from riskreport.domain.losses import RETURN_PERIODS
from riskreport.domain.quantity import Provenance
from riskreport.domain.site import SiteBatch

KEY = "typhoon"
V_HALF_SOURCE = "eberenz-2021"
OVERRIDES = (
    Override("wind_10min_ms", "wind_10min_ms", "10-min wind by RP, m/s", curve=True),
    Override(
        "v_half_ms",
        "v_half_ms",
        "Half-damage 1-minute wind, m/s",
        low=26.0,
        high=300.0,
        low_exclusive=True,
    ),
)


@dataclass(frozen=True, slots=True)
class TyphoonInputs:
    wind_10min_ms: Array  # (B, n_rp)
    v_half_ms: Array  # (B,)


def derive(site: SiteBatch) -> TyphoonInputs:
    wind = wind_10min_ms(site.lat, site.lon, RETURN_PERIODS)
    return TyphoonInputs(wind, np.full(site.size, V_HALF_WP4_RMSF))


def report_block(site: SiteBatch, inputs: TyphoonInputs, given: Given) -> dict[str, Any]:
    b = InputBlock(KEY, given)
    curve = {
        str(int(t)): b.one("wind_10min_ms", v, "m/s", WIND_SOURCE, Provenance.DERIVED)
        for t, v in zip(RETURN_PERIODS, inputs.wind_10min_ms[0], strict=True)
    }
    return {
        "wind_10min_ms": curve,
        "v_half_ms": b.one(
            "v_half_ms", inputs.v_half_ms[0], "m/s", V_HALF_SOURCE, Provenance.PUBLISHED
        ),
    }
