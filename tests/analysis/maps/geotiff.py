"""Small GeoTIFF hazard maps written by the tests (rasterio), in Aqueduct's naming."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import rasterio
from affine import Affine

from riskreport.analysis.maps.names import coast_name, river_name

RPS = (2, 5, 10, 25, 50, 100, 250, 500, 1000)
CELL = 1.0 / 120.0  # 30 arc-seconds, as Aqueduct
# A box around Seoul's city hall (37.5665 N, 126.978 E), 0.5 degrees each way.
WEST, NORTH, SIZE = 126.5, 38.0, 120


def write_map(
    path: Path,
    values: np.ndarray,
    *,
    west: float = WEST,
    north: float = NORTH,
    cell: float = CELL,
    crs: str | None = "EPSG:4326",
    nodata: float | None = -9999.0,
) -> Path:
    """Write one band of float32 ``values`` (rows north to south) as a GeoTIFF."""
    profile = {
        "driver": "GTiff",
        "width": values.shape[1],
        "height": values.shape[0],
        "count": 1,
        "dtype": "float32",
        "transform": Affine(cell, 0.0, west, 0.0, -cell, north),
        "nodata": nodata,
    }
    if crs is not None:
        profile["crs"] = crs
    with rasterio.open(path, "w", **profile) as dst:
        dst.write(values.astype(np.float32), 1)
    return path


def depth_of_rp(h100: float) -> Callable[[int], float]:
    """A depth curve: 0 at 2 years, ``h100`` at 100 years, linear in ln(T)."""

    def depth(rp: int) -> float:
        return max(h100 * float(np.log(rp / 2.0) / np.log(50.0)), 0.0)

    return depth


def river_set(
    folder: Path,
    climate: str,
    year: int,
    depth: Callable[[int], float],
    *,
    model: str = "00000NorESM1-M",
    rps: Iterable[int] = RPS,
    size: int = SIZE,
) -> list[Path]:
    """A uniformly wet block: every cell has ``depth(rp)`` metres, for each return period."""
    folder.mkdir(parents=True, exist_ok=True)
    m = "000000000WATCH" if climate == "historical" else model
    return [
        write_map(folder / river_name(climate, m, year, rp), np.full((size, size), depth(rp)))
        for rp in rps
    ]


def coast_set(
    folder: Path, climate: str, year: int, depth: Callable[[int], float], size: int = SIZE
) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    sub, proj = ("nosub", "0") if climate == "historical" else ("wtsub", "0_perc_50")
    return [
        write_map(
            folder / coast_name(climate, sub, year, rp, proj), np.full((size, size), depth(rp))
        )
        for rp in RPS
    ]
