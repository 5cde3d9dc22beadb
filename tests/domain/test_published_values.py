"""Published values pinned, and the packaged transcriptions cross-checked with the reference."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest

from riskreport.domain.damage import JRC_ASIA, JRC_DEPTHS, emanuel_wind, jrc_flood, one_minute
from riskreport.domain.gazetteer import load_gazetteer
from riskreport.domain.losses import RETURN_PERIODS, eal_fraction
from riskreport.domain.scenarios import (
    REGIONAL_SLR_2100,
    frequency_multiplier,
    gmsl,
    slr_fraction,
    warming,
)

REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference"


@pytest.mark.parametrize(
    ("v", "v_half", "expected"),
    [
        (40.0, 74.7, 0.024),
        (50.0, 74.7, 0.109),
        (60.0, 74.7, 0.255),
        (70.0, 74.7, 0.425),
        (40.0, 135.6, 0.002),
        (50.0, 135.6, 0.011),
        (60.0, 135.6, 0.030),
        (70.0, 135.6, 0.061),
    ],
)
def test_emanuel_oracle(v: float, v_half: float, expected: float) -> None:
    assert float(emanuel_wind(np.array(v), np.array(v_half))) == pytest.approx(expected, abs=6e-4)


def test_emanuel_zero_below_threshold() -> None:
    assert float(emanuel_wind(np.array(25.7), np.array(74.7))) == 0.0


def test_ten_minute_to_one_minute() -> None:
    assert float(one_minute(np.array(44.0))) == pytest.approx(50.0)


def test_jrc_residential_oracle() -> None:
    assert float(jrc_flood(np.array(0.75), np.array(0))) == pytest.approx(0.4105)


def test_jrc_points_and_limits() -> None:
    for cls in range(3):
        got = jrc_flood(JRC_DEPTHS, np.full(len(JRC_DEPTHS), cls))
        np.testing.assert_allclose(got, JRC_ASIA[cls])
    assert float(jrc_flood(np.array(-1.0), np.array(1))) == 0.0
    assert float(jrc_flood(np.array(9.0), np.array(2))) == 1.0


def test_ar6_values() -> None:
    assert gmsl("SSP5-8.5", 2100) == pytest.approx(0.77)
    assert gmsl("SSP2-4.5", 2050) == pytest.approx(0.20)
    assert slr_fraction("SSP5-8.5", 2100) == pytest.approx(1.0)
    assert warming("SSP5-8.5", 2090) == pytest.approx(4.4)
    assert warming("SSP2-4.5", 2050) == pytest.approx(2.0)
    assert warming("SSP1-2.6", 2005) == pytest.approx(0.85)
    assert REGIONAL_SLR_2100[(35, 129)] == (0.45, 0.58, 0.73, 0.84)
    assert float(frequency_multiplier("precip10", np.array(0.85))) == pytest.approx(1.0)
    # +2 C vs today: 1.7 / M(0.85), M(0.85) interpolated between 1.0 and 1.3.
    assert float(frequency_multiplier("precip10", np.array(2.0))) == pytest.approx(1.7 / 1.255)


def test_eal_of_constant_curve_is_probability_span() -> None:
    assert float(eal_fraction(np.full(len(RETURN_PERIODS), 0.5))) == pytest.approx(0.5 * 0.499)


def _table_rows(text: str, first_cell: str) -> list[float]:
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if cells and cells[0] == first_cell:
            return [float(c) for c in cells[1:]]
    raise AssertionError(f"row {first_cell} not found")


def test_transcription_matches_parameters_md() -> None:
    text = (REFERENCE / "PARAMETERS.md").read_text(encoding="utf-8")
    for i, cls in enumerate(("residential", "commercial", "industrial")):
        np.testing.assert_allclose(_table_rows(text, cls), JRC_ASIA[i])
    np.testing.assert_allclose(_table_rows(text, "depth m"), JRC_DEPTHS)
    for scen in ("SSP1-2.6", "SSP2-4.5", "SSP3-7.0", "SSP5-8.5"):
        line = next(ln for ln in text.splitlines() if ln.startswith(f"| {scen} | 0."))
        medians = [float(x) for x in re.findall(r"\| (\d\.\d+) \[", line)]
        assert [gmsl(scen, y) for y in (2030, 2050, 2100)] == pytest.approx(medians)
    busan = re.search(r"Busan \(35,129\): ([\d. /]+)", text)
    assert busan is not None
    assert REGIONAL_SLR_2100[(35, 129)] == tuple(float(x) for x in busan.group(1).split(" / "))


def test_gazetteer_transcription_matches_reference() -> None:
    with (REFERENCE / "korea-gazetteer-2018.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["level"] in ("province", "municipality")]
    g = load_gazetteer()
    packaged = {p.code: p for p in g.provinces + g.municipalities}
    assert len(packaged) == len(rows) == 267
    for row in rows:
        p = packaged[row["code"]]
        assert (p.lat, p.lon, p.area_km2) == (
            float(row["lat"]),
            float(row["lon"]),
            float(row["area_km2"]),
        )
        assert p.parent_code == row["parent_code"]
