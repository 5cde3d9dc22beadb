"""Portfolio benchmark: 100,000 buildings x 9 hazards x 4 scenarios x 3 horizons on one core.

Run with ``python -m bench.portfolio [--buildings N] [--repeat R] [--no-write]``. The figures land
in ``docs/benchmarks.md`` between the ``bench:portfolio`` markers (other sections are left alone).

Each measurement runs in a fresh child process with BLAS pinned to one thread, twice: with the
default glibc allocator settings, and with ``MALLOC_MMAP_THRESHOLD_``/``MALLOC_TRIM_THRESHOLD_``
raised so that freed numpy buffers are reused instead of being returned to the kernel and faulted
in again (costly on some virtual machines). Buildings are spread at random over Korea's land with
random uses, structures, storeys, basements and values; the timer covers ``analyze_portfolio`` on
columns: site lookups, defaults, all hazards, scores and totals.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BEGIN, END = "<!-- bench:portfolio -->", "<!-- /bench:portfolio -->"
ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "benchmarks.md"
ONE_THREAD = dict.fromkeys(("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"), "1")
TUNED_MALLOC = {"MALLOC_MMAP_THRESHOLD_": "268435456", "MALLOC_TRIM_THRESHOLD_": "536870912"}
HORIZONS = (2030, 2050, 2100)


def buildings(n: int, seed: int = 1) -> dict[str, Any]:
    """Random buildings on South Korean land: rejection on the packaged land/sea grid, then on
    the polygons (a point in North Korea is not assessed, so it would not count)."""
    import numpy as np

    from riskreport.analysis.location import located
    from riskreport.domain.site_grid import lookup

    rng = np.random.default_rng(seed)
    lat: list[float] = []
    lon: list[float] = []
    while len(lat) < n:
        la, lo = rng.uniform(33.2, 38.6, n), rng.uniform(125.0, 129.6, n)
        km, _ = lookup(la, lo)
        keep = km > 0
        keep[keep] = located(la[keep], lo[keep])
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


def measure(n: int, repeat: int) -> dict[str, Any]:
    """Time ``analyze_portfolio`` in this process (run by the child)."""
    import numpy as np

    from riskreport.analysis.pipeline import analyze_portfolio
    from riskreport.domain.scenarios import SCENARIOS

    cols = buildings(n)
    analyze_portfolio(buildings(1000, seed=2), SCENARIOS, HORIZONS)  # warm caches
    walls, cpus = [], []
    for _ in range(repeat):
        r0, t0 = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
        result = analyze_portfolio(cols, SCENARIOS, HORIZONS)
        r1 = resource.getrusage(resource.RUSAGE_SELF)
        walls.append(time.perf_counter() - t0)
        cpus.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
    one = single_report()
    return {
        "one_best_ms": one[0],
        "one_median_ms": one[1],
        "wall": min(walls),
        "wall_median": float(np.median(walls)),
        "cpu": min(cpus),
        "results": int(result.loss.size),
        "hazards": len(result.hazards),
        "numpy": np.__version__,
    }


def single_report(runs: int = 50) -> tuple[float, float]:
    """Best and median wall ms of one warm ``analyze()`` (lat/lon site, the template narrative)."""
    import numpy as np

    from riskreport.analysis.pipeline import analyze

    args = ({"lat": 35.163, "lon": 129.163}, {"use": "office", "floors_above": 12})
    analyze(*args)  # warm: tables, polygons, templates
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        analyze(*args)
        times.append((time.perf_counter() - t0) * 1000.0)
    return min(times), float(np.median(times))


def _child(n: int, repeat: int, extra_env: dict[str, str]) -> dict[str, Any]:
    env = {**os.environ, **ONE_THREAD, **extra_env}
    src = str(ROOT / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, str(ROOT), env.get("PYTHONPATH")) if p)
    cmd = [sys.executable, "-m", "bench.portfolio", "--child", str(n), str(repeat)]
    out = subprocess.run(cmd, env=env, check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--child", nargs=2, type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(*args.child)))
        return
    from riskreport.domain.losses import RETURN_PERIODS

    default = _child(args.buildings, args.repeat, {})
    tuned = _child(args.buildings, args.repeat, TUNED_MALLOC)
    command = " ".join(["python -m bench.portfolio", *sys.argv[1:]])
    load = os.getloadavg()[0]
    rows = [
        f"| {name} | {args.buildings:,} | {r['hazards']} x 4 x 3 (+ baseline) | {r['results']:,} "
        f"| {r['wall']:.3f} | {r['wall_median']:.3f} | {r['cpu']:.3f} |"
        for name, r in (("default allocator", default), ("tuned allocator", tuned))
    ]
    section = "\n".join(
        [
            BEGIN,
            "## Portfolio (vectorized risk model)",
            "",
            f"`{command}`: {platform.machine()}, {os.cpu_count()} cores (load average "
            f"{load:.1f} at the end), Python {platform.python_version()}, numpy "
            f"{default['numpy']}, BLAS on one thread, {args.repeat} runs each.",
            "",
            "| run | buildings | hazards x scenarios x horizons | results | best wall s "
            "| median wall s | best CPU s |",
            "|---|---|---|---|---|---|---|",
            *rows,
            "",
            "A result is one expected annual loss or annual cost with its score; acute hazards",
            f"evaluate {len(RETURN_PERIODS)} return periods each. Target (issue #9): under 2 s. "
            "*Tuned allocator*: "
            + ", ".join(f"`{k}={v}`" for k, v in TUNED_MALLOC.items())
            + ", which keeps freed numpy buffers for reuse (worth setting for large",
            "portfolios on virtual machines where page faults are slow).",
            "",
            "One warm `analyze()` in the same child (a lat/lon site in Busan, all hazards, the "
            "template narrative, 50 runs): "
            + "; ".join(
                f"{name} best {r['one_best_ms']:.1f} ms, median {r['one_median_ms']:.1f} ms"
                for name, r in (("default allocator", default), ("tuned allocator", tuned))
            )
            + ". Target: under 15 ms.",
            END,
        ]
    )
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
