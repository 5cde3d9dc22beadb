"""The ``Prefer`` request header (RFC 7240), as far as the API honours it: ``wait=N``.

Use::

    >>> preferred_wait(["respond-async, wait=10"], cap=60)
    10.0
    >>> preferred_wait(['wait="120"'], cap=60)
    60.0
    >>> preferred_wait(["handling=lenient"], cap=60) is None
    True
    >>> preferred_wait(["wait=" + "9" * 5000], cap=60)
    60.0
    >>> preferred_wait(["wait=\u00b2"], cap=60) is None
    True

Preferences the server does not understand, and malformed values, are ignored, as RFC 7240
section 2 asks.
"""

from __future__ import annotations

from collections.abc import Iterable


def _preferences(values: Iterable[str]) -> Iterable[tuple[str, str | None]]:
    for header in values:
        for preference in header.split(","):
            # Parameters after ";" modify a preference; "wait" takes none, so they are dropped.
            token, _, value = preference.split(";", 1)[0].partition("=")
            name = token.strip().lower()
            if name:
                yield name, (value.strip().strip('"') if value else None)


def preferred_wait(values: Iterable[str], *, cap: float) -> float | None:
    """Seconds the client prefers to wait (``wait=N``), capped at ``cap``; None if not asked."""
    for name, value in _preferences(values):
        # ASCII digits only ("²".isdigit() is true, int("²") raises); a value of more digits
        # than any cap is the cap, never converted (int() refuses thousands of digits).
        if name == "wait" and value is not None and value.isascii() and value.isdigit():
            return float(cap if len(value) > 9 else min(int(value), cap))
    return None


def applied_wait(seconds: float) -> str:
    """The ``Preference-Applied`` value for an honoured wait."""
    return f"wait={int(seconds)}"
