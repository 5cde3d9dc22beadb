"""Observed geography of the validation sites, from the shared observations (optional).

Distances from each site to the full-resolution GSHHG shoreline and to the WDBII major rivers
(``../shared/data/coast-rivers``). They are set beside the model's own site inputs in
docs/validation.md; the product never reads ``../shared``, only this validation script does.

>>> import numpy as np
>>> segment = np.array([[127.0, 37.0, 127.0, 37.1]])   # lon0, lat0, lon1, lat1
>>> round(nearest_km(37.05, 127.01, segment), 2)       # 0.01 deg of longitude at 37 N
0.89
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from scripts.validation.sites import Site

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
COAST_RIVERS = Path("coast-rivers") / "korea_gshhg_full_coast_wdbii_rivers.geojson"
KM_PER_DEG = 111.2


@dataclass(frozen=True)
class Observed:
    """Distance (km) from a site to the mapped shoreline and to the nearest mapped river."""

    coast_km: float
    river_km: float


def nearest_km(lat: float, lon: float, segments: NDArray[np.float64]) -> float:
    """Distance (km) to the nearest of ``segments`` (rows lon0, lat0, lon1, lat1).

    Local equirectangular plane around the site: exact enough at the few tens of km that
    matter here.
    """
    kx = KM_PER_DEG * np.cos(np.radians(lat))
    ax = (segments[:, 0] - lon) * kx
    ay = (segments[:, 1] - lat) * KM_PER_DEG
    bx = (segments[:, 2] - lon) * kx
    by = (segments[:, 3] - lat) * KM_PER_DEG
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = np.clip(-(ax * dx + ay * dy) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
    px, py = ax + t * dx, ay + t * dy
    return float(np.sqrt(px * px + py * py).min())


def _segments(path: Path) -> dict[str, NDArray[np.float64]]:
    """Segments of every LineString by ``properties.kind`` (coast, river)."""
    with path.open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    parts: dict[str, list[NDArray[np.float64]]] = {}
    for f in features:
        geom = f["geometry"]
        lines = [geom["coordinates"]] if geom["type"] == "LineString" else geom["coordinates"]
        for line in lines:
            xy = np.asarray(line, dtype=np.float64)[:, :2]
            if len(xy) > 1:
                seg = np.hstack([xy[:-1], xy[1:]])
                parts.setdefault(f["properties"]["kind"], []).append(seg)
    return {k: np.concatenate(v) for k, v in parts.items()}


def observed(sites: tuple[Site, ...], shared: Path = SHARED_DATA) -> dict[str, Observed] | None:
    """Observed distances per site key, or None when the shared data are not on this machine."""
    path = shared / COAST_RIVERS
    if not path.is_file():
        return None
    v = _segments(path)
    return {
        s.key: Observed(nearest_km(s.lat, s.lon, v["coast"]), nearest_km(s.lat, s.lon, v["river"]))
        for s in sites
    }
