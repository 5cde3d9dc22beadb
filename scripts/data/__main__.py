"""``make data``: derive the packaged tables from the raw observations in ``../shared/data``.

    python -m scripts.data                       # every table, into src/riskreport/domain/data
    python -m scripts.data --only typhoon        # one derivation
    python -m scripts.data --out /tmp/tables     # elsewhere (the reproducibility test does this)

Each derivation is a module of this package with ``derive(shared: Path, out: Path) -> list[Path]``
that reads only ``shared`` and writes only into ``out``; the product never reads ``shared``.
"""

from __future__ import annotations

import argparse
import importlib
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SHARED = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "src" / "riskreport" / "domain" / "data"
# The derivations, in the order they run.
DERIVATIONS: tuple[str, ...] = (
    "admin",
    "coast",
    "sea_level",
    "rivers",
    "typhoon",
    "climate",
    "rainfall",
    "wildfire",
)

Derive = Callable[[Path, Path], list[Path]]


def derivation(name: str) -> Derive:
    module = importlib.import_module(f"scripts.data.{name}")
    fn: Derive = module.derive
    return fn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.data", description=__doc__)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="raw data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where tables are written")
    parser.add_argument("--only", action="append", choices=DERIVATIONS, help="run just these")
    args = parser.parse_args(argv)
    if not args.shared.is_dir():
        parser.error(f"{args.shared} is not a folder (expected the shared/data observations)")
    for name in args.only or DERIVATIONS:
        start = time.perf_counter()
        written = derivation(name)(args.shared, args.out)
        took = time.perf_counter() - start
        for path in written:
            print(f"{name}: {path.name} ({path.stat().st_size:,} bytes, {took:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
