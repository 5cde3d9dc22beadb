"""Portfolio benchmark: 100,000 buildings x 9 hazards x 4 scenarios x 3 horizons on one core.

Run with ``python -m bench.portfolio [--buildings N] [--repeat R]``. BLAS threads are pinned to
one before numpy loads. The figures land in ``docs/benchmarks.md`` between the
``bench:portfolio`` markers (other sections of that file are left alone).

Buildings are spread at random over Korea's land (rejection on the packaged land/sea grid) with
random uses, structures, storeys and basements; the timer covers ``analyze_portfolio`` on columns:
site lookups, defaults, all hazards, scores and totals.
"""

from __future__ import annotations

import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402 (threads must be pinned before numpy is imported)
import platform  # noqa: E402
import re  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

import numpy as np  # noqa: E402

from riskreport.analysis.pipeline import analyze_portfolio  # noqa: E402
from riskreport.domain.scenarios import SCENARIOS  # noqa: E402
from riskreport.domain.site_grid import lookup  # noqa: E402

BEGIN, END = "<!-- bench:portfolio -->", "<!-- /bench:portfolio -->"
DOC = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def buildings(n: int, seed: int = 1) -> dict[str, Any]:
    rng = np.random.default_rng(seed)
    lat: list[float] = []
    lon: list[float] = []
    while len(lat) < n:
        la, lo = rng.uniform(33.2, 38.6, n), rng.uniform(125.0, 129.6, n)
        km, _ = lookup(la, lo)
        keep = km > 0
        lat.extend(la[keep].tolist())
        lon.extend(lo[keep].tolist())
    return {
        "lat": np.array(lat[:n]),
        "lon": np.array(lon[:n]),
        "use": rng.integers(0, 8, n),
        "structure": rng.integers(0, 6, n),
        "floors_above": rng.integers(1, 30, n).astype(float),
        "floors_below": rng.integers(0, 4, n).astype(float),
        "replacement_krw": rng.uniform(1e8, 5e10, n),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    cols = buildings(args.buildings)
    horizons = (2030, 2050, 2100)
    analyze_portfolio(buildings(1000, seed=2), SCENARIOS, horizons)  # warm caches
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = analyze_portfolio(cols, SCENARIOS, horizons)
        times.append(time.perf_counter() - t0)
    best, median = min(times), float(np.median(times))
    cells = result.loss.size
    command = "python -m bench.portfolio " + " ".join(sys.argv[1:])
    lines = [
        BEGIN,
        "## Portfolio (vectorized model)",
        "",
        f"`{command.strip()}` on {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, numpy {np.__version__}, one thread.",
        "",
        "| buildings | hazards | scenarios | horizons (+ baseline) | results | best s | median s |",
        "|---|---|---|---|---|---|---|",
        f"| {args.buildings:,} | {len(result.hazards)} | {len(SCENARIOS)} | {len(horizons)} (+1) "
        f"| {cells:,} | {best:.3f} | {median:.3f} |",
        "",
        "Each result is an expected annual loss or annual cost with its score; acute hazards",
        "evaluate 9 return periods each. Target: under 1 s.",
        END,
    ]
    section = "\n".join(lines)
    print(section)
    if not args.no_write:
        text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
        pattern = re.compile(re.escape(BEGIN) + ".*?" + re.escape(END), re.S)
        if pattern.search(text):
            text = pattern.sub(lambda _: section, text)
        else:
            text = text.rstrip("\n") + "\n\n" + section + "\n"
        DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
