"""One GeoTIFF map, read with rasterio: vectorised sampling through windowed reads, cached.

rasterio is the optional ``maps`` extra, imported only when a map folder is in use::

    raster = open_raster(Path("maps/inunriver_historical_000000000WATCH_1980_rp00100.tif"))
    depth = raster.sample(lat, lon)   # NaN outside the map or on nodata

A sample reads only the window spanning the points, once per call, and keeps it in a
per-process cache (bounded in bytes), so repeated reports and portfolios re-read nothing.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from riskreport.domain.array import Array, IntArray

EXTRA_HINT = "hazard maps need rasterio: pip install 'riskreport[maps]'"
# Windows kept per process: a Korea-sized portfolio window is ~2.5 MB per map, and a full
# river + coastal set of one climate model is 126 maps, so it fits.
CACHE_BYTES = 768 * 1024 * 1024
# GDAL decompresses without holding the GIL, so a portfolio's many windows are read on a few
# threads at once; more threads than cores would only queue.
READ_THREADS = min(4, os.cpu_count() or 1)


def rasterio_module() -> ModuleType:
    """rasterio, or an ``ImportError`` naming the extra to install."""
    try:
        import rasterio
    except ImportError as exc:  # the optional extra is missing
        raise ImportError(EXTRA_HINT) from exc
    module: ModuleType = rasterio
    return module


@dataclass(frozen=True, slots=True)
class Grid:
    """A north-up grid: cell (row, col) spans lon0 + col*dx .. and lat0 - row*dy .. ."""

    lon0: float
    lat0: float
    dx: float
    dy: float
    width: int
    height: int

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north)."""
        return (
            self.lon0,
            self.lat0 - self.height * self.dy,
            self.lon0 + self.width * self.dx,
            self.lat0,
        )

    def locate(self, lat: Array, lon: Array) -> Points:
        """The points' cells on this grid (shared by every map on it)."""
        col = np.floor((lon - self.lon0) / self.dx).astype(np.int64)
        row = np.floor((self.lat0 - lat) / self.dy).astype(np.int64)
        inside = (col >= 0) & (col < self.width) & (row >= 0) & (row < self.height)
        everywhere = bool(inside.all())
        if not everywhere:
            row, col = row[inside], col[inside]
        return Points(row, col, inside, everywhere, lat.shape[0])


class Points:
    """Points located on a grid: the cells of those inside, and flat indexes into windows."""

    def __init__(
        self, row: IntArray, col: IntArray, inside: Any, everywhere: bool, size: int
    ) -> None:
        self.row, self.col, self.inside, self.everywhere, self.size = (
            row,
            col,
            inside,
            everywhere,
            size,
        )
        self.any = bool(row.size)
        self.window = (
            (
                int(row.min()),
                int(col.min()),
                int(row.max() - row.min()) + 1,
                int(col.max() - col.min()) + 1,
            )
            if self.any
            else (0, 0, 0, 0)
        )
        self._flat: dict[tuple[int, int, int], IntArray] = {}

    def flat(self, block: Block) -> IntArray:
        """Indexes of the points into ``block.data.ravel()`` (computed once per block shape)."""
        key = (block.row0, block.col0, block.data.shape[1])
        if key not in self._flat:
            self._flat[key] = (self.row - block.row0) * block.data.shape[1] + (
                self.col - block.col0
            )
        return self._flat[key]


class Raster:
    """One map: its grid and nodata value, and an open rasterio dataset (thread-safe reads)."""

    def __init__(self, path: Path, key: str = "") -> None:
        rasterio = rasterio_module()
        self.path = path
        self.key = key or str(path)  # names this version of the file in the window cache
        self._lock = threading.Lock()
        self._dataset = rasterio.open(path)
        ds = self._dataset
        t = ds.transform
        if t.b != 0 or t.d != 0 or t.e >= 0:
            raise ValueError(f"{path.name}: the grid is rotated or not north-up")
        self.grid = Grid(t.c, t.f, t.a, -t.e, ds.width, ds.height)
        self.crs = ds.crs.to_string() if ds.crs is not None else ""
        self.nodata = ds.nodata
        self.count = ds.count

    def close(self) -> None:
        self._dataset.close()

    def read_window(self, row0: int, col0: int, rows: int, cols: int) -> Array:
        from rasterio.windows import Window

        with self._lock:
            block = self._dataset.read(1, window=Window(col0, row0, cols, rows), masked=False)
        values: Array = block.astype(np.float32, copy=False)
        return values

    def sample(self, lat: Array, lon: Array, points: Points | None = None) -> Array:
        """Values at the points (float64); NaN outside the grid, on nodata and on NaN.

        ``points`` (``grid.locate(lat, lon)``) saves locating them again for maps on one grid.
        """
        at = points if points is not None else self.grid.locate(lat, lon)
        if not at.any:
            return np.full(at.size, np.nan)
        block = _WINDOWS.get(self, *at.window)
        values = block.data.ravel().take(at.flat(block)).astype(np.float64)
        if self.nodata is not None and not np.isnan(self.nodata):
            values[values == self.nodata] = np.nan
        if at.everywhere:
            return values
        out = np.full(at.size, np.nan)
        out[at.inside] = values
        return out


@dataclass(frozen=True, slots=True)
class Block:
    """A window read from a raster, with the position of its first cell."""

    data: Array
    row0: int
    col0: int


class _WindowCache:
    """Windows read per raster, least recently used out first, within ``CACHE_BYTES``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._lock = threading.Lock()
        self._items: OrderedDict[tuple[str, int, int, int, int], Array] = OrderedDict()
        self._bytes = 0

    def get(self, raster: Raster, row0: int, col0: int, rows: int, cols: int) -> Block:
        key_path = raster.key
        with self._lock:
            for (path, r0, c0, nr, nc), block in reversed(self._items.items()):
                if (
                    path == key_path
                    and r0 <= row0
                    and c0 <= col0
                    and row0 + rows <= r0 + nr
                    and col0 + cols <= c0 + nc
                ):
                    self._items.move_to_end((path, r0, c0, nr, nc))
                    return Block(block, r0, c0)
        block = raster.read_window(row0, col0, rows, cols)
        with self._lock:
            self._items[(key_path, row0, col0, rows, cols)] = block
            self._bytes += block.nbytes
            while self._bytes > self.limit and len(self._items) > 1:
                _, old = self._items.popitem(last=False)
                self._bytes -= old.nbytes
        return Block(block, row0, col0)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


_WINDOWS = _WindowCache(CACHE_BYTES)


@lru_cache(maxsize=1024)
def _open(path: str, mtime_ns: int, size: int) -> Raster:
    return Raster(Path(path), f"{path}@{mtime_ns}:{size}")


def open_raster(path: Path) -> Raster:
    """The map at ``path``, opened once per process (again if the file changed)."""
    st = path.stat()
    return _open(str(path.resolve()), st.st_mtime_ns, st.st_size)


def prefetch(wanted: Sequence[tuple[Raster, Points]]) -> None:
    """Read the windows that ``sample`` will ask for, several maps at a time, into the cache.

    Skipped when they would not all fit in the cache (they would push each other out before
    use) or when there is nothing to share out; ``sample`` then reads each as it goes.
    """
    todo = [(raster, at) for raster, at in wanted if at.any]
    cells = sum(at.window[2] * at.window[3] for _, at in todo)
    if READ_THREADS < 2 or len(todo) < 2 or cells * 4 > CACHE_BYTES // 2:
        return

    def read(item: tuple[Raster, Points]) -> None:
        _WINDOWS.get(item[0], *item[1].window)

    with ThreadPoolExecutor(READ_THREADS, thread_name_prefix="riskreport-maps") as pool:
        for _ in pool.map(read, todo):  # re-raises the first read error here
            pass


def clear_caches() -> None:
    """Forget open maps and cached windows (tests that rewrite a folder)."""
    _WINDOWS.clear()
    _open.cache_clear()
