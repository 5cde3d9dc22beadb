"""Regular lat/lon grids packaged as ``.npz`` tables, sampled for arrays of points.

A table holds ``lat0``, ``lon0``, ``step`` (degrees; cell (i, j) is centred at
``(lat0 + i*step, lon0 + j*step)``), its fields, and ``meta``: a JSON text naming its title,
sources, licence, method and the script that derived it (``scripts/data``).

>>> import numpy as np
>>> g = Grid(0.0, 0.0, 1.0, {"x": np.array([[0.0, 1.0], [2.0, 3.0]])}, {})
>>> g.sample("x", np.array([0.5]), np.array([0.5])).tolist()
[1.5]
>>> g.sample("x", np.array([0.6]), np.array([0.2]), method="nearest").tolist()
[2.0]
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from riskreport.domain.array import Array

_PACKAGE = "riskreport.domain.data"


@dataclass(frozen=True, slots=True)
class Grid:
    lat0: float
    lon0: float
    step: float
    fields: Mapping[str, npt.NDArray[Any]]
    meta: Mapping[str, Any]

    @property
    def shape(self) -> tuple[int, int]:
        first = next(iter(self.fields.values()))
        return int(first.shape[0]), int(first.shape[1])

    def inside(self, lat: Array, lon: Array) -> npt.NDArray[np.bool_]:
        """True where the point lies within the grid's cells."""
        rows, cols = self.shape
        half = self.step / 2.0
        return (
            (lat >= self.lat0 - half)
            & (lat <= self.lat0 + (rows - 1) * self.step + half)
            & (lon >= self.lon0 - half)
            & (lon <= self.lon0 + (cols - 1) * self.step + half)
        )

    def sample(self, name: str, lat: Array, lon: Array, method: str = "bilinear") -> Array:
        """Field ``name`` at the points, shape (n,) or (n, k); points outside take the edge."""
        values = self.fields[name]
        rows, cols = self.shape
        y = np.clip((lat - self.lat0) / self.step, 0.0, rows - 1.0)
        x = np.clip((lon - self.lon0) / self.step, 0.0, cols - 1.0)
        if method == "nearest":
            out: Array = values[np.rint(y).astype(np.int64), np.rint(x).astype(np.int64)].astype(
                np.float64
            )
            return out
        if method != "bilinear":
            raise ValueError(f"unknown sampling method {method!r}")
        i = np.minimum(y.astype(np.int64), max(rows - 2, 0))
        j = np.minimum(x.astype(np.int64), max(cols - 2, 0))
        fy, fx = y - i, x - j
        i1, j1 = np.minimum(i + 1, rows - 1), np.minimum(j + 1, cols - 1)
        extra = (slice(None),) + (None,) * (values.ndim - 2)
        fy, fx = fy[extra], fx[extra]
        v = values.astype(np.float64, copy=False)
        result: Array = (1.0 - fy) * ((1.0 - fx) * v[i, j] + fx * v[i, j1]) + fy * (
            (1.0 - fx) * v[i1, j] + fx * v[i1, j1]
        )
        return result


def read_npz(raw: Any) -> tuple[dict[str, npt.NDArray[Any]], dict[str, Any]]:
    """Arrays and the parsed ``meta`` of an ``.npz`` table (a path or an open binary file)."""
    with np.load(raw, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files if k != "meta"}
        meta: dict[str, Any] = (
            json.loads(str(npz["meta"].reshape(-1)[0])) if "meta" in npz.files else {}
        )
    return arrays, meta


@cache
def load_table(filename: str) -> tuple[Mapping[str, npt.NDArray[Any]], Mapping[str, Any]]:
    """A packaged table by file name, read once per process (arrays made read-only)."""
    with resources.files(_PACKAGE).joinpath(filename).open("rb") as fh:
        arrays, meta = read_npz(fh)
    for a in arrays.values():
        a.setflags(write=False)
    return arrays, meta


@cache
def load_grid(filename: str) -> Grid:
    """A packaged grid table by file name, read once per process."""
    arrays, meta = load_table(filename)
    fields = {k: v for k, v in arrays.items() if k not in ("lat0", "lon0", "step")}
    return Grid(
        lat0=float(arrays["lat0"]),
        lon0=float(arrays["lon0"]),
        step=float(arrays["step"]),
        fields=fields,
        meta=meta,
    )
