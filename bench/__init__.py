"""Benchmarks; each writes its table to docs/benchmarks.md."""
