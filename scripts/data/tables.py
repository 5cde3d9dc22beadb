"""Write derived tables so that the same inputs always give the same bytes.

``np.savez`` stamps each member with the current time, so two runs of ``make data`` would differ.
:func:`write_grid` writes the same ``.npz`` layout that :mod:`riskreport.domain.geodata.grid`
reads, with a fixed timestamp, members in sorted order and a fixed compression level::

    write_grid(out / "typhoon_wind.npz", lat0=32.5, lon0=123.5, step=0.25,
               fields={"wind_10min_ms": winds}, meta={"source": "jtwc-best-track", ...})
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest date a zip member can carry
REQUIRED_META = ("title", "sources", "licence", "method", "derived_by")


def _member(zf: zipfile.ZipFile, name: str, array: npt.NDArray[Any]) -> None:
    buf = io.BytesIO()
    np.lib.format.write_array(buf, np.require(array, requirements="C"), allow_pickle=False)
    info = zipfile.ZipInfo(name + ".npy", date_time=_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    zf.writestr(info, buf.getvalue(), compresslevel=9)


def write_npz(path: Path, arrays: Mapping[str, npt.NDArray[Any]], meta: Mapping[str, Any]) -> Path:
    """Arrays plus a ``meta`` member (JSON text: title, sources, licence, method, derived_by)."""
    missing = [k for k in REQUIRED_META if k not in meta]
    if missing:
        raise ValueError(f"{path.name}: meta lacks {missing}")
    if "meta" in arrays:
        raise ValueError("'meta' is reserved for the table's description")
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(meta, ensure_ascii=False, sort_keys=True, indent=1)
    with zipfile.ZipFile(path, "w") as zf:
        for name in sorted(arrays):
            _member(zf, name, arrays[name])
        _member(zf, "meta", np.array(text))
    return path


def write_grid(
    path: Path,
    *,
    lat0: float,
    lon0: float,
    step: float,
    fields: Mapping[str, npt.NDArray[Any]],
    meta: Mapping[str, Any],
) -> Path:
    """A regular lat/lon grid: cell (i, j) is centred at (lat0 + i*step, lon0 + j*step).

    Each field is (n_lat, n_lon) or (n_lat, n_lon, k); all share the first two dimensions.
    """
    shapes = {f.shape[:2] for f in fields.values()}
    if len(shapes) != 1:
        raise ValueError(f"{path.name}: fields differ in grid shape: {shapes}")
    grid = {
        "lat0": np.array(lat0, dtype=np.float64),
        "lon0": np.array(lon0, dtype=np.float64),
        "step": np.array(step, dtype=np.float64),
    }
    return write_npz(path, {**grid, **fields}, meta)
