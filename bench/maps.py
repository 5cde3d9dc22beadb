"""Hazard-map sampling benchmark: 100,000 portfolio buildings against a Korea-sized map folder.

Run with ``python -m bench.maps [--buildings N] [--repeat R] [--no-write]``. The figures land in
``docs/benchmarks.md`` between the ``bench:maps`` markers (other sections are left alone).

The folder is written once into a temporary directory: river and coastal maps as
``riskreport maps fetch`` leaves them (30 arc-seconds, clipped to 124.5-132 E, 33-38.75 N,
zstd-compressed float32), one climate model per river set, today + RCP4.5/RCP8.5 x 2030,
2050, 2080, nine return periods each: 126 files. The timer covers ``MapHazardData.curves`` for
both hazards: every file's window read (cold: from disk; warm: from the per-process cache) and
the vectorised sampling and curve building of all buildings.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.load import replace_section
from bench.portfolio import buildings

BEGIN, END = "<!-- bench:maps -->", "<!-- /bench:maps -->"
ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
WEST, SOUTH, EAST, NORTH, CELL = 124.5, 33.0, 132.0, 38.75, 1.0 / 120.0
RPS = (2, 5, 10, 25, 50, 100, 250, 500, 1000)


def write_folder(folder: Path) -> int:
    """The Korea-sized map folder; returns the number of files."""
    import rasterio
    from affine import Affine

    from riskreport.analysis.maps.names import coast_name, river_name

    width, height = round((EAST - WEST) / CELL), round((NORTH - SOUTH) / CELL)
    y, x = np.mgrid[0:height, 0:width]
    # Smooth wet patches (compress like real maps do), deeper for rarer events and later years.
    field = np.clip(np.sin(x / 37.0) * np.cos(y / 23.0), 0.0, None).astype(np.float32)
    profile = {
        "driver": "GTiff",
        "width": width,
        "height": height,
        "count": 1,
        "dtype": "float32",
        "crs": "EPSG:4326",
        "transform": Affine(CELL, 0.0, WEST, 0.0, -CELL, NORTH),
        "nodata": -9999.0,
        "compress": "zstd",
    }
    sets = [("historical", 0)] + [(c, y) for c in ("rcp4p5", "rcp8p5") for y in (2030, 2050, 2080)]
    count = 0
    for climate, year in sets:
        for rp in RPS:
            scale = np.log(rp) * (1.0 + (year - 2000) / 200.0 if year else 1.0)
            for name in (
                river_name(climate, "000000000WATCH" if not year else "00000NorESM1-M", year, rp),
                coast_name(
                    climate,
                    "nosub" if not year else "wtsub",
                    year,
                    rp,
                    "0" if not year else "0_perc_50",
                ),
            ):
                with rasterio.open(folder / name, "w", **profile) as dst:
                    dst.write(field * np.float32(scale), 1)
                count += 1
    return count


def measure(n: int, repeat: int, folder: Path) -> dict[str, list[float]]:
    from riskreport.analysis.hazard_data import MapHazardData
    from riskreport.analysis.maps.folder import MapFolder
    from riskreport.analysis.maps.raster import clear_caches
    from riskreport.domain.hazards.registry import HAZARDS

    cols = buildings(n)
    lat, lon = cols["lat"], cols["lon"]
    data = MapHazardData(MapFolder.scan(folder))
    times: dict[str, list[float]] = {"cold": [], "warm": [], "cold_cpu": [], "warm_cpu": []}
    for _ in range(repeat):
        clear_caches()
        for kind in ("cold", "warm"):
            t0, c0 = time.perf_counter(), time.process_time()
            maps = data.curves(lat, lon, HAZARDS)
            times[kind].append(time.perf_counter() - t0)
            times[kind + "_cpu"].append(time.process_time() - c0)
            assert set(maps) == {"river_flood", "coastal_flood"}
            assert np.isfinite(maps["river_flood"].today).all()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="riskreport-maps-") as tmp:
        folder = Path(tmp)
        files = write_folder(folder)
        size_mb = sum(f.stat().st_size for f in folder.iterdir()) / 1e6
        times = measure(args.buildings, args.repeat, folder)
    load = os.getloadavg()[0]
    rows = "\n".join(
        f"| {kind} | {args.buildings:,} | {files} ({size_mb:,.0f} MB) | {min(t):.3f} | "
        f"{statistics.median(t):.3f} | {min(times[kind + '_cpu']):.3f} |"
        for kind, t in times.items()
        if not kind.endswith("_cpu")
    )
    import rasterio

    busy = (
        "\nThe machine was loaded while this ran (see the load average): wall times are upper "
        "bounds, the CPU column is the process's own time."
        if load > (os.cpu_count() or 1) / 2
        else ""
    )
    section = f"""{BEGIN}
## Hazard maps: sampling a portfolio

`python -m bench.maps`: {platform.machine()}, {os.cpu_count()} cores shared with other work
(load average {load:.1f} at the end), Python {platform.python_version()}, numpy
{np.__version__}, rasterio {rasterio.__version__}, {args.repeat} runs each.

| cache | buildings | map files | best wall s | median wall s | best CPU s |
|---|---|---|---|---|---|
{rows}

The timer covers the depth curves of river and coastal flood at every building from a Korea-sized
folder (30 arc-seconds, 124.5-132 E x 33-38.75 N, zstd-compressed, as `riskreport maps fetch`
writes them; one climate model per river set): one windowed read per file, vectorised sampling,
ensemble means and curves at the model's return periods. *Cold*: windows read and decompressed
from disk (page cache warm); *warm*: the per-process window cache holds them. Target: under 1 s.
The CPU column exceeds the wall time: a portfolio's windows are read on up to four threads at once
(GDAL decompresses without holding the GIL), and fetched maps are Zstandard-compressed.{busy}
{END}
"""
    print(section)
    if not args.no_write:
        replace_section(section, BEGIN, END, DOC)


if __name__ == "__main__":
    main()
