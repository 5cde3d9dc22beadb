"""The typhoon hazard on the packaged wind table: magnitudes, contrasts and provenance."""

from __future__ import annotations

import numpy as np

from riskreport.domain.building import STRUCTURES, Structure
from riskreport.domain.cases import case_grid
from riskreport.domain.hazards.registry import REGISTRY
from riskreport.domain.hazards.typhoon.inputs import TyphoonInputs
from riskreport.domain.site import site_batch

# Seogwipo, Jeju city, Seoul City Hall, Busan Haeundae.
LAT = np.array([33.2533, 33.4996, 37.5665, 35.163])
LON = np.array([126.5597, 126.5312, 126.978, 129.163])


def _run(structure: Structure = Structure.REINFORCED_CONCRETE) -> tuple[np.ndarray, TyphoonInputs]:
    site = site_batch(
        lat=LAT, lon=LON, structure=np.full(LAT.size, STRUCTURES.index(structure), dtype=np.int64)
    )
    cases = case_grid(("SSP2-4.5", "SSP5-8.5"), (2050, 2100))
    result = REGISTRY.get("typhoon").run(site, cases)
    assert isinstance(result.inputs, TyphoonInputs)
    return result.loss / site.value_krw[:, None], result.inputs


def test_seogwipo_reinforced_concrete_loses_about_half_a_permille_a_year() -> None:
    eal, _ = _run()
    assert 0.0002 < eal[0, 0] <= 0.0006  # Seogwipo today, fraction of value per year


def test_jeju_and_busan_above_seoul_in_every_case() -> None:
    eal, _ = _run()
    seogwipo, jeju, seoul, haeundae = eal
    assert (seogwipo > seoul).all()
    assert (jeju > seoul).all()
    assert (haeundae > seoul).all()


def test_warming_raises_the_loss_but_within_the_published_range() -> None:
    eal, _ = _run()
    assert (eal[:, 1:] >= eal[:, :1]).all()
    # Intensity is capped at +10.7 % and frequency at -10.3 %: loss at most a few times today's.
    assert (eal[:, -1] < 4.0 * eal[:, 0]).all()


def test_one_published_half_damage_wind_for_every_structure() -> None:
    _, rc = _run()
    _, wood = _run(Structure.WOOD)
    np.testing.assert_array_equal(rc.v_half_ms, 135.6)
    np.testing.assert_array_equal(wood.v_half_ms, 135.6)
    np.testing.assert_array_equal(rc.wind_10min_ms, wood.wind_10min_ms)
