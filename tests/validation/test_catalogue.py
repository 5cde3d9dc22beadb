"""The validation data and tooling: sites, events, citations, ranking and the document."""

from __future__ import annotations

import doctest
import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from scripts.validation import evaluate, geography, render, sites
from scripts.validation.evaluate import Outcome, ranks, verdict
from scripts.validation.sites import Record, load_catalogue

HAZARDS = set(render.TITLES)
DOC = Path(__file__).resolve().parents[2] / "docs" / "validation.md"


def test_at_least_twelve_sites_each_with_a_cited_event() -> None:
    cat = load_catalogue()
    assert len(cat.sites) >= 12
    for s in cat.sites:
        assert 33.0 <= s.lat <= 38.75, s.key
        assert 124.5 <= s.lon <= 132.0, s.key
        assert s.events, s.key
        for e in s.events:
            assert set(e.hazards) <= HAZARDS, (s.key, e.hazards)
            assert e.cite.url.startswith(("http://", "https://")), s.key
            assert e.cite.title, s.key
            assert e.cite.publisher, s.key
            # a year at least, not in the future
            year = int(e.cite.date[:4])
            assert 1900 <= year <= date.today().year, (s.key, e.cite.date)


def test_events_cover_floods_typhoons_fires_heat_and_cold() -> None:
    covered = {h for s in load_catalogue().sites for e in s.events for h in e.hazards}
    wanted = {"river_flood", "urban_flood", "coastal_flood", "typhoon", "wildfire"}
    assert covered >= wanted | {"heat_wave", "cold_wave"}


def test_record_names_high_and_low_sites_that_have_events_for_the_hazard() -> None:
    cat = load_catalogue()
    for hazard, rec in cat.record.items():
        assert hazard in HAZARDS
        assert rec.high
        assert rec.low
        assert not set(rec.high) & set(rec.low)
        for key in rec.high:
            # a site the record puts high has a documented event of that hazard
            assert any(hazard in e.hazards for e in cat.site(key).events), (hazard, key)


def test_sites_in_the_same_order_as_the_file() -> None:
    text = sites.SITES_FILE.read_text(encoding="utf-8")
    keys = re.findall(r'^key = "([a-z_]+)"', text, flags=re.MULTILINE)
    assert [s.key for s in load_catalogue().sites] == keys


def _o(site: str, loss: float) -> Outcome:
    return Outcome(site, "h", "acute", None, None, "", loss, loss, None)


def test_zero_everywhere_disagrees_with_any_record() -> None:
    out = [_o(k, 0.0) for k in "abcd"]
    v = verdict(Record("h", ("a",), ("b", "c"), ""), out)
    assert (v.in_order, v.tied, v.word) == (0, 2, "disagrees")
    assert set(ranks(out).values()) == {1}


def test_agreement_needs_the_high_sites_in_the_upper_half() -> None:
    out = [_o("a", 5.0), _o("b", 4.0), _o("c", 3.0), _o("d", 2.0), _o("e", 1.0), _o("f", 0.0)]
    assert verdict(Record("h", ("a", "b"), ("f",), ""), out).word == "agrees"
    assert verdict(Record("h", ("a", "d"), ("f",), ""), out).word == "partly"


def test_document_has_the_markers_and_the_command() -> None:
    text = DOC.read_text(encoding="utf-8")
    assert render.BEGIN in text
    assert render.END in text
    assert render.COMMAND in text
    with pytest.raises(ValueError, match="markers"):
        render.replace_between("no markers here", "body")


def test_observed_geography_is_optional(tmp_path: Path) -> None:
    assert geography.observed(load_catalogue().sites, tmp_path) is None


def test_distance_to_a_segment_is_to_its_nearest_point() -> None:
    seg = np.array([[127.0, 37.0, 127.1, 37.0]])  # along 37 N
    assert geography.nearest_km(37.01, 127.05, seg) == pytest.approx(1.112, abs=1e-3)
    # beyond the end: distance to the end point
    assert geography.nearest_km(37.0, 127.2, seg) == pytest.approx(
        0.1 * 111.2 * np.cos(np.radians(37.0)), rel=1e-9
    )


@pytest.mark.parametrize("module", [evaluate, geography, render, sites])
def test_doctests(module: object) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)  # type: ignore[arg-type]
    assert result.failed == 0
