"""The ``inputs`` block of each hazard: today's anchors, with provenance (user overrides too)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from riskreport.domain import regions as r
from riskreport.domain.losses import RETURN_PERIODS
from riskreport.domain.quantity import Provenance, Quantity
from riskreport.domain.scenarios import SCENARIOS
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY

if TYPE_CHECKING:
    from riskreport.domain.report import ReportInputs

_A = Provenance.ASSUMPTION


def hazard_inputs(hazard: str, site: SiteBatch, inputs: ReportInputs) -> dict[str, Any]:
    """Quantities the hazard model started from, for building 0."""

    def one(name: str, value: float, unit: str, src: str, prov: Provenance = _A) -> Any:
        p, s = inputs.input_provenance.get(f"{hazard}.{name}", (prov, src))
        return Quantity(float(value), unit, p, s).as_dict()

    def curve(name: str, values: Any, unit: str, src: str) -> Any:
        p, s = inputs.input_provenance.get(f"{hazard}.{name}", (_A, src))
        return {
            str(int(t)): Quantity(float(v), unit, p, s).as_dict()
            for t, v in zip(RETURN_PERIODS, values, strict=True)
        }

    prov = int(site.province[0])
    if hazard == "heat_wave":
        src = "kma-warnings" if prov in r.HEAT_DAYS_PUBLISHED else ASSUMPTIONS_KEY
        return {"heat_days_today": one("heat_days", site.heat_days[0], "days", src)}
    if hazard == "cold_wave":
        return {"cold_days_today": one("cold_days", site.cold_days[0], "days", ASSUMPTIONS_KEY)}
    if hazard == "wildfire":
        return {
            "fire_probability_today": one(
                "fire_probability", site.fire_probability[0], "1/yr", ASSUMPTIONS_KEY
            ),
            "damage_ratio": one(
                "damage_ratio", 0.7, "fraction", "physrisk-docs", Provenance.PUBLISHED
            ),
        }
    if hazard == "drought":
        return {
            "drought_factor": one("drought_factor", site.drought_factor[0], "x", ASSUMPTIONS_KEY)
        }
    if hazard == "water_stress":
        return {
            "water_stress_today": one(
                "water_stress", site.water_stress[0], "ratio", ASSUMPTIONS_KEY
            )
        }
    if hazard == "coastal_flood":
        return {
            "still_water_level_m": curve(
                "still_water_level_m", site.coastal_level_m[0], "m", ASSUMPTIONS_KEY
            ),
            "protection_rp": one(
                "protection_rp", site.coastal_protection_rp[0], "years", ASSUMPTIONS_KEY
            ),
            "regional_slr_2100_m": {
                s: Quantity(
                    float(site.slr_2100_m[0, i]), "m", Provenance.PUBLISHED, "ipcc-ar6-wg1-ch9"
                ).as_dict()
                for i, s in enumerate(SCENARIOS)
            },
        }
    if hazard == "river_flood":
        return {
            "depth_m": curve("depth_m", site.river_depth_m[0], "m", ASSUMPTIONS_KEY),
            "protection_rp": one(
                "protection_rp", site.river_protection_rp[0], "years", "molit-2016"
            ),
        }
    if hazard == "urban_flood":
        return {
            "depth_m": curve("depth_m", site.urban_depth_m[0], "m", ASSUMPTIONS_KEY),
            "protection_rp": one("protection_rp", site.sewer_rp[0], "years", "molit-2016"),
        }
    if hazard == "typhoon":
        return {
            "wind_10min_ms": curve("wind_10min_ms", site.wind_10min_ms[0], "m/s", ASSUMPTIONS_KEY),
            "v_half_ms": one(
                "v_half_ms",
                site.v_half_ms[0],
                "m/s",
                "emanuel-2011",
                Provenance.PUBLISHED if site.v_half_ms[0] == 74.7 else _A,
            ),
        }
    raise KeyError(hazard)
