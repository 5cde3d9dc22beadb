"""A folder of hazard maps: which files it holds, and the depth curves they give at sites.

::

    folder = MapFolder.scan(Path("maps"))          # names only; rasterio opens files lazily
    curves = folder.curves("inunriver", lat, lon)  # MapCurves, or None: no river maps here

River maps of several climate models are averaged per return period (the ensemble mean);
coastal maps take the median sea level (``0_perc_50``) where present, then the 95th percentile
(``0``), then the 5th, and land subsidence (``wtsub``) before none. Return periods a set lacks are
read from its others linearly in ln(T), held flat beyond them (as user curves are).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from riskreport.analysis.maps.names import (
    COAST,
    HISTORICAL,
    PROJECTIONS,
    SUBSIDENCE,
    BadName,
    MapName,
    parse_name,
)
from riskreport.analysis.maps.raster import Grid, Points, open_raster, prefetch
from riskreport.domain.array import Array
from riskreport.domain.hazards.flood_maps import MAP_CLIMATES, MAP_YEARS, MapCurves
from riskreport.domain.losses import RETURN_PERIODS

SUFFIXES = (".tif", ".tiff")


@dataclass(frozen=True, slots=True)
class MapFolder:
    """The parsed map files of one folder (files with other suffixes are ignored)."""

    path: Path
    maps: tuple[MapName, ...]

    @classmethod
    def scan(cls, path: Path) -> MapFolder:
        """Parse every GeoTIFF's name; ``BadName`` (naming the file) on the first bad one."""
        if not path.is_dir():
            raise FileNotFoundError(f"hazard map folder {path} does not exist")
        found = []
        for file in sorted(path.iterdir()):
            if file.suffix.lower() not in SUFFIXES:
                continue
            try:
                found.append(parse_name(file.name))
            except BadName as exc:
                raise BadName(f"{file.name}: {exc}") from exc
        return cls(path, tuple(found))

    def prefixes(self) -> frozenset[str]:
        return frozenset(m.prefix for m in self.maps)

    def chosen(self, prefix: str) -> dict[tuple[str, int], dict[int, list[MapName]]]:
        """(climate, year) -> return period -> the files averaged for it."""
        sets: dict[tuple[str, int], dict[int, list[MapName]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for m in self.maps:
            if m.prefix == prefix:
                sets[m.group][m.rp].append(m)
        if prefix == COAST:
            for by_rp in sets.values():
                variants = {(m.variant, m.projection) for ms in by_rp.values() for m in ms}
                best = min(
                    variants, key=lambda v: (PROJECTIONS.index(v[1]), SUBSIDENCE.index(v[0]))
                )
                for rp in list(by_rp):
                    kept = [m for m in by_rp[rp] if (m.variant, m.projection) == best]
                    if kept:
                        by_rp[rp] = kept
                    else:
                        del by_rp[rp]
        return {k: dict(v) for k, v in sets.items()}

    def curves(self, prefix: str, lat: Array, lon: Array) -> MapCurves | None:
        """Depth curves at the points from this folder's ``prefix`` maps; None if it has none."""
        sets = self.chosen(prefix)
        if not sets:
            return None
        n, n_rp = lat.shape[0], len(RETURN_PERIODS)
        used: set[str] = set()
        located: dict[Grid, Points] = {}  # maps share grids: locate the points once per grid
        # Rows are return periods, buildings last: each file's samples fill one contiguous row.
        today = np.full((n_rp, n), np.nan)
        future = np.full((len(MAP_CLIMATES), len(MAP_YEARS), n_rp, n), np.nan)
        # Every map opened and its points located once, then their windows read side by side.
        rasters = {
            m.name: open_raster(self.path / m.name)
            for by_rp in sets.values()
            for ms in by_rp.values()
            for m in ms
        }
        for raster in rasters.values():
            if raster.grid not in located:
                located[raster.grid] = raster.grid.locate(lat, lon)
        prefetch([(raster, located[raster.grid]) for raster in rasters.values()])

        def fill(key: tuple[str, int], out: Array) -> None:
            by_rp = sets.get(key)
            if not by_rp or len(by_rp) < 2:
                return  # a curve needs two return periods at least: stays NaN
            rps = sorted(by_rp)
            samples = np.empty((len(rps), n))
            for i, rp in enumerate(rps):
                row = samples[i]
                for j, m in enumerate(by_rp[rp]):
                    raster = rasters[m.name]
                    values = raster.sample(lat, lon, located[raster.grid])
                    if np.isfinite(values).any():
                        used.add(m.name)
                    if j == 0:
                        row[:] = values
                    else:
                        row += values  # NaN where any model lacks it
                if len(by_rp[rp]) > 1:
                    row /= len(by_rp[rp])  # the ensemble mean
            np.maximum(samples, 0.0, out=samples)
            np.matmul(_weights(rps).T, samples, out=out)

        fill((HISTORICAL, 0), today)
        for c, climate in enumerate(MAP_CLIMATES):
            for y, year in enumerate(MAP_YEARS):
                fill((climate, year), future[c, y])
        return MapCurves(today.T, future.transpose(3, 0, 1, 2), tuple(sorted(used)))


def _weights(rps: list[int]) -> Array:
    """(len(rps), n_rp): reads values given at ``rps`` at the model's return periods."""
    x = np.log(np.asarray(rps, dtype=np.float64))
    eye = np.eye(len(rps))
    return np.stack([np.interp(np.log(RETURN_PERIODS), x, row) for row in eye])
