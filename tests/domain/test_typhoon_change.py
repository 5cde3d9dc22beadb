"""Knutson changes as functions of warming: zero today, rising, never extrapolated."""

from __future__ import annotations

import numpy as np
import pytest

from riskreport.domain.geodata.typhoon import (
    MAX_PUBLISHED_WARMING_C,
    frequency_change,
    intensity_change,
)
from riskreport.domain.scenarios import PRESENT_WARMING_C, SCENARIOS, warming

WARMING = np.linspace(0.0, 8.0, 161)


def test_no_change_today_or_cooler() -> None:
    assert intensity_change(np.array([0.0, 0.5, PRESENT_WARMING_C])).tolist() == [0.0] * 3
    assert frequency_change(np.array([0.0, 0.5, PRESENT_WARMING_C])).tolist() == [0.0] * 3


def test_intensity_passes_through_the_published_points() -> None:
    # RCP4.5/8.5 by 2050 at +2.0/+2.4 C, by 2100 at +2.7/+4.4 C (AR6 SPM.1 warming).
    got = intensity_change(np.array([2.0, 2.4, 2.7, 4.4]))
    np.testing.assert_allclose(got, [0.029, 0.040, 0.044, 0.107])
    assert pytest.approx(4.4) == MAX_PUBLISHED_WARMING_C


def test_changes_are_monotone_in_warming() -> None:
    assert (np.diff(intensity_change(WARMING)) >= 0.0).all()
    assert (np.diff(frequency_change(WARMING)) <= 0.0).all()
    assert intensity_change(np.array([1.5]))[0] > 0.0
    assert frequency_change(np.array([1.5]))[0] < 0.0


def test_capped_at_the_largest_published_point() -> None:
    hot = np.array([4.4, 4.9, 6.0, 8.0])
    np.testing.assert_allclose(intensity_change(hot), 0.107)
    np.testing.assert_allclose(frequency_change(np.array([2.0, 2.7, 4.9])), -0.103)
    assert intensity_change(WARMING).max() == pytest.approx(0.107)
    assert frequency_change(WARMING).min() == pytest.approx(-0.103)


def test_every_scenario_and_horizon_stays_in_range() -> None:
    w = np.array([warming(s, y) for s in SCENARIOS for y in (2030, 2050, 2100)])
    assert ((intensity_change(w) >= 0.0) & (intensity_change(w) <= 0.107)).all()
    assert ((frequency_change(w) <= 0.0) & (frequency_change(w) >= -0.103)).all()
