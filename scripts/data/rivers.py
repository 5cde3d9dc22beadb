"""Distance to the major rivers (WDBII rivers shipped with GSHHG 2.3.6), indexed like the coast.

WDBII holds the major rivers only, in Korea the national rivers (Han, Nakdong, Geum, Yeongsan,
Seomjin and their main branches); small urban streams are missing, so a site far from a mapped
river may still stand beside a stream. Levees of national rivers are designed for 100-200-year
floods [molit-2016].

    python -m scripts.data --only rivers
"""

from __future__ import annotations

from pathlib import Path

from scripts.data.polylines import FILE, index_arrays, read_lines
from scripts.data.tables import write_npz

TABLE = "rivers.npz"
# Jeju has no mapped river: offsets from its nodes reach past 262 km, so units of 16 m.
RIVER_NODE_UNIT_M = 16.0


def derive(shared: Path, out: Path) -> list[Path]:
    lines = read_lines(shared / "coast-rivers" / FILE, "river")
    meta = {
        "title": "Distance to the major rivers (WDBII, GSHHG 2.3.6)",
        "sources": ["gshhg-2.3.6"],
        "licence": "Derived from GSHHG 2.3.6 / WDBII (LGPL-3): the distances are data derived "
        "from it and carry its terms.",
        "method": "River lines cut at 0.01 x 0.0125 deg cells, vertices quantised to 1/255 cell, "
        "exact segment distances within one cell; nearest-vertex offsets on a 0.02 deg node grid "
        "for farther sites (docs/data/rivers.md).",
        "derived_by": "scripts/data/rivers.py",
    }
    return [write_npz(out / TABLE, index_arrays(lines, node_unit_m=RIVER_NODE_UNIT_M), meta)]
