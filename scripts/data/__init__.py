"""Derivations of the packaged tables from ``../shared/data`` (run by ``make data``)."""
