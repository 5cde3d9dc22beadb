"""A portfolio CSV: one building per row, turned into report requests and checked all at once.

Columns are the request's fields by short name (``address``, ``lat``, ``lon``, ``structure``,
``year_built``, ``floors_above``, ``floors_below``, ``use``, ``floor_area_m2``,
``replacement_value_krw``, ``contents_value_krw``, ``annual_revenue_krw``, ``insured_fraction``,
``scenarios``, ``horizons``, ``hazards``, ``narrative``, ``language``) or by dotted path for
anything else (``building_info.basement_use``); ``name`` labels the row and is not sent. Empty
cells mean "use the default"; lists are separated by ``;``. Use::

    portfolio = read_portfolio(Path("examples/buildings.csv"))
    for problem in portfolio.problems:
        print(problem)          # row 4, column year_built (building_info.year_built): ...
    for row in portfolio.rows:  # only rows that validated
        body = row.body

Row numbers are spreadsheet rows: the header is row 1, the first building row 2.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError

from riskreport.analysis.request import ReportRequest

# Short column name -> dotted path in the request body.
COLUMNS: Mapping[str, str] = {
    "address": "target_location.address",
    "lat": "target_location.lat",
    "lon": "target_location.lon",
    "structure": "building_info.structure",
    "year_built": "building_info.year_built",
    "floors_above": "building_info.floors_above",
    "floors_below": "building_info.floors_below",
    "use": "building_info.use",
    "floor_area_m2": "building_info.floor_area_m2",
    "replacement_value_krw": "asset_info.replacement_value_krw",
    "contents_value_krw": "asset_info.contents_value_krw",
    "annual_revenue_krw": "asset_info.annual_revenue_krw",
    "insured_fraction": "asset_info.insured_fraction",
    "scenarios": "analysis_params.scenarios",
    "horizons": "analysis_params.horizons",
    "hazards": "analysis_params.hazards",
    "narrative": "analysis_params.narrative",
    "language": "language",
}
LABEL_COLUMN = "name"
LIST_SEPARATOR = ";"
# Pydantic names union members in error locations ("Coordinates", "function-after[...]");
# they are not something a person can fix in a cell.
_UNION_LABEL = re.compile(r"^[A-Z][A-Za-z0-9]*$|[\[(]")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why one row (or the header, row 1) cannot be used."""

    row: int
    column: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}"
        if self.column and self.field and self.column != self.field:
            where += f", column {self.column} ({self.field})"
        elif self.column:
            where += f", column {self.column}"
        elif self.field:
            where += f", field {self.field}"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class PortfolioRow:
    """One valid building: its row number, label, request body and a fingerprint of the body."""

    row: int
    name: str
    body: Mapping[str, Any]
    key: str

    @property
    def slug(self) -> str:
        """A file-name-safe label: ``003-해운대-오피스``."""
        text = self.name or _place(self.body) or "building"
        cleaned = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_").lower()
        return f"{self.row:03d}-{cleaned[:40].rstrip('-') or 'building'}"


@dataclass(slots=True)
class Portfolio:
    rows: list[PortfolioRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    total: int = 0  # data rows read, valid or not


def _place(body: Mapping[str, Any]) -> str:
    target = body.get("target_location") or {}
    if target.get("address"):
        return str(target["address"])
    if "lat" in target and "lon" in target:
        return f"{target['lat']}_{target['lon']}"
    return ""


def fingerprint(body: Mapping[str, Any]) -> str:
    """A stable hash of a request body: a row is redone when its content changed."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:16]


def _annotation_at(path: str) -> Any:
    """The type annotation of a dotted path in ``ReportRequest``, or None if there is none."""
    model: Any = ReportRequest
    annotation: Any = None
    for part in path.split("."):
        fields = getattr(model, "model_fields", None)
        if not fields or part not in fields:
            return None
        annotation = fields[part].annotation
        model = _model_in(annotation)
    return annotation


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``annotation`` (``Building | None`` -> ``Building``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, types.UnionType):
        for arg in get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None


def _is_list(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (list, tuple, set, frozenset):
        return True
    if origin in (Union, types.UnionType):
        return any(_is_list(arg) for arg in get_args(annotation))
    return False


def _set_path(body: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    node = body
    for part in parents:
        node = node.setdefault(part, {})
    node[leaf] = value


def _decode(raw: bytes) -> str:
    # Spreadsheets save UTF-8 (often with a BOM) or, in Korea, CP949 (EUC-KR).
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp949")


class _Header:
    def __init__(self, names: Sequence[str]) -> None:
        self.names = [n.strip() for n in names]
        self.paths: dict[str, str] = {}
        self.lists: set[str] = set()
        self.problems: list[RowProblem] = []
        seen: set[str] = set()
        for name in self.names:
            if not name:
                continue
            if name in seen:
                self.problems.append(RowProblem(1, name, None, "duplicate column"))
                continue
            seen.add(name)
            if name == LABEL_COLUMN:
                continue
            path = COLUMNS.get(name, name)
            annotation = _annotation_at(path)
            if annotation is None:
                known = ", ".join([LABEL_COLUMN, *COLUMNS])
                self.problems.append(
                    RowProblem(1, name, None, f"unknown column; known columns: {known}")
                )
                continue
            self.paths[name] = path
            if _is_list(annotation):
                self.lists.add(name)
        self.columns_by_path = {path: name for name, path in self.paths.items()}

    def column_of(self, path: str) -> str | None:
        """The column holding ``path`` or its closest ancestor field."""
        parts = path.split(".")
        for n in range(len(parts), 0, -1):
            column = self.columns_by_path.get(".".join(parts[:n]))
            if column:
                return column
        return None


def error_path(loc: Sequence[int | str]) -> str:
    """A pydantic error location as a dotted field path, without union-member labels."""
    kept = [str(p) for p in loc if not (isinstance(p, str) and _UNION_LABEL.search(p))]
    return ".".join(kept)


def read_portfolio(path: Path) -> Portfolio:
    """Read and validate every row; ``problems`` lists each bad cell of each bad row."""
    text = _decode(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""))
    portfolio = Portfolio()
    try:
        header = _Header(next(reader))
    except StopIteration:
        portfolio.problems.append(RowProblem(1, None, None, "the file is empty"))
        return portfolio
    portfolio.problems.extend(header.problems)
    for index, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # blank lines are not buildings
        portfolio.total += 1
        row = _read_row(index, cells, header, portfolio.problems)
        if row is not None:
            portfolio.rows.append(row)
    if portfolio.total == 0 and not portfolio.problems:
        portfolio.problems.append(RowProblem(1, None, None, "the file has no building rows"))
    return portfolio


def _read_row(
    index: int, cells: Sequence[str], header: _Header, problems: list[RowProblem]
) -> PortfolioRow | None:
    if len(cells) > len(header.names):
        extra = cells[len(header.names) :]
        if any(c.strip() for c in extra):
            problems.append(
                RowProblem(index, None, None, f"{len(cells)} cells but {len(header.names)} columns")
            )
            return None
    values = {name: cells[i].strip() for i, name in enumerate(header.names) if i < len(cells)}
    body: dict[str, Any] = {}
    for name, path in header.paths.items():
        raw = values.get(name, "")
        if not raw:
            continue
        value: Any = raw
        if name in header.lists:
            value = [item.strip() for item in raw.split(LIST_SEPARATOR) if item.strip()]
        _set_path(body, path, value)
    try:
        request = ReportRequest.model_validate(body)
    except ValidationError as exc:
        for error in exc.errors(include_url=False):
            field_path = error_path(error["loc"])
            problems.append(
                RowProblem(index, header.column_of(field_path), field_path or None, error["msg"])
            )
        return None
    # The body sent is the validated one, so every run of this row sends the same JSON.
    validated = request.model_dump(mode="json", exclude_unset=True)
    return PortfolioRow(
        row=index, name=values.get(LABEL_COLUMN, ""), body=validated, key=fingerprint(validated)
    )
