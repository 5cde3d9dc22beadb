"""Distance to the mapped major rivers, from the packaged ``rivers.npz``.

WDBII rivers as shipped with GSHHG 2.3.6 [gshhg-2.3.6]: in South Korea the Han, Imjin, Nakdong
and Geum with their main branches. The Yeongsan, the Seomjin, smaller rivers and urban streams
are missing (docs/data/rivers.md).

>>> import numpy as np
>>> [round(float(d), -2) for d in distance_to_river_m(np.array([37.5665]), np.array([126.978]))]
[4600.0]
"""

from __future__ import annotations

from functools import cache

from riskreport.domain.array import Array
from riskreport.domain.geodata.grid import load_table
from riskreport.domain.geodata.line_index import LineIndex

TABLE = "rivers.npz"


@cache
def _index() -> LineIndex:
    return LineIndex(load_table(TABLE)[0])


def distance_to_river_m(lat: Array, lon: Array) -> Array:
    """Distance in metres to the nearest mapped major river line."""
    return _index().distance_m(lat, lon)
