"""Coastal and river flood follow where the building is (issue 9): contrasts from the record."""

from __future__ import annotations

import numpy as np

from riskreport.domain.cases import case_grid
from riskreport.domain.geodata.coast import distance_to_coast_m
from riskreport.domain.geodata.sea_level import relative_rise_m
from riskreport.domain.hazards.coastal_flood import inputs as coastal_inputs
from riskreport.domain.hazards.coastal_flood.model import coastal_flood
from riskreport.domain.hazards.river_flood import inputs as river_inputs
from riskreport.domain.hazards.river_flood.model import river_flood
from riskreport.domain.site import site_batch

# Marine City sea front (Chaba 2016, Hinnamnor 2022), Seoul City Hall, Daegu centre,
# Yeouido on the Han, Daejeon centre.
LAT = np.array([35.157, 37.5665, 35.87, 37.528, 36.35])
LON = np.array([129.145, 126.978, 128.60, 126.933, 127.38])
CASES = case_grid(("SSP2-4.5", "SSP5-8.5"), (2050, 2100))


def _eal_fraction(which: str) -> np.ndarray:
    site = site_batch(lat=LAT, lon=LON)
    if which == "coastal":
        h = coastal_flood(site, coastal_inputs.derive(site), CASES)
    else:
        h = river_flood(site, river_inputs.derive(site), CASES)
    result: np.ndarray = h.loss / site.value_krw[:, None]
    return result


def test_a_sea_front_registers_coastal_flood_and_inland_sites_do_not() -> None:
    eal = _eal_fraction("coastal")
    assert np.all(eal[0] > 0.0)  # Marine City, today and in every case
    assert np.all(eal[1:] == 0.0)  # Seoul, Daegu, Yeouido, Daejeon
    # Sea-level rise makes it worse: 2100 above 2050, SSP5-8.5 above SSP2-4.5.
    base, s245_50, s245_00, s585_50, s585_00 = eal[0]
    assert base < s245_50 < s245_00 < s585_00
    assert s245_50 <= s585_50


def test_river_flood_is_no_longer_zero_by_construction() -> None:
    eal = _eal_fraction("river")
    assert np.all(eal[3] > 0.0)  # Yeouido, on the Han's bank
    assert np.all(eal[[0, 1, 2, 4]] == 0.0)  # kilometres from any mapped river


def test_river_depths_are_whole_millimetres_and_zero_far_from_a_river() -> None:
    depth = river_inputs.derive(site_batch(lat=LAT, lon=LON)).depth_m
    np.testing.assert_array_equal(depth, np.round(depth, 3))
    assert np.all(depth[[0, 2, 4]] == 0.0)  # over 10 km away: not 1e-11 m and the like
    assert depth[1, -1] <= 0.005  # Seoul City Hall, 4.6 km from the Han: millimetres
    assert depth[3, -1] > 1.0  # Yeouido's rarest flood: over a metre without its levee


def test_coastal_inputs_carry_the_sea_level_range_per_scenario() -> None:
    site = site_batch(lat=LAT[:1], lon=LON[:1])
    inputs = coastal_inputs.derive(site)
    assert inputs.slr_2100_low_m is not None
    assert inputs.slr_2100_high_m is not None
    direct = relative_rise_m(LAT[:1], LON[:1], "SSP2-4.5", 2100)[0]
    np.testing.assert_allclose(
        [inputs.slr_2100_low_m[0, 1], inputs.slr_2100_m[0, 1], inputs.slr_2100_high_m[0, 1]],
        direct,
    )
    assert inputs.ground_measured is not None
    assert inputs.ground_measured[0] == 0.0  # the default ground height


def test_a_measured_ground_height_meets_an_attenuated_sea() -> None:
    near = site_batch(lat=LAT[:1], lon=LON[:1], coast_km=np.array([0.0]), ground_m=np.array([2.0]))
    far = site_batch(lat=LAT[:1], lon=LON[:1], coast_km=np.array([0.6]), ground_m=np.array([2.0]))
    eal = [coastal_flood(s, coastal_inputs.derive(s), CASES).loss[0, -1] for s in (near, far)]
    assert eal[0] > eal[1] >= 0.0


def test_inland_cities_are_never_read_as_sea_front() -> None:
    # Daejeon and Nonsan once read 0 m: the open end of the cut Geum estuary put them on the
    # shoreline's sea side. Far from the line, the land mask decides.
    lat = np.array([36.36, 36.20, 35.87, 36.64, 37.88])
    lon = np.array([127.35, 127.10, 128.60, 127.49, 127.73])
    assert np.all(distance_to_coast_m(lat, lon) > 20_000.0)
