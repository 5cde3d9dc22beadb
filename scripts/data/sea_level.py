"""Relative sea-level rise at the Korean tide gauges as departures from the global mean.

Grandey et al.'s fusion files give relative sea-level change 2020-2100 at 1,631 tide gauges for
the low / central / high bounds (fusions across emissions scenarios). For each Korean gauge,
year and bound this table keeps the gauge's value and the mean over all 1,631 gauges of the same
bound and year: their ratio is the gauge's departure from the (gauge-sampled) global mean, which
the model multiplies with the AR6 global mean of each SSP [ipcc-ar6-wg1-ch9].

    python -m scripts.data --only sea_level
"""

from __future__ import annotations

import csv
from pathlib import Path

import h5py  # type: ignore[import-untyped]
import numpy as np

from scripts.data.tables import write_npz

BOUNDS = ("low", "central", "high")
COUNTRY = "KOREA, REPUBLIC OF"
TABLE = "sea_level.npz"


def _korean_gauges(folder: Path) -> list[tuple[int, str, float, float]]:
    """(location id, name, lat, lon) of the Korean gauges with a 2100 value, by id."""
    with (folder / "locations_info_d25a.csv").open(encoding="utf-8") as fh:
        korean = {
            int(float(r["location"])) for r in csv.DictReader(fh) if r["gauge_country"] == COUNTRY
        }
    with (folder / "rsl_gauges_2100_d25a.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if int(r["location"]) in korean and r["central"]]
    return sorted(
        (int(r["location"]), r["gauge_name"], float(r["lat"]), float(r["lon"])) for r in rows
    )


def derive(shared: Path, out: Path) -> list[Path]:
    folder = shared / "sea-level"
    gauges = _korean_gauges(folder)
    values, means, years = [], [], None
    for bound in BOUNDS:
        with h5py.File(folder / f"rsl_{bound}_d25a.nc", "r") as f:
            locs = list(f["locations"][:])
            years = f["years"][:]
            change = f["sea_level_change"][:]  # (years, locations), metres
        cols = [locs.index(g[0]) for g in gauges]
        values.append(change[:, cols].T)  # (gauges, years)
        means.append(np.nanmean(change, axis=1))
    assert years is not None
    arrays = {
        "gauge_id": np.array([g[0] for g in gauges], dtype=np.int32),
        "gauge_name": np.array([g[1] for g in gauges]),
        "gauge_lat": np.array([g[2] for g in gauges], dtype=np.float32),
        "gauge_lon": np.array([g[3] for g in gauges], dtype=np.float32),
        "years": years.astype(np.int16),
        "bounds": np.array(BOUNDS),
        "rsl_m": np.round(np.stack(values, axis=-1), 4).astype(np.float32),  # (gauge, year, bound)
        "all_gauge_mean_m": np.round(np.stack(means, axis=-1), 4).astype(
            np.float32
        ),  # (year, bound)
    }
    meta = {
        "title": "Relative sea-level rise at Korean tide gauges and the all-gauge mean, "
        "2020-2100, low / central / high (m vs 2005)",
        "sources": ["grandey-2025-rsl", "ipcc-ar6-wg1-ch9"],
        "licence": "Grandey et al. fusion (MIT) built on the IPCC AR6 sea-level projections "
        "(CC BY 4.0); attribution required.",
        "method": "Values at the Korean gauges copied from the fusion files (rounded to 0.1 mm); "
        "all_gauge_mean_m is the mean over all 1,631 gauges of the same bound and year, the "
        "reference for each gauge's departure from the global mean (docs/data/sea-level.md).",
        "derived_by": "scripts/data/sea_level.py",
    }
    return [write_npz(out / TABLE, arrays, meta)]
