"""Operational signals of a running service: event-loop lag and Prometheus metrics.

This package imports only the standard library, ``prometheus_client`` and the engine's job
types, so that any entry point (HTTP API, worker, CLI) can use it.
"""
