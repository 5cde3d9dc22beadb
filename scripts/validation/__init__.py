"""Validation of the risk model against real Korean sites with documented events.

``python -m scripts.validation`` runs every hazard at every site of ``sites.toml`` through the
public API, ranks the sites per hazard and rewrites the generated part of ``docs/validation.md``.
``tests/validation`` asserts the contrasts the record makes plain on the same sites.
"""
