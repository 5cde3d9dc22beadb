"""Typhoon wind where the building stands, and how warming changes it (no extrapolation).

**Today's wind.** ``typhoon_wind.npz`` (made by ``scripts/data/typhoon.py`` from the JTWC best
tracks 1977-2021 [jtwc-best-track]; Holland 2008 profile [holland-2008], coast reduction
[kaplan-demaria-1995], 10-minute = 0.88 x 1-minute [wmo-harper-2010]) holds a Gumbel location
``mu`` and scale ``beta`` per 0.25-degree cell, fitted by L-moments [hosking-1990]. The T-year
10-minute wind is ``mu - beta ln(-ln(1 - 1/T))``, from parameters sampled bilinearly at the point;
points off the grid (32.5-39.5 N, 123.5-132.5 E) take the nearest edge. Provenance: derived.

    >>> w = wind_10min_ms(np.array([37.5665]), np.array([126.978]), np.array([10.0, 100.0]))
    >>> w.shape, bool(w[0, 1] > w[0, 0])
    ((1, 2), True)

**Intensity with warming.** Knutson et al. (2020) as tabulated by CLIMADA for the western North
Pacific [knutson-2020-climada]: median intensity change vs 1982-2022 of +2.9 % (RCP4.5) and
+4.0 % (RCP8.5) by 2050, +4.4 % and +10.7 % by 2100. Choices (provenance derived):

- each published point is placed at the global warming of its scenario and period from AR6
  Table SPM.1 [ipcc-ar6-wg1-spm-t1] (``scenarios.py``): RCP4.5 ~ SSP2-4.5 and RCP8.5 ~
  SSP5-8.5; "2050" = 2041-2060 (+2.0 C, +2.4 C), "2100" = 2081-2100 (+2.7 C, +4.4 C);
- the 1982-2022 baseline is taken as today's +0.85 C (the model's 1995-2014 present; 1982-2022
  is centred within a decade of it), where the change is 0;
- between points the change is linear in warming (the four points rise with warming, so
  one curve serves every scenario); below +0.85 C it is 0;
- above +4.4 C it stays at +10.7 %, the largest published point: **capped, not extrapolated**.

    >>> intensity_change(np.array([0.85, 2.0, 4.4, 6.0])).round(3).tolist()
    [0.0, 0.029, 0.107, 0.107]

**Storm frequency with warming.** Knutson et al. (2020): all-storm frequency in the western
North Pacific -10.3 % at +2 C [knutson-2020] (median). Linear from 0 at today's +0.85 C to
-10.3 % at +2.0 C (the scaling the model uses for Knutson's +2 C figures), and held at -10.3 %
above +2 C: capped at the published point, not extrapolated. Provenance: derived.

    >>> frequency_change(np.array([0.85, 2.0, 4.9])).round(3).tolist()
    [0.0, -0.103, -0.103]
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.array import Array
from riskreport.domain.geodata.grid import load_grid
from riskreport.domain.scenarios import KNUTSON_FREQUENCY_2C, PRESENT_WARMING_C, warming

TABLE = "typhoon_wind.npz"
WIND_SOURCE = "jtwc-best-track"
INTENSITY_SOURCE = "knutson-2020-climada"
FREQUENCY_SOURCE = "knutson-2020"

# Published intensity changes (fraction) by (scenario used for warming, period midpoint year)
# [knutson-2020-climada]; the warming of each comes from AR6 Table SPM.1 via scenarios.warming.
_KNUTSON_CLIMADA_POINTS: tuple[tuple[str, int, float], ...] = (
    ("SSP2-4.5", 2050, 0.029),
    ("SSP5-8.5", 2050, 0.040),
    ("SSP2-4.5", 2090, 0.044),
    ("SSP5-8.5", 2090, 0.107),
)
# KNUTSON_FREQUENCY_2C (-0.103) is published at +2 C above 1850-1900 [knutson-2020].
KNUTSON_FREQUENCY_WARMING_C = 2.0


def _intensity_table() -> tuple[Array, Array]:
    pts = sorted((warming(s, y), c) for s, y, c in _KNUTSON_CLIMADA_POINTS)
    w = np.array([PRESENT_WARMING_C] + [p[0] for p in pts])
    c = np.array([0.0] + [p[1] for p in pts])
    # The curve must rise with warming, else "one curve for every scenario" would be false.
    if np.any(np.diff(w) <= 0.0) or np.any(np.diff(c) < 0.0):
        raise ValueError(f"Knutson/CLIMADA points do not rise with warming: {w} -> {c}")
    return w, c


_INTENSITY_WARMING_C, _INTENSITY_CHANGE = _intensity_table()
MAX_PUBLISHED_WARMING_C = float(_INTENSITY_WARMING_C[-1])


def intensity_change(warming_c: Array) -> Array:
    """Fractional change of typhoon wind intensity vs today; 0 at or below +0.85 C, capped above."""
    w = np.asarray(warming_c, dtype=np.float64)
    # np.interp holds the end values outside the table: 0 below today, +10.7 % above +4.4 C.
    out: Array = np.interp(w, _INTENSITY_WARMING_C, _INTENSITY_CHANGE)
    return out


def frequency_change(warming_c: Array) -> Array:
    """Fractional change of storm frequency vs today; 0 at or below +0.85 C, capped above +2 C."""
    w = np.asarray(warming_c, dtype=np.float64)
    out: Array = np.interp(
        w, [PRESENT_WARMING_C, KNUTSON_FREQUENCY_WARMING_C], [0.0, KNUTSON_FREQUENCY_2C]
    )
    return out


def gumbel_quantile(mu: Array, beta: Array, return_periods: Array) -> Array:
    """T-year values of Gumbel(mu, beta) for each row: shape (len(mu), len(return_periods)).

    >>> gumbel_quantile(np.array([10.0]), np.array([2.0]), np.array([100.0])).round(2).tolist()
    [[19.2]]
    """
    t = np.asarray(return_periods, dtype=np.float64)
    if np.any(t <= 1.0):
        raise ValueError("return periods must exceed 1 year")
    y = -np.log(-np.log1p(-1.0 / t))
    out: Array = mu[:, None] + beta[:, None] * y[None, :]
    return out


def wind_10min_ms(lat: Array, lon: Array, return_periods: Array) -> Array:
    """Today's T-year 10-minute typhoon wind (m/s) at the points, shape (B, n_rp)."""
    grid = load_grid(TABLE)
    mu = grid.sample("gumbel_mu_ms", lat, lon)
    beta = grid.sample("gumbel_beta_ms", lat, lon)
    return gumbel_quantile(mu, beta, return_periods)
