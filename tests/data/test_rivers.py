"""Distance to the major rivers: the shared check values and the packaged index."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scripts.data.polylines import FILE, exact_distance_km, read_lines

from riskreport.domain.geodata.rivers import distance_to_river_m


def test_raw_river_distances_match_the_check_values(shared_data: Path) -> None:
    rivers = read_lines(shared_data / "coast-rivers" / FILE, "river")
    # shared/data/README.md: Seoul 4.6 km, Haeundae 15.5 km to the nearest mapped river.
    assert exact_distance_km(rivers, 37.5665, 126.978) == pytest.approx(4.6, rel=0.05)
    assert exact_distance_km(rivers, 35.163, 129.163) == pytest.approx(15.5, rel=0.05)


def test_packaged_distances_match_the_check_values() -> None:
    d = distance_to_river_m(np.array([37.5665, 35.163]), np.array([126.978, 129.163]))
    np.testing.assert_allclose(d, [4600.0, 15500.0], rtol=0.05)


def test_a_bank_of_the_han_is_close_to_a_river() -> None:
    # Yeouido Hangang park lies on the Han's south bank; the Han is about 1 km wide there and
    # WDBII draws one line down the river, so a bank reads several hundred metres.
    assert distance_to_river_m(np.array([37.528]), np.array([126.933]))[0] < 1500.0
