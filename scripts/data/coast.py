"""Distance to the sea: the GSHHG full-resolution shoreline, tidal estuaries cut off, indexed.

GSHHG draws the tidal lower reaches of some rivers as sea: the Han up to Yanghwa bridge in Seoul,
the Geum above its estuary barrage, the Yeongsan lake behind the Mokpo barrage. A building on
those banks is a river site, not a sea front, so the shoreline inside the boxes of
:data:`ESTUARY_CUTS` (each upstream of a cut line across the river mouth) is dropped before
indexing. What it costs elsewhere is measured in ``docs/data/coast.md``.

    python -m scripts.data --only coast
"""

from __future__ import annotations

from pathlib import Path

from scripts.data.polylines import FILE, drop_inside, index_arrays, read_lines
from scripts.data.still_water import still_water_arrays
from scripts.data.tables import write_npz

# (lon0, lon1, lat0, lat1) boxes of GSHHG "sea" that is a river channel upstream of a cut line:
# - Han and Imjin: east of 126.66 E between 37.53 and 37.95 N, i.e. upstream of the Han-Imjin
#   confluence off Gimpo (the open Yeomha strait and Incheon shore lie west of 126.66 E or south
#   of 37.53 N);
# - Geum: east of 126.76 E, upstream of the Geum estuary barrage (Gunsan-Seocheon, 1990);
# - Yeongsan: east of 126.46 E between 34.78 and 35.00 N, the freshwater lake behind the
#   Yeongsan estuary barrage at Mokpo (1981).
ESTUARY_CUTS: tuple[tuple[float, float, float, float], ...] = (
    (126.66, 127.20, 37.53, 37.95),
    (126.76, 127.20, 35.98, 36.25),
    (126.46, 126.80, 34.78, 35.00),
)
TABLE = "coast.npz"


def derive(shared: Path, out: Path) -> list[Path]:

    lines = drop_inside(read_lines(shared / "coast-rivers" / FILE, "coast"), ESTUARY_CUTS)
    meta = {
        "title": "Distance to the sea (GSHHG full-resolution shoreline, tidal estuaries cut) "
        "and extreme still-water levels at Korean tide stations",
        "sources": ["gshhg-2.3.6", "khoa-tide-tables", "kang-2005-maemi", "kscoe-2018-esl"],
        "licence": "Shoreline index derived from GSHHG 2.3.6 (LGPL-3): the distances are data "
        "derived from it and carry its terms; still-water levels from cited published figures.",
        "method": "Shoreline cut at 0.01 x 0.0125 deg cells, vertices quantised to 1/255 cell, "
        "exact segment distances within one cell; nearest-vertex offsets on a 0.02 deg node grid "
        "for farther sites. Estuary cut boxes: " + repr(ESTUARY_CUTS) + ". Still-water levels: "
        "see docs/data/coast.md.",
        "derived_by": "scripts/data/coast.py",
        "estuary_cuts": [list(b) for b in ESTUARY_CUTS],
    }
    return [write_npz(out / TABLE, {**index_arrays(lines), **still_water_arrays()}, meta)]
