"""Index GSHHG polylines for fast, exact distance look-ups (shared by ``coast`` and ``rivers``).

Two levels, read back by :mod:`riskreport.domain.geodata.line_index`:

* **Fine**: the polylines are cut at the edges of a 0.01 x 0.0125 degree cell grid (about
  1.1 x 1.1 km) so that every piece lies inside one cell. Each cell keeps its vertices as runs
  (consecutive vertices of one run form segments), quantised to 1/255 of the cell (about 4 m).
  A query near a line measures point-to-segment distances to the pieces of the 3 x 3 or 5 x 5
  cells around it: exact whenever the answer is shorter than 1 or 2 cells.
* **Coarse**: on a 0.02 degree node grid, the nearest line vertex of each node (as an offset
  from the node) and the side of the line the node lies on. A query takes the least distance to
  the nearest vertices of the 5 x 5 nodes around it (errors measured in ``docs/data/coast.md``).

    lines = read_lines(shared / "coast-rivers" / FILE, "coast")
    arrays = index_arrays(lines)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

FILE = "korea_gshhg_full_coast_wdbii_rivers.geojson"
KM_PER_DEG = 111.195  # mean Earth radius 6371.0 km
LAT0, LON0 = 32.5, 123.5  # the box of the raw file
DLAT, DLON = 0.01, 0.0125  # fine cells, about 1.1 km each way at 37 N
N_I, N_J = 700, 720  # fine cells over 32.5-39.5 N, 123.5-132.5 E
NODE_STEP = 0.02  # coarse nodes
NODE_LAT = (33.0, 38.7)  # coarse nodes cover South Korea and its islands
NODE_LON = (124.5, 131.0)
NODE_UNIT_M = 8.0  # coarse offsets in units of 8 m by default (int16: up to 262 km)

Line = npt.NDArray[np.float64]  # (n, 2): lon, lat


def read_lines(path: Path, kind: str) -> list[Line]:
    """The polylines of one ``kind`` (``coast`` or ``river``), as (lon, lat) arrays."""
    features = json.loads(path.read_text(encoding="utf-8"))["features"]
    lines: list[Line] = []
    for f in features:
        if f["properties"]["kind"] != kind:
            continue
        geom = f["geometry"]
        parts = geom["coordinates"] if geom["type"] == "MultiLineString" else [geom["coordinates"]]
        lines.extend(np.asarray(p, dtype=np.float64) for p in parts if len(p) >= 2)
    return lines


def drop_inside(
    lines: Iterable[Line], boxes: Sequence[tuple[float, float, float, float]]
) -> list[Line]:
    """Remove every segment whose midpoint lies in one of the (lon0, lon1, lat0, lat1) boxes.

    A line is split where segments are removed, so what remains stays a set of polylines.
    """
    kept: list[Line] = []
    for line in lines:
        mid = 0.5 * (line[1:] + line[:-1])
        out = np.zeros(len(mid), dtype=bool)
        for x0, x1, y0, y1 in boxes:
            out |= (mid[:, 0] > x0) & (mid[:, 0] < x1) & (mid[:, 1] > y0) & (mid[:, 1] < y1)
        if not out.any():
            kept.append(line)
            continue
        start = 0
        for k in np.flatnonzero(out).tolist():
            if k > start:
                kept.append(line[start : k + 1])
            start = k + 1
        if start < len(mid):
            kept.append(line[start:])
    return kept


def _cut_at_cells(line: Line) -> Line:
    """The line with a vertex added wherever it crosses a fine-cell edge."""
    y = (line[:, 1] - LAT0) / DLAT
    x = (line[:, 0] - LON0) / DLON
    out: list[npt.NDArray[np.float64]] = [line[:1]]
    fy, fx = np.floor(y), np.floor(x)
    crossing = (fy[1:] != fy[:-1]) | (fx[1:] != fx[:-1])
    for k in range(len(line) - 1):
        if crossing[k]:
            ts: list[float] = []
            for a, b in ((y[k], y[k + 1]), (x[k], x[k + 1])):
                lo, hi = sorted((a, b))
                for edge in np.arange(np.floor(lo) + 1.0, np.floor(hi) + 1.0):
                    ts.append((edge - a) / (b - a))
            t = np.unique(np.clip(ts, 0.0, 1.0))
            out.append(line[k] + t[:, None] * (line[k + 1] - line[k]))
        out.append(line[k + 1 : k + 2])
    return np.concatenate(out)


def _fine_index(lines: Sequence[Line]) -> dict[str, npt.NDArray[Any]]:
    cells: list[npt.NDArray[np.int64]] = []
    points: list[Line] = []
    starts: list[npt.NDArray[np.bool_]] = []
    for raw in lines:
        line = _cut_at_cells(raw)
        mid = 0.5 * (line[1:] + line[:-1])
        ci = np.floor((mid[:, 1] - LAT0) / DLAT).astype(np.int64)
        cj = np.floor((mid[:, 0] - LON0) / DLON).astype(np.int64)
        cell = ci * N_J + cj
        # A run is a maximal chain of pieces in one cell: its first vertex starts the run.
        new_run = np.ones(len(cell), dtype=bool)
        new_run[1:] = cell[1:] != cell[:-1]
        for k in np.flatnonzero(new_run):
            end = k + 1
            while end < len(cell) and not new_run[end]:
                end += 1
            run = line[k : end + 1]
            cells.append(np.full(len(run), cell[k]))
            points.append(run)
            flag = np.zeros(len(run), dtype=bool)
            flag[0] = True
            starts.append(flag)
    cell_all = np.concatenate(cells)
    pts = np.concatenate(points)
    brk = np.concatenate(starts)
    order = np.argsort(cell_all, kind="stable")
    cell_all, pts, brk = cell_all[order], pts[order], brk[order]
    ids, first = np.unique(cell_all, return_index=True)
    own_i, own_j = cell_all // N_J, cell_all % N_J
    fy = (pts[:, 1] - (LAT0 + own_i * DLAT)) / DLAT
    fx = (pts[:, 0] - (LON0 + own_j * DLON)) / DLON
    return {
        "cell_id": ids.astype(np.int32),
        "cell_start": np.append(first, len(cell_all)).astype(np.int32),
        "qy": np.rint(np.clip(fy, 0.0, 1.0) * 255.0).astype(np.uint8),
        "qx": np.rint(np.clip(fx, 0.0, 1.0) * 255.0).astype(np.uint8),
        "run_start": np.packbits(brk),
    }


def _densified(lines: Sequence[Line], spacing_m: float) -> tuple[Line, Line]:
    """Vertices no farther apart than spacing_m, and the direction of the segment each lies on."""
    out: list[Line] = []
    dirs: list[Line] = []
    for line in lines:
        d = line[1:] - line[:-1]
        km = np.hypot(d[:, 0] * np.cos(np.radians(line[1:, 1])), d[:, 1]) * KM_PER_DEG
        n = np.maximum(np.ceil(km * 1000.0 / spacing_m), 1).astype(np.int64)
        t = np.concatenate([np.arange(k) / k for k in n])
        seg = np.repeat(np.arange(len(d)), n)
        out.append(line[seg] + t[:, None] * d[seg])
        dirs.append(d[seg])
    return np.concatenate(out), np.concatenate(dirs)


def _coarse_nearest(lines: Sequence[Line], unit_m: float) -> dict[str, npt.NDArray[Any]]:
    """Per coarse node: offset (north, east; units of unit_m) to its nearest vertex, and its side.

    The side is the sign of the cross product of the nearest segment's direction with the way to
    the node: GSHHG shorelines keep the land on one side (positive = sea for the shoreline; for
    rivers the bit has no meaning and is not read).
    """
    verts, dirs = _densified(lines, 50.0)
    lat_n = np.round(np.arange(NODE_LAT[0], NODE_LAT[1] + 1e-9, NODE_STEP), 6)
    lon_n = np.round(np.arange(NODE_LON[0], NODE_LON[1] + 1e-9, NODE_STEP), 6)
    glat, glon = np.meshgrid(lat_n, lon_n, indexing="ij")
    # A plane good enough for picking the nearest vertex: x scaled by cos(36 N).
    scale = np.cos(np.radians(36.0))
    tree = cKDTree(np.column_stack([verts[:, 0] * scale, verts[:, 1]]))
    _, idx = tree.query(np.column_stack([glon.ravel() * scale, glat.ravel()]), k=1)
    near = verts[idx]
    north = (near[:, 1] - glat.ravel()) * KM_PER_DEG * 1000.0
    east = (near[:, 0] - glon.ravel()) * np.cos(np.radians(glat.ravel())) * KM_PER_DEG * 1000.0
    d = dirs[idx]
    cross = d[:, 0] * scale * (-north) - d[:, 1] * (-east)
    limit = np.iinfo(np.int16).max * unit_m
    if np.abs(north).max() > limit or np.abs(east).max() > limit:
        raise ValueError("a coarse node lies too far from the lines for int16 offsets")
    shape = glat.shape
    return {
        "node_north": np.rint(north / unit_m).astype(np.int16).reshape(shape),
        "node_east": np.rint(east / unit_m).astype(np.int16).reshape(shape),
        "node_positive": np.packbits(cross > 0.0),
    }


def index_arrays(
    lines: Sequence[Line], node_unit_m: float = NODE_UNIT_M
) -> dict[str, npt.NDArray[Any]]:
    """The arrays of one line index (see the module docstring), ready for ``write_npz``."""
    grid = {
        "lat0": np.array(LAT0),
        "lon0": np.array(LON0),
        "dlat": np.array(DLAT),
        "dlon": np.array(DLON),
        "n_j": np.array(N_J, dtype=np.int64),
        "node_lat0": np.array(NODE_LAT[0]),
        "node_lon0": np.array(NODE_LON[0]),
        "node_step": np.array(NODE_STEP),
        "node_unit_m": np.array(node_unit_m),
    }
    return {**grid, **_fine_index(lines), **_coarse_nearest(lines, node_unit_m)}


def exact_distance_km(lines: Sequence[Line], lat: float, lon: float) -> float:
    """Brute-force distance from one point to the lines (segments, local plane): for checks."""
    best = np.inf
    c = np.cos(np.radians(lat))
    for line in lines:
        x = (line[:, 0] - lon) * c * KM_PER_DEG
        y = (line[:, 1] - lat) * KM_PER_DEG
        ax, ay, bx, by = x[:-1], y[:-1], x[1:], y[1:]
        dx, dy = bx - ax, by - ay
        den = np.maximum(dx * dx + dy * dy, 1e-18)
        t = np.clip(-(ax * dx + ay * dy) / den, 0.0, 1.0)
        d = np.hypot(ax + t * dx, ay + t * dy)
        best = min(best, float(d.min()))
    return best
