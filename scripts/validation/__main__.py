"""``python -m scripts.validation``: rewrite the generated part of docs/validation.md.

Options: ``--doc PATH`` (default docs/validation.md), ``--check`` (exit 1 if the document is
not up to date, write nothing), ``--stdout`` (print the section instead of writing it),
``--shared PATH`` (the shared observations, default ``../shared/data`` beside the worktree; when
absent the observed distances are left out).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from scripts.validation.evaluate import evaluate
from scripts.validation.geography import SHARED_DATA, observed
from scripts.validation.render import render, replace_between, verdict_words
from scripts.validation.sites import load_catalogue

DEFAULT_DOC = Path(__file__).resolve().parents[2] / "docs" / "validation.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.validation", description=__doc__)
    parser.add_argument("--doc", type=Path, default=DEFAULT_DOC)
    parser.add_argument("--check", action="store_true", help="fail if the document is stale")
    parser.add_argument("--stdout", action="store_true", help="print the section only")
    parser.add_argument(
        "--shared", type=Path, default=SHARED_DATA, help="the shared observations folder"
    )
    args = parser.parse_args(argv)
    catalogue = load_catalogue()
    ev = evaluate(catalogue)
    body = render(catalogue, ev, observed(catalogue.sites, args.shared))
    if args.stdout:
        sys.stdout.write(body)
        return 0
    old = args.doc.read_text(encoding="utf-8")
    new = replace_between(old, body)
    if args.check:
        if new != old:
            print(f"{args.doc} is stale: run python -m scripts.validation", file=sys.stderr)
            return 1
        return 0
    if new != old:
        args.doc.write_text(new, encoding="utf-8")
    summary = ", ".join(f"{h} {w}" for h, w in verdict_words(catalogue, ev).items())
    print(f"{args.doc}: {len(catalogue.sites)} sites; {summary}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
