"""JTWC best tracks read and interpolated to hourly storm positions for the typhoon wind table.

The CSV gives 6-hourly fixes (``VMax``: 1-minute sustained surface wind, knots); the raw parquet
adds the radius of maximum wind (``MRD``, nautical miles), analysed from about 2001 on. Linear
interpolation in time to ``step_h``-hour points keeps a storm that moves ~300 km in six hours
from stepping over the 0.25-degree cells it crosses::

    fixes = read_fixes(shared / "typhoon")
    track = hourly(fixes, step_h=1.0)     # every storm, every hour, with its forward motion
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow.parquet as pq  # type: ignore[import-untyped]  # no stubs; data extra

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

KNOT_MS = 0.514444  # m/s per knot (exact: 1852 m / 3600 s)
NMI_KM = 1.852  # km per nautical mile
EARTH_RADIUS_KM = 6371.0
# Longest gap between two fixes of one storm that is still interpolated; JTWC fixes are 6-hourly
# and a few early tracks have 12-hour gaps. Longer gaps are left as gaps.
MAX_GAP_H = 24.0


@dataclass(frozen=True, slots=True)
class Fixes:
    """Best-track points, one per storm and time, sorted by storm then time."""

    storm: I64  # SN, e.g. 201918
    hour: F64  # hours since 1970-01-01 00 UTC
    lat: F64
    lon: F64
    vmax_ms: F64  # 1-minute sustained surface wind, m/s
    rmw_km: F64  # radius of maximum wind, km (NaN where the archive has none)


@dataclass(frozen=True, slots=True)
class Track:
    """Hourly storm positions (all storms stacked) with year and forward velocity."""

    year: I64
    lat: F64
    lon: F64
    vmax_ms: F64
    rmw_km: F64
    east_ms: F64  # forward motion, eastward component
    north_ms: F64  # forward motion, northward component

    def select(self, keep: npt.NDArray[np.bool_]) -> Track:
        return Track(*(getattr(self, f.name)[keep] for f in fields(self)))


def _key(year: I64, month: I64, day: I64, hour: I64, cy: I64) -> I64:
    """One integer per fix (time and the storm's number in its year) to join the two files."""
    key: I64 = (((year * 100 + month) * 100 + day) * 100 + hour) * 100 + cy
    return key


def _rmw_by_key(raw: Path) -> tuple[I64, F64]:
    """Radius of maximum wind (km) per fix key; the parquet repeats a fix per wind-radius row."""
    cols = ["YYYY", "MM", "DD", "HH", "CY", "MRD"]
    table = pq.read_table(raw, columns=cols).to_pydict()
    ints = [np.asarray(table[c], dtype=np.int64) for c in cols[:5]]
    mrd = np.array([np.nan if v is None else float(v) for v in table["MRD"]])
    mrd[~(mrd > 0.0)] = np.nan  # 0 marks "not analysed" in the early 2000s
    keys = _key(*ints)
    order = np.lexsort((np.nan_to_num(mrd, nan=-1.0), keys))
    keys, mrd = keys[order], mrd[order]
    last = np.r_[keys[1:] != keys[:-1], True]  # the largest MRD of each key
    return keys[last], mrd[last] * NMI_KM


def read_fixes(folder: Path) -> Fixes:
    """The 6-hourly fixes of ``JTWC_wp_1945_2022.csv`` with the RMW of ``JTWC_raw.parquet``."""
    with (folder / "JTWC_wp_1945_2022.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    cy, year, month, day, hr, sn = (
        np.array([int(r[c]) for r in rows], dtype=np.int64)
        for c in ("CY", "Year", "Month", "Day", "Hour", "SN")
    )
    lat, lon, vmax = (np.array([float(r[c]) for r in rows]) for c in ("Lat", "Lon", "VMax"))
    stamp = np.array(
        [
            f"{y:04d}-{m:02d}-{d:02d}T{h:02d}"
            for y, m, d, h in zip(year, month, day, hr, strict=True)
        ],
        dtype="datetime64[h]",
    )
    hours = stamp.astype(np.int64).astype(np.float64)
    keys, rmw = _rmw_by_key(folder / "JTWC_raw.parquet")
    mine = _key(year, month, day, hr, cy)
    at = np.clip(np.searchsorted(keys, mine), 0, keys.size - 1)
    rmw_km = np.where(keys[at] == mine, rmw[at], np.nan)
    order = np.lexsort((hours, sn))
    return Fixes(
        sn[order], hours[order], lat[order], lon[order], vmax[order] * KNOT_MS, rmw_km[order]
    )


def hourly(fixes: Fixes, step_h: float = 1.0) -> Track:
    """Linear interpolation between consecutive fixes of each storm, every ``step_h`` hours.

    Each segment [fix i, fix i+1) yields round(gap / step_h) points; the forward velocity of a
    point is that of its segment. A storm's last fix is not repeated (its winds are within one
    step of the previous point).
    """
    same = fixes.storm[1:] == fixes.storm[:-1]
    start = np.nonzero(same)[0]
    gap = fixes.hour[start + 1] - fixes.hour[start]
    start, gap = start[(gap > 0) & (gap <= MAX_GAP_H)], gap[(gap > 0) & (gap <= MAX_GAP_H)]
    n = np.maximum(np.rint(gap / step_h).astype(np.int64), 1)
    seg = np.repeat(np.arange(start.size), n)
    frac = (np.arange(seg.size) - np.repeat(np.cumsum(n) - n, n)) / n[seg]
    i = start[seg]

    def lerp(x: F64) -> F64:
        out: F64 = x[i] + (x[i + 1] - x[i]) * frac
        return out

    hours = lerp(fixes.hour)
    years = np.floor(hours).astype("datetime64[h]").astype("datetime64[Y]").astype(np.int64) + 1970
    mid_lat = np.radians(0.5 * (fixes.lat[i] + fixes.lat[i + 1]))
    km_per_deg = np.radians(1.0) * EARTH_RADIUS_KM
    seconds = gap[seg] * 3600.0
    north = (fixes.lat[i + 1] - fixes.lat[i]) * km_per_deg * 1000.0 / seconds
    east = (fixes.lon[i + 1] - fixes.lon[i]) * km_per_deg * np.cos(mid_lat) * 1000.0 / seconds
    return Track(
        year=years,
        lat=lerp(fixes.lat),
        lon=lerp(fixes.lon),
        vmax_ms=lerp(fixes.vmax_ms),
        rmw_km=lerp(fixes.rmw_km),
        east_ms=east,
        north_ms=north,
    )
