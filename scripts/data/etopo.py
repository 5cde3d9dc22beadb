"""ETOPO5 over the Korea box (``shared/data/elevation/etopo5_korea.nc``, HDF5 netCDF) [etopo5].

The grid is 5 arc-minutes (about 9 km): a regional terrain hint, far too coarse for a building's
own ground level (Haeundae's sea-front cell reads -19 m). :func:`read_etopo5` needs h5py (the
``data`` extra)::

    lats, lons, metres = read_etopo5(shared)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from scripts.data.tables import write_grid

Floats = npt.NDArray[np.float64]
ETOPO5 = "elevation/etopo5_korea.nc"
STEP_DEG = 1.0 / 12.0  # 5 arc-minutes


def read_etopo5(shared: Path) -> tuple[Floats, Floats, Floats]:
    """Latitudes (ascending), longitudes and elevation in metres (negative at sea)."""
    # h5py (the `data` extra; only derivations read netCDF) ships no type hints.
    import h5py  # type: ignore[import-untyped]

    with h5py.File(shared / ETOPO5, "r") as f:
        lons = np.asarray(f["ETOPO05_X"][:], dtype=np.float64)
        lats = np.asarray(f["ETOPO05_Y"][:], dtype=np.float64)
        z = np.asarray(f["ROSE"][:], dtype=np.float64)
    if np.any(np.diff(lats) <= 0) or np.any(np.diff(lons) <= 0):
        raise ValueError("ETOPO5 axes are expected to ascend")
    return lats, lons, z


def bilinear(lats: Floats, lons: Floats, z: Floats, lat: Floats, lon: Floats) -> Floats:
    """``z`` at the points by bilinear interpolation on the regular (lats, lons) grid."""
    y = np.clip((lat - lats[0]) / (lats[1] - lats[0]), 0.0, len(lats) - 1.0)
    x = np.clip((lon - lons[0]) / (lons[1] - lons[0]), 0.0, len(lons) - 1.0)
    i = np.minimum(y.astype(np.int64), len(lats) - 2)
    j = np.minimum(x.astype(np.int64), len(lons) - 2)
    fy, fx = y - i, x - j
    result: Floats = (1 - fy) * ((1 - fx) * z[i, j] + fx * z[i, j + 1]) + fy * (
        (1 - fx) * z[i + 1, j] + fx * z[i + 1, j + 1]
    )
    return result


def low_ground(z: Floats) -> Floats:
    """The lowest of each cell and its 8 neighbours (about 25 km across), at least 0 m.

    Towns and their buildings sit in the valleys and plains of a 9 km cell, well below its mean
    (ETOPO5 puts Wonju at 640 m; the city lies near 150 m): the model takes this low ground as a
    site's default elevation and as the elevation of each ERA5 city series (assumption).

    >>> low_ground(np.array([[5.0, 9.0, 9.0], [9.0, 9.0, 9.0], [9.0, 9.0, -3.0]])).tolist()
    [[5.0, 5.0, 9.0], [5.0, 0.0, 0.0], [9.0, 0.0, 0.0]]
    """
    padded = np.pad(z, 1, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3))
    result: Floats = np.maximum(windows.min(axis=(2, 3)), 0.0)
    return result


def write_elevation(shared: Path, out: Path) -> Path:
    """``elevation.npz``: the ETOPO5 grid as int16 metres, for the model's default ground level."""
    lats, lons, z = read_etopo5(shared)
    return write_grid(
        out / "elevation.npz",
        lat0=float(lats[0]),
        lon0=float(lons[0]),
        step=STEP_DEG,
        fields={
            "elevation_m": np.rint(z).astype(np.int16),
            "low_ground_m": np.rint(low_ground(z)).astype(np.int16),
        },
        meta={
            "title": "Ground elevation, ETOPO5 (5 arc-minutes) over the Korea box, metres",
            "sources": ["etopo5"],
            "licence": "public domain (NOAA NGDC)",
            "method": "elevation_m: ETOPO5 cell values as given, rounded to whole metres (int16), "
            "negative at sea. low_ground_m: the lowest of each cell and its 8 neighbours, at "
            "least 0 (the model's default ground level of a site; assumption). A regional "
            "terrain hint (about 9 km cells), not a site's ground level.",
            "derived_by": "scripts/data/climate.py (scripts.data.etopo.write_elevation)",
            "units": "m",
        },
    )
