"""Damage functions: JRC Asia flood depth-damage curves and Emanuel's wind impact function.

All functions are vectorized over numpy arrays and return fractions in [0, 1].

>>> import numpy as np
>>> round(float(jrc_flood(np.array(0.75), np.array(0))[()]), 4)  # residential
0.4105
>>> round(float(emanuel_wind(np.array(50.0), np.array(74.7))[()]), 3)
0.109
"""

from __future__ import annotations

import numpy as np

from riskreport.domain.array import Array, IntArray

# JRC Asia depth-damage, fraction of maximum damage by depth above the ground floor (m)
# [jrc-huizinga-2017]. Rows: residential, commercial, industrial (JRC_CLASSES order).
JRC_CLASSES = ("residential", "commercial", "industrial")
JRC_DEPTHS = np.array([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0])
JRC_ASIA = np.array(
    [
        [0.0, 0.327, 0.494, 0.617, 0.721, 0.870, 0.931, 0.984, 1.0],
        [0.0, 0.377, 0.538, 0.659, 0.763, 0.883, 0.942, 0.981, 1.0],
        [0.0, 0.283, 0.482, 0.629, 0.717, 0.857, 0.909, 0.955, 1.0],
    ]
)
JRC_RESIDENTIAL_SD = (0.0, 0.252, 0.215, 0.214, 0.207, 0.168, 0.125, 0.048, 0.0)
_JRC_FLAT = JRC_ASIA.ravel()
_JRC_STEP = np.diff(JRC_ASIA, axis=1, append=1.0).ravel()

# Emanuel (2011) [emanuel-2011]: threshold wind, and the global default half-damage wind.
V_THRESH = 25.7
V_HALF_DEFAULT = 74.7
V_HALF_WP4_RMSF = 135.6  # Eberenz et al. (2021) North-West Pacific calibration [eberenz-2021]
# 10-minute mean = 0.88 x 1-minute sustained wind [wmo-harper-2010].
TEN_TO_ONE_MINUTE = 0.88

# Flood damage to a building (rules in docs/model.md, all assumption):
STOREY_HEIGHT_M = 3.0  # a piloti storey raises the first occupied floor by this much
JRC_STOREYS = 2.0  # the JRC curve (to 6 m) spans the lowest two storeys
BASEMENT_WEIGHT = 1.5  # a basement storey carries building services: 1.5 x the value of a storey
BASEMENT_INGRESS_M = 0.15  # water at ground deeper than a ramp hump pours into the basement
BASEMENT_FILL_PER_M = 10.0  # each 0.1 m above the hump fills 1 m of basement
BASEMENT_FILL_MAX_M = 3.0


def jrc_flood(depth_m: Array, jrc_class: IntArray) -> Array:
    """JRC Asia damage fraction at ``depth_m`` above the floor for class 0/1/2 (see JRC_CLASSES).

    Linear between the published points, 0 at or below 0 m, 1 above 6 m. The breakpoints are
    0.5 m apart to 2 m and 1 m apart beyond, so the segment is found by arithmetic, not search.
    """
    # Written with few temporaries: fresh large arrays cost page faults that dominate the time.
    pos = np.asarray(np.clip(depth_m, 0.0, 6.0), dtype=np.float64)  # 0-d input stays an array
    np.add(pos, np.minimum(pos, 2.0), out=pos)  # 2d below 2 m, d + 2 above
    i = pos.astype(np.int64)
    np.minimum(i, 8, out=i)
    np.subtract(pos, i, out=pos)  # fraction within the segment
    np.add(i, jrc_class * 9, out=i)
    np.multiply(pos, _JRC_STEP[i], out=pos)
    np.add(pos, _JRC_FLAT[i], out=pos)
    return pos


def emanuel_wind(v_1min: Array, v_half: Array, *, overwrite: bool = False) -> Array:
    """Emanuel's impact function on the 1-minute sustained wind at 10 m (m/s).

    ``overwrite=True`` lets it reuse ``v_1min`` (a float64 array the caller no longer needs).
    """
    # In place, two buffers: fresh large temporaries cost page faults that dominate the time.
    if overwrite:
        vn = np.subtract(v_1min, V_THRESH, out=v_1min)
    else:
        vn = np.asarray(np.subtract(v_1min, V_THRESH), dtype=np.float64)  # 0-d stays an array
    np.maximum(vn, 0.0, out=vn)
    np.multiply(vn, 1.0 / (np.asarray(v_half) - V_THRESH), out=vn)
    # No subnormal cubes can arise: v - 25.7 is either 0 or at least ~4e-15.
    vn3 = np.asarray(np.multiply(vn, vn))
    np.multiply(vn3, vn, out=vn3)
    np.add(vn3, 1.0, out=vn)
    np.divide(vn3, vn, out=vn3)
    return vn3


def one_minute(v_10min: Array) -> Array:
    """Korean 10-minute mean wind to the 1-minute sustained wind [wmo-harper-2010]."""
    return v_10min / TEN_TO_ONE_MINUTE


def storey_shares(floors_above: Array, floors_below: Array) -> tuple[Array, Array]:
    """Shares of building value exposed to water above ground and in basements.

    Storeys carry equal value, basement storeys ``BASEMENT_WEIGHT`` times as much (services).
    The JRC curve applies to the lowest ``JRC_STOREYS`` above-ground storeys.
    """
    fa = np.maximum(floors_above, 1.0)
    fb = np.maximum(floors_below, 0.0)
    total = fa + BASEMENT_WEIGHT * fb
    return np.minimum(fa, JRC_STOREYS) / total, BASEMENT_WEIGHT * fb / total


def building_flood_damage(
    depth_at_ground: Array,
    jrc_class: IntArray,
    first_floor_height: Array,
    piloti: Array,
    barrier_height: Array,
    share_above: Array,
    share_basement: Array,
) -> Array:
    """Fraction of building value lost for a water depth at ground level (m), vectorized.

    Above ground the JRC curve takes the depth above the first occupied floor (first-floor height,
    plus one storey when the ground storey is an open piloti). A basement floods once the water
    at ground exceeds the ramp hump or the flood barrier, even when it is below the first floor:
    each 0.1 m above that sill fills 1 m of basement (to 3 m), read on the same JRC curve.
    Water lower than a flood barrier does no damage. Per-building arrays broadcast against the
    depth array's leading axis (add trailing axes to them as needed).
    """
    d = np.maximum(depth_at_ground, 0.0)
    over_barrier = d > barrier_height
    above = np.where(
        over_barrier,
        jrc_flood(d - first_floor_height - STOREY_HEIGHT_M * piloti, jrc_class),
        0.0,
    )
    sill = np.maximum(BASEMENT_INGRESS_M, barrier_height)
    fill = np.clip(BASEMENT_FILL_PER_M * (d - sill), 0.0, BASEMENT_FILL_MAX_M)
    basement = jrc_flood(fill, jrc_class)
    return share_above * above + share_basement * basement
