"""Many buildings at once: columnar inputs -> arrays over buildings x hazards x cases.

The same hazard functions as the single report, on B buildings in one pass of numpy.

>>> import numpy as np
>>> r = assess_portfolio(portfolio_site({"lat": np.array([37.56, 35.16]),
...                                      "lon": np.array([126.98, 129.16])}),
...                      ("SSP5-8.5",), (2050,))
>>> r.loss.shape, r.cases[0]
((2, 9, 2), ('baseline', 'baseline'))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt

from riskreport.domain.array import Array
from riskreport.domain.building import STRUCTURES, USES, Structure, Use
from riskreport.domain.cases import case_grid
from riskreport.domain.hazards.flood_maps import MapCurves
from riskreport.domain.hazards.registry import ACUTE, HAZARDS
from riskreport.domain.losses import REPORTED_INDEX, eal_fraction
from riskreport.domain.model import run
from riskreport.domain.scores import acute_score, chronic_score
from riskreport.domain.site import SiteBatch, site_batch
from riskreport.domain.totals import total_losses

_RP100 = REPORTED_INDEX[2]
NUMERIC_COLUMNS = (
    "year_built",
    "floors_above",
    "floors_below",
    "floor_area_m2",
    "first_floor_m",
    "piloti",
    "barrier_m",
    "replacement_krw",
    "contents_krw",
    "revenue_krw",
    "insured_fraction",
    "coast_km",
    "ground_m",
    "river_m",
    "forest_m",
)


@dataclass(frozen=True, slots=True)
class PortfolioResult:
    """Arrays over B buildings, H hazards and C cases (case 0 is today's baseline).

    ``loss``: expected annual loss (acute) or annual cost (chronic), KRW, (B, H, C).
    ``score``: 1-5 by the report's rule, (B, H, C). ``flood_family_eal`` and ``total_eal``
    (acute; the flood family counted once and one storm's wind and flood once, see
    ``domain/totals.py``) and ``total_annual_cost`` (chronic) are (B, C).
    ``located`` (B,): False for a building that could not be placed in South Korea (the single
    report refuses it); its losses and totals are NaN and its scores 0.
    """

    hazards: tuple[str, ...]
    cases: tuple[tuple[str, str | int], ...]
    value_krw: Array
    revenue_krw: Array
    loss: Array
    score: npt.NDArray[np.int8]
    flood_family_eal: Array
    total_eal: Array
    total_annual_cost: Array
    located: npt.NDArray[np.bool_]

    def to_records(self) -> list[dict[str, Any]]:
        """One compact dict per building: scores and losses by hazard and case label."""
        labels = [f"{s}:{h}" for s, h in self.cases]
        out: list[dict[str, Any]] = []
        for b in range(self.loss.shape[0]):
            if not self.located[b]:
                out.append({"located": False, "value_krw": float(self.value_krw[b])})
                continue
            out.append(
                {
                    "located": True,
                    "value_krw": float(self.value_krw[b]),
                    "max_score": int(self.score[b].max()),
                    "total_eal": dict(zip(labels, self.total_eal[b].tolist(), strict=True)),
                    "hazards": {
                        h: {
                            "loss": dict(zip(labels, self.loss[b, i].tolist(), strict=True)),
                            "score": dict(zip(labels, self.score[b, i].tolist(), strict=True)),
                        }
                        for i, h in enumerate(self.hazards)
                    },
                }
            )
        return out


def _codes(values: Any, members: Sequence[str], enum: type[Structure] | type[Use]) -> Any:
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        return arr.astype(np.int64)
    lookup = {m: i for i, m in enumerate(members)}
    return np.array([lookup[enum(v).value] for v in arr.tolist()], dtype=np.int64)


def portfolio_site(columns: Mapping[str, Any]) -> SiteBatch:
    """A :class:`SiteBatch` from columns: ``lat``, ``lon`` (required), ``structure`` and ``use``
    (names or indices), ``muni_code`` and any of ``NUMERIC_COLUMNS`` (NaN = unknown)."""
    unknown = set(columns) - {"lat", "lon", "structure", "use", "muni_code", *NUMERIC_COLUMNS}
    if unknown:
        raise KeyError(f"unknown portfolio columns: {sorted(unknown)}")
    lat = np.asarray(columns["lat"], dtype=np.float64)
    kwargs: dict[str, Any] = {
        k: np.asarray(columns[k], dtype=np.float64) for k in NUMERIC_COLUMNS if k in columns
    }
    if "structure" in columns:
        kwargs["structure"] = _codes(columns["structure"], [s.value for s in STRUCTURES], Structure)
    if "use" in columns:
        kwargs["use"] = _codes(columns["use"], [u.value for u in USES], Use)
    if "muni_code" in columns:
        kwargs["muni_code"] = np.asarray(columns["muni_code"], dtype=np.int64)
    return site_batch(lat=lat, lon=np.asarray(columns["lon"], dtype=np.float64), **kwargs)


CHUNK = 4096  # buildings per pass: keeps every temporary small enough to stay in cache


def _chunk(site: SiteBatch, part: slice) -> SiteBatch:
    return SiteBatch(**{f.name: getattr(site, f.name)[part] for f in fields(SiteBatch)})


def assess_portfolio(
    site: SiteBatch,
    scenarios: Sequence[str],
    horizons: Sequence[int],
    hazards: Sequence[str] = HAZARDS,
    chunk: int = CHUNK,
    maps: Mapping[str, MapCurves] | None = None,
) -> PortfolioResult:
    """Every hazard for every building and case, vectorized, in chunks of ``chunk`` buildings.

    Chunking bounds the peak memory (B x C x return periods per acute hazard) and lets numpy
    reuse the same buffers, which is faster than one pass over 100,000 buildings. ``maps``
    gives hazards their depth curves from hazard maps (B buildings each), as in a report.
    """
    cases = case_grid(scenarios, horizons)
    n, h, c = site.size, len(hazards), cases.size
    loss = np.empty((n, h, c))
    score = np.empty((n, h, c), dtype=np.int8)
    family = np.zeros((n, c))
    acute = np.empty((n, c))
    chronic = np.empty((n, c))
    for start in range(0, n, chunk):
        part = slice(start, min(start + chunk, n))
        sub = _chunk(site, part)
        given = {k: m.subset(part) for k, m in (maps or {}).items()}
        results = run(sub, cases, hazards, maps=given)
        value, revenue = sub.value_krw, sub.revenue_krw
        for i, key in enumerate(hazards):
            r = results[key]
            loss[part, i] = r.loss
            if key in ACUTE:
                assert r.damage is not None
                score[part, i] = acute_score(
                    r.damage[:, :, _RP100] * 100.0, r.loss / value[:, None] * 100.0
                )
            else:
                score[part, i] = chronic_score(r.loss / np.maximum(revenue, 1.0)[:, None] * 100.0)
        totals = total_losses(results, value)
        if totals.family_curve is not None:
            family[part] = eal_fraction(totals.family_curve) * value[:, None]
        acute[part] = totals.acute_eal
        chronic[part] = totals.chronic_cost
    return PortfolioResult(
        hazards=tuple(hazards),
        cases=cases.labels,
        value_krw=site.value_krw,
        revenue_krw=site.revenue_krw,
        loss=loss,
        score=score,
        flood_family_eal=family,
        total_eal=acute,
        total_annual_cost=chronic,
        located=np.ones(n, dtype=np.bool_),
    )


def with_unlocated(part: PortfolioResult, located: npt.NDArray[np.bool_]) -> PortfolioResult:
    """``part`` (the located buildings, in order) spread over all buildings: the others get NaN
    losses and totals, score 0 and ``located`` False, so row i stays building i."""
    n = located.shape[0]

    def spread(a: npt.NDArray[Any], fill: float, dtype: Any = np.float64) -> Any:
        out = np.full((n, *a.shape[1:]), fill, dtype=dtype)
        out[located] = a
        return out

    return PortfolioResult(
        hazards=part.hazards,
        cases=part.cases,
        value_krw=spread(part.value_krw, np.nan),
        revenue_krw=spread(part.revenue_krw, np.nan),
        loss=spread(part.loss, np.nan),
        score=spread(part.score, 0, np.int8),
        flood_family_eal=spread(part.flood_family_eal, np.nan),
        total_eal=spread(part.total_eal, np.nan),
        total_annual_cost=spread(part.total_annual_cost, np.nan),
        located=located.copy(),
    )
