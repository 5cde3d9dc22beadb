"""Quantities of a hazard's report ``inputs`` block, with the user's provenance where given.

>>> from riskreport.domain.quantity import Provenance
>>> b = InputBlock("heat_wave", {})
>>> b.one("heat_days", 12.0, "days", "kma-warnings", Provenance.DATA)["provenance"]
'data'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from riskreport.domain.losses import RETURN_PERIODS
from riskreport.domain.quantity import Provenance, Quantity

_A = Provenance.ASSUMPTION


@dataclass(frozen=True, slots=True)
class InputBlock:
    """Builds one hazard's quantities; ``given`` maps ``"<hazard>.<name>"`` to the user's tag."""

    hazard: str
    given: Mapping[str, tuple[Provenance, str]]

    def _tag(self, name: str, prov: Provenance, src: str) -> tuple[Provenance, str]:
        return self.given.get(f"{self.hazard}.{name}", (prov, src))

    def one(
        self, name: str, value: float, unit: str, src: str, prov: Provenance = _A
    ) -> dict[str, object]:
        p, s = self._tag(name, prov, src)
        return Quantity(float(value), unit, p, s).as_dict()

    def from_site(self, fact: str, value: float, unit: str, src: str) -> dict[str, object]:
        """A quantity that follows the site fact ``fact`` (the fact, or a factor made of it):
        the user's where the request gave ``site.<fact>``, else an assumption from ``src``."""
        p, s = self.given.get(f"site.{fact}", (_A, src))
        return Quantity(float(value), unit, p, s).as_dict()

    def curve(self, name: str, values: Iterable[float], unit: str, src: str) -> dict[str, Any]:
        p, s = self._tag(name, _A, src)
        return {
            str(int(t)): Quantity(float(v), unit, p, s).as_dict()
            for t, v in zip(RETURN_PERIODS, values, strict=True)
        }
