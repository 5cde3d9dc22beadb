"""Numbers that say where they came from.

Every number riskreport reports is a :class:`Quantity`: a value, a unit, a provenance and a source
key that resolves to a full citation in :mod:`riskreport.domain.sources`.

>>> Quantity(0.77, "m", Provenance.PUBLISHED, "ipcc-ar6-wg1-ch9").as_dict()
{'value': 0.77, 'unit': 'm', 'provenance': 'published', 'source': 'ipcc-ar6-wg1-ch9'}
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Provenance(StrEnum):
    """How a number came to apply to this building."""

    DATA = "data"  # read from a packaged data set (gazetteer, land mask)
    PUBLISHED = "published"  # a published parameter used as printed
    DERIVED = "derived"  # computed by the model from other quantities
    USER_INPUT = "user_input"  # given in the request
    ASSUMPTION = "assumption"  # a default or a model choice not fixed by a publication


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number with its unit, provenance and source key."""

    value: float
    unit: str
    provenance: Provenance
    source: str

    def as_dict(self, digits: int = 6) -> dict[str, object]:
        """JSON form; values are rounded to ``digits`` significant digits for stable output."""
        return {
            "value": significant(self.value, digits),
            "unit": self.unit,
            # The member's value as stored: ``.value`` is a property, and this runs for every
            # figure of every report.
            "provenance": self.provenance._value_,
            "source": self.source,
        }

    def with_value(self, value: float) -> Quantity:
        return Quantity(value, self.unit, self.provenance, self.source)


@dataclass(frozen=True, slots=True)
class Label:
    """A non-numeric input (an enum member, a name) with its provenance and source key."""

    value: str
    provenance: Provenance
    source: str

    def as_dict(self) -> dict[str, object]:
        return {"value": self.value, "provenance": self.provenance.value, "source": self.source}


def significant(value: float, digits: int = 6) -> float | int:
    """Round to ``digits`` significant digits; integers stay integers.

    >>> significant(0.123456789)
    0.123457
    >>> significant(30000000000.0)
    30000000000
    """
    v = value
    if type(v) is not float:  # a float, most often: no conversion to make
        if isinstance(v, bool):
            raise TypeError("a quantity value must be a number, not a bool")
        v = float(v)
    if not math.isfinite(v):
        raise ValueError(f"a quantity value must be finite, got {value!r}")
    if v == 0.0:
        return 0
    rounded = round(v, digits - 1 - math.floor(math.log10(abs(v))))
    if rounded.is_integer() and abs(rounded) < _EXACT_INTEGERS:
        return int(rounded)
    return rounded


# Below 2 ** 53 every integer is a float exactly.
_EXACT_INTEGERS: Final = float(2**53)
