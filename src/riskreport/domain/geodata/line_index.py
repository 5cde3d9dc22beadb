"""Distance from many points to a set of polylines (shoreline, rivers), read from a packaged table.

The table (written by ``scripts/data/polylines.py``) has two levels. A query first takes the
least distance to the nearest line vertices of the 5 x 5 coarse nodes (0.02 degree) around it: a
true distance to the line, so an upper bound, and within 0.5 % beyond 5 km. Points this puts
within 2.5 fine cells (0.01 x 0.0125 degree, about 1.1 km) of a line then measure exact
point-to-segment distances to the pieces of the 3 x 3 (or, beyond 1.3 cells, 5 x 5) cells around
them: exact whenever the answer is shorter than 1 (or 2) cells.
Distances are measured in a local plane around each query (equirectangular, R = 6371 km), which
is well under 0.1 % off at these ranges.

>>> import numpy as np
>>> arrays = {"lat0": np.array(0.0), "lon0": np.array(0.0), "dlat": np.array(0.01),
...           "dlon": np.array(0.01), "n_j": np.array(4), "cell_id": np.array([0], np.int32),
...           "cell_start": np.array([0, 2], np.int32), "qy": np.array([0, 255], np.uint8),
...           "qx": np.array([0, 0], np.uint8), "run_start": np.packbits([True, False]),
...           "node_lat0": np.array(0.0), "node_lon0": np.array(0.0),
...           "node_step": np.array(0.02), "node_unit_m": np.array(4.0),
...           "node_north": np.zeros((2, 2), np.int16), "node_east": np.zeros((2, 2), np.int16)}
>>> idx = LineIndex(arrays)
>>> round(float(idx.distance_m(np.array([0.005]), np.array([0.002]))[0]), 1)  # 0.002 deg east
222.4
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from riskreport.domain.array import Array

KM_PER_DEG = 111.195  # mean Earth radius 6371.0 km
# Cell offsets of the 3 x 3 and 5 x 5 blocks around a point's cell.
_BLOCKS = {
    r: (np.repeat(np.arange(-r, r + 1), 2 * r + 1), np.tile(np.arange(-r, r + 1), 2 * r + 1))
    for r in (1, 2)
}
# Points the coarse level puts within this many fine cells of a line get the exact search.
_GATE = 2.5
# Up to this many cells (coarse estimate) the 3 x 3 block is searched, beyond it the 5 x 5.
_GATE_3 = 1.3
# The coarse level looks at the (2 _R + 1) x (2 _R + 1) nodes around a point.
_R = 2
# Single points measured, kept for their next report (the same building asked again, in the
# other language, with other scenarios): most of placing a site, about a millisecond each.
_POINTS_KEPT = 4096


class LineIndex:
    """Vectorised distance to the polylines of one packaged table (see the module docstring)."""

    def __init__(self, arrays: Mapping[str, npt.NDArray[Any]]) -> None:
        self.lat0 = float(arrays["lat0"])
        self.lon0 = float(arrays["lon0"])
        self.dlat = float(arrays["dlat"])
        self.dlon = float(arrays["dlon"])
        self.n_j = int(arrays["n_j"])
        self.cell_id = arrays["cell_id"].astype(np.int64)
        self.cell_start = arrays["cell_start"].astype(np.int64)
        n = int(self.cell_start[-1])
        # Vertex positions as fractions of their cell, decoded once.
        self.fy = arrays["qy"].astype(np.float64) / 255.0
        self.fx = arrays["qx"].astype(np.float64) / 255.0
        self.run_start = np.unpackbits(arrays["run_start"])[:n].astype(bool)
        self._points: dict[tuple[float, float], tuple[Array, Array]] = {}
        self.node_lat0 = float(arrays["node_lat0"])
        self.node_lon0 = float(arrays["node_lon0"])
        self.node_step = float(arrays["node_step"])
        unit = float(arrays["node_unit_m"])
        rows, cols = arrays["node_north"].shape
        glat = self.node_lat0 + self.node_step * np.arange(rows)[:, None]
        glon = self.node_lon0 + self.node_step * np.arange(cols)[None, :]
        north_km = arrays["node_north"].astype(np.float64) * unit / 1000.0
        east_km = arrays["node_east"].astype(np.float64) * unit / 1000.0
        self.near_lat = glat + north_km / KM_PER_DEG
        self.near_lon = glon + east_km / (KM_PER_DEG * np.cos(np.radians(glat)))
        positive = arrays.get("node_positive")
        self.node_positive = (
            np.zeros((rows, cols), dtype=bool)
            if positive is None
            else np.unpackbits(positive)[: rows * cols].reshape(rows, cols).astype(bool)
        )

    def distance_m(self, lat: Array, lon: Array) -> Array:
        """Distance in metres from each point to the nearest line, shape (n,)."""
        return self._measure(lat, lon)[0]

    def side(self, lat: Array, lon: Array) -> Array:
        """+1.0 on the right-hand side of the nearest line (the sea, for the GSHHG shoreline),
        -1.0 on its left (land); from the nearest segment near the lines, else the nearest
        coarse node's side."""
        return self._measure(lat, lon)[1]

    def measure(self, lat: Array, lon: Array) -> tuple[Array, Array]:
        """Distance in metres and side (see :meth:`side`) in one pass."""
        return self._measure(lat, lon)

    def _measure(self, lat: Array, lon: Array) -> tuple[Array, Array]:
        lat = np.asarray(lat, dtype=np.float64)
        lon = np.asarray(lon, dtype=np.float64)
        if lat.shape != (1,) or lon.shape != (1,):
            return self._measured(lat, lon)
        # One building (a report): measured once per point. Copies go out, as the callers'
        # arrays are theirs to change.
        point = (float(lat[0]), float(lon[0]))
        kept = self._points.get(point)
        if kept is None:
            kept = self._measured(lat, lon)
            if len(self._points) >= _POINTS_KEPT:
                self._points.pop(next(iter(self._points)), None)  # the oldest
            self._points[point] = kept
        return kept[0].copy(), kept[1].copy()

    def _measured(self, lat: Array, lon: Array) -> tuple[Array, Array]:
        # The coarse answer is a true distance to a line vertex, so an upper bound; it is within a
        # few per cent of the truth beyond a few km. Points it puts near a line get the exact
        # fine search.
        km, side = self._coarse(lat, lon)
        cell_km = KM_PER_DEG * np.minimum(
            self.dlat, self.dlon * np.cos(np.radians(np.abs(lat) + self.dlat))
        )
        # Every piece closer than r cells lies in the (2r + 1)^2 block around the point's cell:
        # the fine answer is exact there, and never worse than the coarse one elsewhere. The wider
        # block costs more, so it is kept for points the coarse level puts over a cell away.
        for radius, lo, hi in ((1, -1.0, _GATE_3), (2, _GATE_3, _GATE)):
            near = np.flatnonzero((km > lo * cell_km) & (km <= hi * cell_km))
            if near.size == 0:
                continue
            fine_km, fine_side = self._fine(lat[near], lon[near], radius)
            better = fine_km < km[near]
            km[near] = np.where(better, fine_km, km[near])
            side[near] = np.where(better, fine_side, side[near])
        metres: Array = km * 1000.0
        return metres, side

    def _fine(self, lat: Array, lon: Array, radius: int) -> tuple[Array, Array]:
        """Exact distance (km) and side from the segments of the block of cells around a point."""
        b = lat.shape[0]
        best = np.full(b, np.inf)
        side = np.zeros(b)
        fi = np.floor((lat - self.lat0) / self.dlat).astype(np.int64)
        fj = np.floor((lon - self.lon0) / self.dlon).astype(np.int64)
        di, dj = _BLOCKS[radius]
        k_off = di.size
        ni, nj = fi[:, None] + di[None, :], fj[:, None] + dj[None, :]
        nb = np.where((nj >= 0) & (nj < self.n_j) & (ni >= 0), ni * self.n_j + nj, -1).ravel()
        pos = np.minimum(np.searchsorted(self.cell_id, nb), len(self.cell_id) - 1)
        found = self.cell_id[pos] == nb
        start = self.cell_start[pos]
        count = np.where(found, self.cell_start[pos + 1] - start, 0)
        total = int(count.sum())
        if total == 0:
            return best, side
        first = np.cumsum(count) - count
        slot = np.repeat(np.arange(nb.size), count)
        vidx = np.arange(total) - first[slot] + start[slot]
        cell = nb[slot]
        q = slot // k_off
        vlat = self.lat0 + (cell // self.n_j + self.fy[vidx]) * self.dlat
        vlon = self.lon0 + (cell % self.n_j + self.fx[vidx]) * self.dlon
        y = (vlat - lat[q]) * KM_PER_DEG
        x = (vlon - lon[q]) * (KM_PER_DEG * np.cos(np.radians(lat[q])))
        # Segment k joins vertex k to k+1 when both are in one cell's slot and k+1 continues a
        # run; every vertex ends or starts such a segment, so segments alone give the distance.
        k = np.flatnonzero((slot[:-1] == slot[1:]) & ~self.run_start[vidx[1:]])
        if k.size == 0:
            return best, side
        ax, ay, dx, dy = x[k], y[k], x[k + 1] - x[k], y[k + 1] - y[k]
        t = np.clip(-(ax * dx + ay * dy) / np.maximum(dx * dx + dy * dy, 1e-18), 0.0, 1.0)
        px, py = ax + t * dx, ay + t * dy
        d2 = px * px + py * py
        owner = q[k]
        present, q_first = np.unique(owner, return_index=True)
        low = np.minimum.reduceat(d2, q_first)
        best[present] = np.sqrt(low)
        # The side of the nearest segment: sign of (B - A) x (P - A), with P at the origin.
        at_min = np.flatnonzero(d2 == np.repeat(low, np.diff(np.append(q_first, k.size))))
        win_q, win_first = np.unique(owner[at_min], return_index=True)
        w = at_min[win_first]
        side[win_q] = np.sign(dx[w] * (-ay[w]) - dy[w] * (-ax[w]))
        return best, side

    def _coarse(self, lat: Array, lon: Array) -> tuple[Array, Array]:
        """Least distance (km) to the nearest vertices of the 3 x 3 coarse nodes around each
        point, and the side recorded at the nearest node."""
        rows, cols = self.near_lat.shape
        ic = np.clip(np.rint((lat - self.node_lat0) / self.node_step), 0, rows - 1).astype(int)
        jc = np.clip(np.rint((lon - self.node_lon0) / self.node_step), 0, cols - 1).astype(int)
        c = KM_PER_DEG * np.cos(np.radians(lat))
        best = np.full(lat.shape, np.inf)
        for di in range(-_R, _R + 1):
            for dj in range(-_R, _R + 1):
                i = np.clip(ic + di, 0, rows - 1)
                j = np.clip(jc + dj, 0, cols - 1)
                y = (self.near_lat[i, j] - lat) * KM_PER_DEG
                x = (self.near_lon[i, j] - lon) * c
                np.minimum(best, x * x + y * y, out=best)
        side: Array = np.where(self.node_positive[ic, jc], 1.0, -1.0)
        km: Array = np.sqrt(best)
        return km, side
