"""The portfolio CSV: every bad cell of every bad row is reported, good rows become requests."""

from __future__ import annotations

from pathlib import Path

import pytest

from riskreport.analysis.request import ReportRequest
from riskreport.interfaces.commands.portfolio import (
    COLUMNS,
    PortfolioRow,
    RowProblem,
    fingerprint,
    read_portfolio,
)

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "buildings.csv"
HEADER = "name,address,lat,lon,year_built,use,scenarios,horizons\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "buildings.csv"
    path.write_bytes(text.encode(encoding))
    return path


def test_the_sample_portfolio_is_valid_and_mixed() -> None:
    portfolio = read_portfolio(EXAMPLE)
    assert portfolio.problems == []
    assert 8 <= len(portfolio.rows) == portfolio.total <= 12
    kinds = {"address" in row.body["target_location"] for row in portfolio.rows}
    assert kinds == {True, False}  # addresses and coordinates
    uses = {row.body["building_info"]["use"] for row in portfolio.rows}
    assert len(uses) >= 5
    for row in portfolio.rows:
        # What is sent is exactly what the API accepts.
        assert ReportRequest.model_validate(row.body).model_dump(
            mode="json", exclude_unset=True
        ) == dict(row.body)


def test_cells_become_typed_fields_and_lists(tmp_path: Path) -> None:
    path = write(
        tmp_path, HEADER + "해운대,부산광역시 해운대구,,,1998,office,SSP2-4.5; SSP5-8.5,2030;2050\n"
    )
    [row] = read_portfolio(path).rows
    assert row.row == 2  # spreadsheet numbering: the header is row 1
    assert row.name == "해운대"
    assert row.body == {
        "target_location": {"address": "부산광역시 해운대구"},
        "building_info": {"year_built": 1998, "use": "office"},
        "analysis_params": {"scenarios": ["SSP2-4.5", "SSP5-8.5"], "horizons": [2030, 2050]},
    }
    assert row.key == fingerprint(row.body)
    assert row.slug == "002-해운대"


def test_every_bad_row_is_reported_with_row_column_and_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        HEADER
        + "A,부산광역시 해운대구,,,1700,office,SSP9,2050\n"  # row 2: two bad cells
        + "B,서울특별시 중구,,,1990,office,,\n"  # row 3: fine
        + "\n"  # a blank line is no building, but it still counts as a spreadsheet row
        + "C,,37.5,,1990,spaceship,,1900\n"  # row 5: three problems
        + "D,어딘가 없는 곳,,,,,,\n"  # row 6: address not in Korea
        + "E,,37.97,126.55,,,,\n",  # row 7: Kaesong, North Korea
    )
    portfolio = read_portfolio(path)
    assert [row.row for row in portfolio.rows] == [3]
    assert portfolio.total == 5
    found = {(p.row, p.column, p.field) for p in portfolio.problems}
    assert found == {
        (2, "year_built", "building_info.year_built"),
        (2, "scenarios", "analysis_params.scenarios.0"),
        (5, None, "target_location"),
        (5, "use", "building_info.use"),
        (5, "horizons", "analysis_params.horizons.0"),
        (6, "address", "target_location.address"),
        (7, "lon", "target_location.lon"),
    }
    messages = [str(p) for p in portfolio.problems]
    assert "row 2, column year_built (building_info.year_built): " in messages[0]
    assert "1800" in messages[0]


def test_unknown_and_duplicate_columns_are_header_problems(tmp_path: Path) -> None:
    path = write(tmp_path, "name,address,colour,address\nA,서울특별시 중구,red,x\n")
    problems = read_portfolio(path).problems
    assert RowProblem(1, "address", None, "duplicate column") in problems
    unknown = [p for p in problems if p.column == "colour"]
    assert unknown
    assert "unknown column" in unknown[0].message
    assert all(name in unknown[0].message for name in COLUMNS)


def test_dotted_columns_reach_any_field(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "address,building_info.has_piloti,building_info.distance_to_river_m\n"
        "서울특별시 중구,true,120\n",
    )
    [row] = read_portfolio(path).rows
    assert row.body["building_info"] == {"has_piloti": True, "distance_to_river_m": 120.0}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp949"])
def test_spreadsheet_encodings_are_read(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path, HEADER + "강릉,강원특별자치도 강릉시,,,,,,\n", encoding)
    [row] = read_portfolio(path).rows
    assert row.name == "강릉"
    assert row.body["target_location"] == {"address": "강원특별자치도 강릉시"}


def test_empty_files_are_problems(tmp_path: Path) -> None:
    assert read_portfolio(write(tmp_path, "")).problems[0].message == "the file is empty"
    assert "no building rows" in read_portfolio(write(tmp_path, HEADER)).problems[0].message


def test_extra_cells_are_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "name,address\nA,서울특별시 중구,surplus\n")
    [problem] = read_portfolio(path).problems
    assert problem.row == 2
    assert "3 cells but 2 columns" in problem.message


def test_fingerprint_ignores_key_order_but_not_values() -> None:
    a = {"x": 1, "y": {"a": [1, 2]}}
    assert fingerprint(a) == fingerprint({"y": {"a": [1, 2]}, "x": 1})
    assert fingerprint(a) != fingerprint({"x": 2, "y": {"a": [1, 2]}})


def test_slug_without_a_name_uses_the_place() -> None:
    row = PortfolioRow(
        row=7, name="", body={"target_location": {"lat": 35.1, "lon": 129.0}}, key="k"
    )
    assert row.slug == "007-35-1_129-0"
