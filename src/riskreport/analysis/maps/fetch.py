"""Download the published Aqueduct Floods v2 maps once, resumably, and clip them to a box.

Only ``riskreport maps fetch`` calls this; nothing downloads by itself. Use::

    names = plan("river_flood", scenarios=("historical", "rcp8p5"))
    with httpx.Client() as client:
        for name in names:
            fetch_one(client, BASE_URL, name, Path("maps"), Box(124.5, 33.0, 132.0, 38.75))

Each file goes to ``<dest>/.download/<name>.part`` first. An interrupted transfer resumes from
the bytes already there (HTTP ``Range``), within the run (a few retries) or in the next run; the
finished size must equal the size the server announced. The global map is then clipped to the
box into ``<dest>/<name>`` (same name, Zstandard-compressed: it decompresses about a third
faster than deflate) and deleted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from riskreport.analysis.maps.names import (
    HISTORICAL,
    RIVER,
    RIVER_HISTORICAL_MODEL,
    RIVER_MODELS,
    coast_name,
    river_name,
)
from riskreport.analysis.maps.raster import rasterio_module
from riskreport.domain.hazards.registry import REGISTRY

# The public download location of the Aqueduct Floods v2 GeoTIFFs (index.html lists them).
BASE_URL = "https://wri-projects.s3.amazonaws.com/AqueductFloodTool/download/v2/"
# Hazards that take maps, by the map family they read (the registry says).
HAZARD_PREFIX = {h.key: h.map_prefix for h in REGISTRY if h.map_prefix is not None}
SCENARIOS = (HISTORICAL, "rcp4p5", "rcp8p5")
YEARS = (2030, 2050, 2080)
FETCH_RETURN_PERIODS = (2, 5, 10, 25, 50, 100, 250, 500, 1000)
ATTEMPTS = 4
# Callback: (file name, bytes so far, total bytes or None).
Progress = Callable[[str, int, int | None], None]


class FetchError(RuntimeError):
    """A file could not be downloaded, verified or clipped; the message names it."""


@dataclass(frozen=True, slots=True)
class Box:
    """A lon/lat box: west, south, east, north (degrees)."""

    west: float
    south: float
    east: float
    north: float

    @classmethod
    def parse(cls, text: str) -> Box:
        """``"124.5,33,132,38.75"`` -> Box; ``ValueError`` saying what is wrong.

        >>> Box.parse("124.5,33,132,38.75").north
        38.75
        """
        parts = [p.strip() for p in text.split(",")]
        if len(parts) != 4:
            raise ValueError("--bbox takes four numbers: W,S,E,N")
        w, s, e, n = (float(p) for p in parts)
        if not (-180 <= w < e <= 180 and -90 <= s < n <= 90):
            raise ValueError("--bbox needs -180 <= W < E <= 180 and -90 <= S < N <= 90")
        return cls(w, s, e, n)


def plan(
    hazard: str,
    scenarios: Sequence[str] = SCENARIOS,
    years: Sequence[int] = YEARS,
    models: Sequence[str] = RIVER_MODELS,
    subsidence: str = "wtsub",
    projection: str = "0_perc_50",
) -> list[str]:
    """The published file names to fetch for a hazard (every return period of the model).

    >>> len(plan("river_flood", ("historical",)))
    9
    >>> plan("coastal_flood", ("rcp4p5",), (2050,))[0]
    'inuncoast_rcp4p5_wtsub_2050_rp0002_0_perc_50.tif'
    """
    if hazard not in HAZARD_PREFIX:
        raise ValueError(f"hazard {hazard!r}: choose {' or '.join(HAZARD_PREFIX)}")
    prefix = HAZARD_PREFIX[hazard]
    names = []
    for climate in scenarios:
        if climate not in SCENARIOS:
            raise ValueError(f"scenario {climate!r}: choose among {', '.join(SCENARIOS)}")
        for year in (0,) if climate == HISTORICAL else years:
            for rp in FETCH_RETURN_PERIODS:
                if prefix == RIVER:
                    chosen = (RIVER_HISTORICAL_MODEL,) if climate == HISTORICAL else models
                    names += [river_name(climate, m, year, rp) for m in chosen]
                elif climate == HISTORICAL:
                    # Today's coastal maps are published without subsidence, at one projection.
                    names.append(coast_name(climate, "nosub", year, rp, "0"))
                else:
                    names.append(coast_name(climate, subsidence, year, rp, projection))
    return names


_CONTENT_RANGE = re.compile(r"bytes (\d+)-(\d+)/(\d+)")


def download(
    client: httpx.Client, url: str, part: Path, name: str, progress: Progress | None = None
) -> int:
    """Download ``url`` into ``part``, resuming from its current size; returns the total size.

    Retries an interrupted transfer from where it stopped; ``FetchError`` if the size the
    server announced is not reached or the server refuses.
    """
    total: int | None = None
    last: Exception | None = None
    for _ in range(ATTEMPTS):
        have = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={have}-"} if have else {}
        try:
            with client.stream("GET", url, headers=headers) as response:
                if response.status_code == 416 and total is not None and have == total:
                    return total
                if response.status_code == 206:
                    m = _CONTENT_RANGE.match(response.headers.get("content-range", ""))
                    if m is None or int(m[1]) != have:
                        raise FetchError(f"{name}: the server answered a different range")
                    total = int(m[3])
                    mode = "ab"
                elif response.status_code == 200:
                    length = response.headers.get("content-length")
                    total = int(length) if length is not None else None
                    have, mode = 0, "wb"  # no range support: start over
                else:
                    raise FetchError(f"{name}: HTTP {response.status_code} from {url}")
                with part.open(mode) as fh:
                    # As they arrive: a buffered chunk would be lost when the transfer breaks.
                    for chunk in response.iter_bytes():
                        fh.write(chunk)
                        have += len(chunk)
                        if progress is not None:
                            progress(name, have, total)
        except (httpx.TransportError, httpx.RemoteProtocolError) as exc:
            last = exc  # interrupted: the next attempt resumes from the bytes on disk
            continue
        size = part.stat().st_size
        if total is None or size == total:
            return size
        last = FetchError(f"{name}: {size} bytes received, {total} announced")
    raise FetchError(f"{name}: download did not complete after {ATTEMPTS} attempts ({last})")


class BoxOutside(FetchError, ValueError):
    """The box does not overlap the map: a bad ``--bbox``, not a failed transfer."""


def clip(source: Path, target: Path, box: Box, name: str = "") -> tuple[int, int]:
    """Write the part of ``source`` inside ``box`` to ``target`` (same grid); its (rows, cols).

    The window is widened to whole cells, so the clipped map's cells are the published ones.
    """
    rasterio = rasterio_module()
    from affine import Affine
    from rasterio.windows import Window

    with rasterio.open(source) as src:
        t = src.transform
        col0 = max(math.floor((box.west - t.c) / t.a), 0)
        col1 = min(math.ceil((box.east - t.c) / t.a), src.width)
        row0 = max(math.floor((t.f - box.north) / -t.e), 0)
        row1 = min(math.ceil((t.f - box.south) / -t.e), src.height)
        if col1 <= col0 or row1 <= row0:
            raise BoxOutside(f"{name or source.name}: the box lies outside the map")
        data = src.read(1, window=Window(col0, row0, col1 - col0, row1 - row0))
        profile = src.profile.copy()
        profile.update(
            driver="GTiff",
            width=col1 - col0,
            height=row1 - row0,
            transform=Affine(t.a, 0.0, t.c + col0 * t.a, 0.0, t.e, t.f + row0 * t.e),
            compress="zstd",
            tiled=False,
        )
        profile.pop("blockxsize", None)
        profile.pop("blockysize", None)
        tmp = target.with_name(target.name + ".tmp")
        with rasterio.open(tmp, "w", **profile) as dst:
            dst.write(data, 1)
    tmp.replace(target)
    return row1 - row0, col1 - col0


def fetch_one(
    client: httpx.Client,
    base_url: str,
    name: str,
    dest: Path,
    box: Box,
    progress: Progress | None = None,
) -> bool:
    """Fetch and clip one map; False if ``dest`` already has it (nothing downloaded)."""
    target = dest / name
    if target.exists():
        return False
    staging = dest / ".download"
    staging.mkdir(parents=True, exist_ok=True)
    part = staging / (name + ".part")
    download(client, base_url.rstrip("/") + "/" + name, part, name, progress)
    clip(part, target, box, name)
    part.unlink()
    return True
