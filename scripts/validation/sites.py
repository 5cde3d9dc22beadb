"""The validation sites, their documented events and what the record says, from ``sites.toml``.

>>> cat = load_catalogue()
>>> len(cat.sites) >= 12, cat.site("daegu").name
(True, 'Daegu, KMA station')
>>> cat.record["heat_wave"].high
('daegu', 'hongcheon')
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SITES_FILE = Path(__file__).with_name("sites.toml")

# One building for every site, so that differences between sites come from the site alone:
# a reinforced-concrete office of 10 storeys and one basement, with fixed values (KRW).
BUILDING: dict[str, Any] = {
    "structure": "reinforced_concrete",
    "use": "office",
    "floors_above": 10,
    "floors_below": 1,
    "floor_area_m2": 10_000,
    "year_built": 2000,
}
ASSET: dict[str, Any] = {
    "replacement_value_krw": 20_000_000_000,
    "contents_value_krw": 4_000_000_000,
    "annual_revenue_krw": 2_000_000_000,
}
SCENARIO = "SSP2-4.5"
HORIZON = 2050


@dataclass(frozen=True)
class Citation:
    """Where an event is documented: a headline (or [a description]), publisher, date, URL."""

    title: str
    publisher: str
    date: str
    url: str


@dataclass(frozen=True)
class Event:
    """One documented event at a site and the model hazards it bears on."""

    date: str
    hazards: tuple[str, ...]
    what: str
    cite: Citation


@dataclass(frozen=True)
class Site:
    """A real place; ``lat``/``lon`` are the landmark in ``where``, to about 200 m."""

    key: str
    name: str
    name_ko: str
    where: str
    lat: float
    lon: float
    events: tuple[Event, ...]

    def request(self) -> dict[str, Any]:
        """The site as a request-like dict for ``riskreport.analyze_portfolio``."""
        return {
            "target_location": {"lat": self.lat, "lon": self.lon},
            "building_info": dict(BUILDING),
            "asset_info": dict(ASSET),
        }


@dataclass(frozen=True)
class Record:
    """What the record says for one hazard: sites that should rank high, and low."""

    hazard: str
    high: tuple[str, ...]
    low: tuple[str, ...]
    says: str


@dataclass(frozen=True)
class Catalogue:
    """All sites (in file order) and the record per hazard."""

    sites: tuple[Site, ...]
    record: dict[str, Record]

    def site(self, key: str) -> Site:
        """The site with this key; ``KeyError`` if there is none."""
        for s in self.sites:
            if s.key == key:
                return s
        raise KeyError(key)


def _event(raw: dict[str, Any]) -> Event:
    c = raw["cite"]
    return Event(
        date=str(raw["date"]),
        hazards=tuple(raw["hazards"]),
        what=raw["what"],
        cite=Citation(c["title"], c["publisher"], str(c["date"]), c["url"]),
    )


def load_catalogue(path: Path = SITES_FILE) -> Catalogue:
    """Read and check ``sites.toml``: unique keys, every record key a known site."""
    with path.open("rb") as fh:
        raw = tomllib.load(fh)
    sites = tuple(
        Site(
            key=s["key"],
            name=s["name"],
            name_ko=s["name_ko"],
            where=s["where"],
            lat=float(s["lat"]),
            lon=float(s["lon"]),
            events=tuple(_event(e) for e in s.get("event", [])),
        )
        for s in raw["site"]
    )
    keys = [s.key for s in sites]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{path}: repeated site key")
    record: dict[str, Record] = {}
    for hazard, r in raw.get("record", {}).items():
        rec = Record(hazard, tuple(r["high"]), tuple(r["low"]), r["says"])
        unknown = [k for k in rec.high + rec.low if k not in keys]
        if unknown:
            raise ValueError(f"{path}: record.{hazard} names unknown sites {unknown}")
        record[hazard] = rec
    return Catalogue(sites, record)
