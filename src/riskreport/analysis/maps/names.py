"""Hazard-map file names, as WRI Aqueduct Floods v2 publishes them.

River floods (GLOFRIS; ``model`` is the climate model, padded with zeros to 14 characters)::

    inunriver_{climate}_{model}_{year}_rp{RP:05d}.tif
    inunriver_historical_000000000WATCH_1980_rp00100.tif
    inunriver_rcp8p5_00000NorESM1-M_2050_rp00100.tif

Coastal floods (``subsidence`` wtsub or nosub; ``projection`` the sea-level percentile: ``0`` the
95th, ``0_perc_50`` the median, ``0_perc_05`` the 5th)::

    inuncoast_{climate}_{subsidence}_{year}_rp{RP:04d}_{projection}.tif
    inuncoast_historical_nosub_hist_rp0100_0.tif
    inuncoast_rcp4p5_wtsub_2080_rp0100_0_perc_50.tif

Climate is ``historical`` (river year 1980, coastal year ``hist``), ``rcp4p5`` or ``rcp8p5`` (years
2030, 2050, 2080). Conventions from the download index
http://wri-projects.s3.amazonaws.com/AqueductFloodTool/download/v2/index.html and Ward et al.
(2020), Aqueduct Floods Methodology.

>>> n = parse_name("inunriver_rcp8p5_00000NorESM1-M_2050_rp00100.tif")
>>> n.prefix, n.climate, n.variant, n.year, n.rp
('inunriver', 'rcp8p5', '00000NorESM1-M', 2050, 100)
>>> parse_name("inuncoast_historical_nosub_hist_rp0002_0.tif").year
0
"""

from __future__ import annotations

import re
from dataclasses import dataclass

RIVER = "inunriver"
COAST = "inuncoast"
PREFIXES = (RIVER, COAST)
HISTORICAL = "historical"
CLIMATES = (HISTORICAL, "rcp4p5", "rcp8p5")
FUTURE_YEARS = (2030, 2050, 2080)
RETURN_PERIODS = (1, 2, 5, 10, 25, 50, 100, 250, 500, 1000)
RIVER_MODELS = (
    "00000NorESM1-M",
    "0000GFDL-ESM2M",
    "0000HadGEM2-ES",
    "00IPSL-CM5A-LR",
    "MIROC-ESM-CHEM",
)
RIVER_HISTORICAL_MODEL = "000000000WATCH"
SUBSIDENCE = ("wtsub", "nosub")
# Preferred first: the median sea level (the model uses medians), then the published default.
PROJECTIONS = ("0_perc_50", "0", "0_perc_05")

_RIVER = re.compile(
    r"^inunriver_(?P<climate>historical|rcp4p5|rcp8p5)_(?P<variant>[0-9A-Za-z_-]{14})"
    r"_(?P<year>1980|2030|2050|2080)_rp(?P<rp>\d{5})\.tif$"
)
_COAST = re.compile(
    r"^inuncoast_(?P<climate>historical|rcp4p5|rcp8p5)_(?P<variant>wtsub|nosub)"
    r"_(?P<year>hist|2030|2050|2080)_rp(?P<rp>\d{4})_(?P<projection>0|0_perc_05|0_perc_50)\.tif$"
)


class BadName(ValueError):
    """A file in the map folder is not named as Aqueduct names its maps."""


@dataclass(frozen=True, slots=True)
class MapName:
    """One map file's name, parsed; ``year`` 0 is the historical (today's) map."""

    name: str
    prefix: str
    climate: str
    variant: str  # river: climate model; coast: subsidence
    year: int
    rp: int
    projection: str = ""  # coast only

    @property
    def group(self) -> tuple[str, int]:
        """(climate, year): the maps of one scenario and year, over return periods."""
        return self.climate, self.year


def parse_name(name: str) -> MapName:
    """Parse an Aqueduct map file name; ``BadName`` says what is wrong."""
    m = _RIVER.match(name)
    prefix = RIVER
    if m is None:
        m = _COAST.match(name)
        prefix = COAST
    if m is None:
        raise BadName(
            "not an Aqueduct Floods v2 name (inunriver_{climate}_{model}_{year}_rp{RP:05d}.tif "
            "or inuncoast_{climate}_{subsidence}_{year}_rp{RP:04d}_{projection}.tif)"
        )
    climate, raw_year, rp = m["climate"], m["year"], int(m["rp"])
    historical = raw_year in ("1980", "hist")
    if (climate == HISTORICAL) != historical:
        raise BadName(f"climate {climate} does not go with year {raw_year}")
    if rp not in RETURN_PERIODS:
        raise BadName(f"return period {rp} is not one of {RETURN_PERIODS}")
    return MapName(
        name=name,
        prefix=prefix,
        climate=climate,
        variant=m["variant"],
        year=0 if historical else int(raw_year),
        rp=rp,
        projection=m.groupdict().get("projection") or "",
    )


def river_name(climate: str, model: str, year: int, rp: int) -> str:
    """The published name of a river map.

    >>> river_name("historical", RIVER_HISTORICAL_MODEL, 0, 2)
    'inunriver_historical_000000000WATCH_1980_rp00002.tif'
    """
    y = "1980" if climate == HISTORICAL else str(year)
    return f"{RIVER}_{climate}_{model}_{y}_rp{rp:05d}.tif"


def coast_name(climate: str, subsidence: str, year: int, rp: int, projection: str) -> str:
    """The published name of a coastal map.

    >>> coast_name("rcp4p5", "wtsub", 2050, 100, "0_perc_50")
    'inuncoast_rcp4p5_wtsub_2050_rp0100_0_perc_50.tif'
    """
    y = "hist" if climate == HISTORICAL else str(year)
    return f"{COAST}_{climate}_{subsidence}_{y}_rp{rp:04d}_{projection}.tif"
