"""Totals over hazards: the flood family once, one storm's wind and flood once, chronic apart.

River, urban and coastal floods at one building overlap (one water level, one basement), and a
typhoon brings its wind and its flood in the same event. Adding their expected annual losses
would count one storm several times, so at each return period the largest damage fraction of the
flood family counts, and the storm total takes the larger of that and the typhoon's (a lower
bound on the joint loss; the upper bound, the sum, is what the report avoids). Other acute
hazards (wildfire) add; chronic costs are summed apart.

>>> import numpy as np
>>> from riskreport.domain.cases import case_grid
>>> from riskreport.domain.model import run
>>> from riskreport.domain.site import site_batch
>>> site = site_batch(lat=np.array([35.16]), lon=np.array([129.16]))
>>> t = total_losses(run(site, case_grid(("SSP5-8.5",), (2100,))), site.value_krw)
>>> bool(np.all(t.acute_eal <= t.sum_of_acute_eal))
True
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.hazards.base import HazardArrays
from riskreport.domain.hazards.flood_family import FAMILY
from riskreport.domain.hazards.registry import REGISTRY, Registry
from riskreport.domain.losses import eal_fraction


@dataclass(frozen=True, slots=True)
class TotalLosses:
    """Totals for B buildings x C cases (KRW); curves are damage fractions (B, C, n_rp)."""

    family_curve: Array | None  # the flood family, None without a flood hazard
    storm_curve: Array | None  # flood family and typhoon combined, None without either
    acute_eal: Array  # storm combined once, plus the other acute hazards
    sum_of_acute_eal: Array  # what adding every acute hazard would give (for comparison)
    chronic_cost: Array


def largest_damage(results: list[HazardArrays]) -> Array | None:
    """The largest damage fraction at each return period over ``results`` (acute ones).

    None when none of them has a damage curve.
    """
    return _maximum([r.damage for r in results if r.damage is not None])


def _maximum(curves: list[Array]) -> Array | None:
    if not curves:
        return None
    if len(curves) == 1:
        return curves[0].copy()
    # The first maximum makes the result (no copy pass), the others fold into it in place.
    out: Array = np.maximum(curves[0], curves[1])
    for curve in curves[2:]:
        np.maximum(out, curve, out=out)
    return out


def total_losses(
    results: Mapping[str, HazardArrays], value_krw: Array, registry: Registry = REGISTRY
) -> TotalLosses:
    """Totals of the hazards in ``results``; ``value_krw`` (B,) is what fractions apply to."""
    first = next(iter(results.values()))
    zeros = np.zeros_like(first.loss)
    acute = [k for k in results if k in registry.acute]
    family_keys = [k for k in registry.family(FAMILY) if k in results]
    storm_keys = [k for k in registry.storm if k in results]
    family = largest_damage([results[k] for k in family_keys])
    # The larger of the flood family and the typhoon is the largest over all of them; when the
    # whole family is in the storm, its maximum is taken once, not again member by member.
    if family is not None and set(family_keys) <= set(storm_keys):
        wind = [results[k].damage for k in storm_keys if k not in family_keys]
        storm = _maximum([family, *(d for d in wind if d is not None)])
    else:
        storm = largest_damage([results[k] for k in storm_keys])
    storm_eal = eal_fraction(storm) * value_krw[:, None] if storm is not None else zeros
    rest = [k for k in acute if k not in registry.storm]
    acute_eal = storm_eal + sum((results[k].loss for k in rest), zeros)
    chronic = sum((results[k].loss for k in results if k not in registry.acute), zeros)
    return TotalLosses(
        family_curve=family,
        storm_curve=storm,
        acute_eal=acute_eal,
        sum_of_acute_eal=sum((results[k].loss for k in acute), zeros),
        chronic_cost=chronic,
    )
