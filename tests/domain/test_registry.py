"""The hazard registry is the one list of hazards, and a hazard added to it shows up everywhere.

A module outside ``domain/hazards/`` naming a hazard key would be a second list to keep in step;
the check reads every module's string literals (docstrings aside) with ``ast``.
"""

from __future__ import annotations

import ast
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pydantic import ValidationError

from riskreport.analysis.hazard_data import PackagedHazardData
from riskreport.analysis.request import AnalysisParams, ReportRequest, params_model
from riskreport.domain.array import Array
from riskreport.domain.cases import CaseGrid, case_grid
from riskreport.domain.hazards.base import Given, Hazard, HazardArrays, Intensity, Names, Override
from riskreport.domain.hazards.block import InputBlock
from riskreport.domain.hazards.registry import HAZARDS, REGISTRY
from riskreport.domain.losses import RETURN_PERIODS
from riskreport.domain.model import run
from riskreport.domain.report import build_report
from riskreport.domain.report_inputs import LocationInfo, ReportInputs
from riskreport.domain.site import SiteBatch
from riskreport.domain.sources import ASSUMPTIONS_KEY as ASSUMED

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "riskreport"
HAZARDS_DIR = PACKAGE / "domain" / "hazards"


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
            ids.add(id(first.value))
    return ids


def _literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
    ]


def test_no_module_outside_the_hazard_folders_names_a_hazard() -> None:
    keys = set(HAZARDS)
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {value!r}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if HAZARDS_DIR not in path.parents
        for line, value in _literals(path)
        if value in keys or value.split(".")[0] in keys
    ]
    assert found == []


def test_label_files_leave_the_hazards_to_their_folders() -> None:
    for lang in ("en", "ko"):
        path = PACKAGE / "analysis" / "narrative" / "templates" / lang / "labels.toml"
        words = tomllib.loads(path.read_text(encoding="utf-8"))
        assert not set(words["hazards"]) & set(HAZARDS)


def test_every_hazard_lives_in_its_own_folder() -> None:
    for hazard in REGISTRY:
        folder = HAZARDS_DIR / hazard.key
        assert {"__init__.py", "inputs.py", "model.py", "advice.py"} <= {
            p.name for p in folder.iterdir()
        }
        assert hazard.model.__module__ == f"riskreport.domain.hazards.{hazard.key}.model"
        assert hazard.derive.__module__ == f"riskreport.domain.hazards.{hazard.key}.inputs"


def test_driver_keys_have_one_text_and_measures_name_their_hazard() -> None:
    texts = REGISTRY.driver_texts()
    for hazard in REGISTRY:
        assert all(m.hazard == hazard.key for m in hazard.measures)
        assert {m.driver for m in hazard.measures} - {"*"} <= set(hazard.driver_texts)
        assert set(hazard.driver_texts) <= set(texts)


# A made-up hazard, complete, to show that the registry is all the rest of the code reads.
@dataclass(frozen=True, slots=True)
class HailInputs:
    days: Array  # (B,) hail days a year


def _hail_inputs(site: SiteBatch) -> HailInputs:
    return HailInputs(np.full(site.size, 2.0))


def _hail(site: SiteBatch, inputs: HailInputs, cases: CaseGrid) -> HazardArrays:
    share = 0.001 * inputs.days[:, None] * np.ones(cases.size)[None, :]  # (B, C)
    curve = np.broadcast_to(share[:, :, None], (*share.shape, len(RETURN_PERIODS))).copy()
    return HazardArrays(
        hazard="hail",
        kind="acute",
        loss=share * site.value_krw[:, None],
        probability=np.minimum(inputs.days[:, None] / 10.0, 1.0) * np.ones(cases.size)[None, :],
        damage=curve,
        intensity={
            "hail_days": Intensity(
                np.broadcast_to(inputs.days[:, None], share.shape).copy(), "days", ASSUMED
            )
        },
        source="riskreport-assumptions",
    )


def _hail_block(site: SiteBatch, inputs: HailInputs, given: Given) -> dict[str, Any]:
    return {"hail_days": InputBlock("hail", given).one("days", inputs.days[0], "days", ASSUMED)}


HAIL: Hazard[HailInputs] = Hazard(
    key="hail",
    kind="acute",
    names=Names("Hail", "우박", "hail", "우박"),
    derive=_hail_inputs,
    model=_hail,
    report_inputs=_hail_block,
    drivers=lambda h, s, i, c: ["hail_region"],
    driver_texts={"hail_region": ("Hail is frequent here.", "우박이 잦습니다.")},
    measures=(),
    intensity_labels={"hail_days": ("hail days", "우박일수")},
    overrides=(Override("days", "days", "Hail days a year", high=50.0),),
)


def test_a_registered_hazard_shows_up_in_model_report_and_request_schema() -> None:
    registry = REGISTRY.with_hazard(HAIL)
    request = ReportRequest.model_validate({"target_location": {"lat": 37.5665, "lon": 126.978}})
    a = request.to_domain()
    data = PackagedHazardData().site_inputs(a)
    cases = case_grid(("SSP2-4.5",), (2050,))

    results = run(
        data.site, cases, registry.keys, overrides={"hail": {"days": 5.0}}, registry=registry
    )
    assert list(results) == [*HAZARDS, "hail"]
    hail_inputs = results["hail"].inputs
    assert isinstance(hail_inputs, HailInputs)
    assert hail_inputs.days.tolist() == [5.0]  # the override replaced the derived 2 days
    assert float(results["hail"].loss[0, 0]) == pytest.approx(0.005 * float(data.site.value_krw[0]))

    inputs = ReportInputs(
        location=LocationInfo.of(a.location),
        building=a.building,
        asset=a.asset,
        scenarios=a.scenarios,
        horizons=a.horizons,
        hazards=registry.keys,
        language="en",
        site=data.site,
    )
    report = build_report(inputs, results, cases, registry=registry).as_verbose_dict()
    hail = report["hazards"][-1]
    assert hail["hazard"] == "hail"
    assert hail["inputs"]["hail_days"]["value"] == 5
    assert hail["baseline"]["drivers"][0]["key"] == "hail_region"
    without = build_report(
        inputs, {k: v for k, v in results.items() if k != "hail"}, cases, registry=REGISTRY
    ).as_verbose_dict()
    added = report["summary"]["total_eal"]["SSP2-4.5"]["2050"]["value"]
    before = without["summary"]["total_eal"]["SSP2-4.5"]["2050"]["value"]
    assert added == pytest.approx(before + float(results["hail"].loss[0, 1]), rel=1e-5)

    params = params_model(registry)
    schema = params.model_json_schema()
    assert "hail" in schema["properties"]["hazards"]["items"]["enum"]
    assert "hail" in params.model_fields["overrides"].annotation.model_fields  # type: ignore[union-attr]
    chosen = params.model_validate({"hazards": ["hail"], "overrides": {"hail": {"days": 3}}})
    assert chosen.overrides.to_domain() == {"hail": {"days": 3.0}}
    with pytest.raises(ValidationError):
        params.model_validate({"overrides": {"hail": {"days": 99}}})
    # The default schema knows only the registry's own hazards.
    with pytest.raises(ValidationError):
        AnalysisParams.model_validate({"hazards": ["hail"]})
