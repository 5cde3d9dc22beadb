"""Exceedance curves to losses: return periods, protection, frequency shifts and EAL.

Acute hazards give a damage fraction at each return period of ``RETURN_PERIODS``; the expected
annual loss is the trapezoid integral of damage over the annual exceedance probability.

>>> import numpy as np
>>> round(float(eal_fraction(np.ones(len(RETURN_PERIODS)))), 12)  # full loss from 2 to 1000 years
0.499
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from riskreport.domain.array import Array

# Fine around typical protection standards (10, 20, 30, 50, 80, 100, 200 years), so a design
# level sits on the grid and the loss starts just above it.
RETURN_PERIODS = np.array(
    [2.0, 5.0, 10.0, 20.0, 25.0, 30.0, 50.0, 80.0, 100.0, 200.0, 250.0, 500.0, 1000.0]
)
REPORTED_RETURN_PERIODS = (10, 50, 100, 250)
REPORTED_INDEX = tuple(int(np.flatnonzero(t == RETURN_PERIODS)[0]) for t in REPORTED_RETURN_PERIODS)
_P = 1.0 / RETURN_PERIODS
_LOG_RP = np.log(RETURN_PERIODS)
# Trapezoid weights over exceedance probability [jrc/physrisk convention; PARAMETERS "Aggregating"].
TRAPEZOID_WEIGHTS = np.zeros(len(RETURN_PERIODS))
TRAPEZOID_WEIGHTS[:-1] += (_P[:-1] - _P[1:]) / 2.0
TRAPEZOID_WEIGHTS[1:] += (_P[:-1] - _P[1:]) / 2.0


def eal_fraction(damage: Array) -> Array:
    """Expected annual damage fraction from a damage curve on the last axis (return periods)."""
    flat = damage.reshape(-1, len(RETURN_PERIODS)) @ TRAPEZOID_WEIGHTS  # one BLAS call
    result: Array = flat.reshape(damage.shape[:-1])
    return result


def eal_fraction_rows(damage: Array) -> Array:
    """:func:`eal_fraction` for a buildings-last array (C, n_rp, B); result (B, C)."""
    result: Array = np.matmul(TRAPEZOID_WEIGHTS, damage).T
    return result


def log_rp_curve(value_at_2: Array, value_at_100: Array) -> Array:
    """A curve linear in ln(return period) through two anchors, shape (..., len(RETURN_PERIODS)).

    This is the Gumbel form used for all the regional anchor curves (assumption).
    """
    x = (_LOG_RP - np.log(2.0)) / (np.log(100.0) - np.log(2.0))
    result: Array = value_at_2[..., None] + (value_at_100 - value_at_2)[..., None] * x
    return result


def value_at_rp(curve: Array, rp: Array) -> Array:
    """Interpolate a curve (..., n_rp) at return period ``rp`` (...) linearly in ln(rp)."""
    pos = np.clip(
        np.interp(np.log(np.maximum(rp, 1e-9)), _LOG_RP, np.arange(len(RETURN_PERIODS))),
        0,
        len(RETURN_PERIODS) - 1,
    )
    i = np.minimum(pos.astype(np.int64), len(RETURN_PERIODS) - 2)
    w = pos - i
    lo = np.take_along_axis(curve, i[..., None], axis=-1)[..., 0]
    hi = np.take_along_axis(curve, (i + 1)[..., None], axis=-1)[..., 0]
    return lo + w * (hi - lo)


def below_protection(protection_rp: Array) -> Array:
    """1.0 at return periods the protection holds (up to its design, rp <= standard), (B, n_rp).

    A levee built for the 100-year flood holds the 100-year flood; the next point on the grid
    (200 years) is overtopped.
    """
    return (RETURN_PERIODS[None, :] <= protection_rp[:, None]).astype(np.float64)


def interp_weights(rp: Array) -> Array:
    """Weights (n_rp, K) that read a curve at the return periods ``rp`` (K,): ``curve @ W``.

    Linear in ln(rp), held flat beyond 2 and 1000 years.
    """
    pos = np.interp(np.log(np.maximum(rp, 1e-9)), _LOG_RP, np.arange(len(_LOG_RP)))
    i = np.minimum(pos.astype(np.int64), len(_LOG_RP) - 2)
    w = pos - i
    weights = np.zeros((len(_LOG_RP), rp.shape[0]))
    cols = np.arange(rp.shape[0])
    weights[i, cols] += 1.0 - w
    weights[i + 1, cols] += w
    return weights


@lru_cache(maxsize=64)
def shift_matrices_cached(multipliers: tuple[float, ...]) -> Array:
    mats = np.stack([interp_weights(RETURN_PERIODS * m) for m in multipliers])
    mats.setflags(write=False)
    return mats


def shift_matrices(multiplier: Array) -> Array:
    """(C, n, n) matrices M so that ``curve @ M[c]`` is the curve shifted by multiplier[c]."""
    return shift_matrices_cached(tuple(multiplier.tolist()))


def frequency_shift(curve: Array, multiplier: Array, scale: Array | None = None) -> Array:
    """A curve after event frequency is multiplied by ``multiplier`` (one per case).

    ``curve`` is (B, n_rp) on today's return periods, or (B, C, n_rp) with one curve per case;
    ``multiplier`` is (C,). The T-year event of the future is today's (T x multiplier)-year
    event, read linearly in ln(rp) and held flat beyond 2 and 1000 years. Result (B, C, n_rp).
    The interpolation is a matrix product (one small matrix per case), which keeps it fast;
    ``scale`` (C,) multiplies each case's curve inside the same product.
    """
    n, c = len(RETURN_PERIODS), multiplier.shape[0]
    mats = shift_matrices(multiplier)  # (C, n, n)
    if scale is not None:
        mats = mats * scale[:, None, None]
    if curve.ndim == 2:
        flat = curve @ mats.transpose(1, 0, 2).reshape(n, c * n)
        result: Array = flat.reshape(curve.shape[0], c, n)
        return result
    stacked = np.matmul(curve.transpose(1, 0, 2), mats)  # (C, B, n)
    return np.ascontiguousarray(stacked.transpose(1, 0, 2))


_P_AFTER_ZEROS = np.append(_P, 0.0)


def damaging_probability_rows(damage: Array) -> Array:
    """:func:`damaging_probability` for a buildings-last array (C, n_rp, B); result (B, C)."""
    n = damage.shape[1]
    zeros = np.matmul(np.ones(n, dtype=np.float32), (damage <= 0.0).astype(np.float32))
    result: Array = _P_AFTER_ZEROS[zeros.astype(np.int64)].T
    return result


def damaging_probability(damage: Array) -> Array:
    """Annual probability of a damaging event: 1/rp of the most frequent damaging return period.

    Damage curves do not decrease with the return period, so the count of undamaging return
    periods locates the first damaging one.
    """
    # A matrix-vector product counts faster than a reduction over a short last axis.
    n = damage.shape[-1]
    zeros = (damage <= 0.0).reshape(-1, n).astype(np.float32) @ np.ones(n, dtype=np.float32)
    result: Array = _P_AFTER_ZEROS[zeros.astype(np.int64).reshape(damage.shape[:-1])]
    return result
