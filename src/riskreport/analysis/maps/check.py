"""Validation of a hazard-map folder: names, CRS, extent, nodata, readability.

::

    problems = check_folder(Path("maps"))
    for p in problems:
        print(p)     # inunriver_...rp00100.tif: CRS is EPSG:5186, not EPSG:4326 (WGS 84)

``riskreport maps check`` prints every problem; ``serve`` and ``analyze`` refuse to start on the
first (``first_problem``), in one line naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from riskreport.analysis.maps.folder import SUFFIXES
from riskreport.analysis.maps.names import BadName, parse_name
from riskreport.analysis.maps.raster import Raster, rasterio_module

WGS84 = ("EPSG:4326", "OGC:CRS84")
MAX_SANE_DEPTH_M = 100.0  # a nodata value below this could be a real depth


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong with one file of the folder (``file`` "" for the folder itself)."""

    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}" if self.file else self.message


def check_file(path: Path) -> str | None:
    """Why the map at ``path`` cannot be used, or None if it can."""
    try:
        parse_name(path.name)
    except BadName as exc:
        return str(exc)
    rasterio = rasterio_module()
    try:
        raster = Raster(path)
    except (rasterio.errors.RasterioIOError, ValueError) as exc:
        return f"not a readable GeoTIFF ({exc})"
    try:
        return _check_open(raster)
    finally:
        raster.close()


def _check_open(raster: Raster) -> str | None:
    if raster.count != 1:
        return f"{raster.count} bands; a depth map has one"
    if raster.crs not in WGS84:
        return f"CRS is {raster.crs or 'missing'}, not EPSG:4326 (WGS 84 longitude/latitude)"
    west, south, east, north = raster.grid.bounds
    if not (
        -180.0 - 1e-6 <= west < east <= 180.0 + 1e-6
        and -90.0 - 1e-6 <= south < north <= 90.0 + 1e-6
    ):
        return f"extent {west:.4f},{south:.4f},{east:.4f},{north:.4f} is not a lon/lat box"
    nodata = raster.nodata
    if nodata is not None and not np.isnan(nodata) and 0.0 <= nodata < MAX_SANE_DEPTH_M:
        return f"nodata is {nodata:g}, which is also a plausible depth in metres"
    try:
        raster.read_window(0, 0, 1, 1)
    except Exception as exc:  # any decoding error of the driver: the file is damaged
        return f"cannot be read ({type(exc).__name__}: {exc})"
    return None


def check_folder(path: Path) -> list[Problem]:
    """Every problem of the folder's GeoTIFFs (empty: all usable)."""
    if not path.is_dir():
        return [Problem("", f"hazard map folder {path} does not exist")]
    problems = []
    files = [f for f in sorted(path.iterdir()) if f.suffix.lower() in SUFFIXES]
    if not files:
        return [Problem("", f"hazard map folder {path} holds no GeoTIFF (.tif)")]
    for file in files:
        why = check_file(file)
        if why:
            problems.append(Problem(file.name, why))
    return problems


def first_problem(path: Path) -> Problem | None:
    """The first problem of the folder, or None; what start-up refuses on."""
    problems = check_folder(path)
    return problems[0] if problems else None
