"""Readers of the raw weather observations in ``shared/data/climate`` (derivation time only).

>>> from pathlib import Path
>>> cities = read_cities(Path("../shared/data"))  # doctest: +SKIP
>>> cities[0].name, cities[0].tmax.shape  # doctest: +SKIP
('Busan', (3653,))
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
ERA5_DIR = "climate/open-meteo-era5"
ASOS_SEOUL = "climate/kma-asos/asos_108_seoul_daily_1907_2020.csv"


@dataclass(frozen=True)
class Series:
    """Daily values of one place: ``dates`` as ISO strings, NaN where a value is missing."""

    name: str
    lat: float
    lon: float
    dates: npt.NDArray[np.str_]
    tmax: Floats
    tmin: Floats
    rain_mm: Floats

    @property
    def years(self) -> npt.NDArray[np.int64]:
        return np.array([int(d[:4]) for d in self.dates], dtype=np.int64)

    def between(self, first: int, last: int) -> Series:
        """The days of the years ``first`` to ``last`` inclusive."""
        keep = (self.years >= first) & (self.years <= last)
        return Series(
            self.name,
            self.lat,
            self.lon,
            self.dates[keep],
            self.tmax[keep],
            self.tmin[keep],
            self.rain_mm[keep],
        )


def _number(value: object) -> float:
    if value is None or value == "":
        return float("nan")
    return float(str(value))


def read_city(path: Path) -> Series:
    """One Open-Meteo ERA5 city file: ``{city, lat, lon, daily: [{date, temp, ...}]}``."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    days = doc["daily"]
    return Series(
        name=str(doc["city"]),
        lat=float(doc["lat"]),
        lon=float(doc["lon"]),
        dates=np.array([d["date"] for d in days]),
        tmax=np.array([_number(d["temp"]["max"]) for d in days]),
        tmin=np.array([_number(d["temp"]["min"]) for d in days]),
        rain_mm=np.array([_number(d.get("precipitation_mm")) for d in days]),
    )


def read_cities(shared: Path) -> list[Series]:
    """The 30 ERA5 city series, sorted by file name; all cover the same days."""
    cities = [read_city(p) for p in sorted((shared / ERA5_DIR).glob("*.json"))]
    if not cities:
        raise FileNotFoundError(f"no city series in {shared / ERA5_DIR}")
    first = cities[0].dates
    for c in cities[1:]:
        if not np.array_equal(c.dates, first):
            raise ValueError(f"{c.name} covers other days than {cities[0].name}")
    return cities


def read_seoul_station(shared: Path) -> Series:
    """KMA ASOS 108 (Seoul) daily observations; the file is UTF-8 with a byte-order mark.

    A blank precipitation cell is a day without measurable rain (KMA leaves it empty), so it
    reads as 0; a blank temperature stays NaN.
    """
    with (shared / ASOS_SEOUL).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rain = np.array([_number(r["Precipitation"]) for r in rows])
    return Series(
        name="Seoul ASOS 108",
        lat=37.5714,  # station position, KMA station list
        lon=126.9658,
        dates=np.array([r["Date"] for r in rows]),
        tmax=np.array([_number(r["HighTemp"]) for r in rows]),
        tmin=np.array([_number(r["LowTemp"]) for r in rows]),
        rain_mm=np.nan_to_num(rain, nan=0.0),
    )


def days_per_year(
    values: Floats, years: npt.NDArray[np.int64], hot: bool, threshold: float
) -> float:
    """Mean count per year of days at or beyond ``threshold`` (>= if ``hot``, else <=)."""
    hits = values >= threshold if hot else values <= threshold
    return float(np.sum(hits) / len(np.unique(years)))


def annual_maxima(values: Floats, years: npt.NDArray[np.int64]) -> Floats:
    """The largest value of each calendar year present, in year order."""
    return np.array([np.nanmax(values[years == y]) for y in np.unique(years)])
