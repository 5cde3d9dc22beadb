"""A broken map is refused by name: by ``maps check`` (every one), by ``serve`` and ``analyze``."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from riskreport.analysis.maps.check import check_folder
from riskreport.analysis.maps.raster import EXTRA_HINT, clear_caches, rasterio_module
from riskreport.analysis.narrative.template import TemplateWriter
from riskreport.interfaces.cli import app
from tests.analysis.maps.geotiff import depth_of_rp, river_set, write_map

GOOD = "inunriver_historical_000000000WATCH_1980_rp00100.tif"


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith("RISKREPORT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    clear_caches()


def _broken_folder(folder: Path) -> Path:
    river_set(folder, "historical", 0, depth_of_rp(1.0), rps=(2, 100))
    grid = np.ones((10, 10))
    write_map(folder / "inunriver_rcp8p5_00000NorESM1-M_2050_rp00100.tif", grid, crs="EPSG:5186")
    write_map(folder / "inunriver_rcp8p5_00000NorESM1-M_2050_rp00002.tif", grid, nodata=0.0)
    write_map(folder / "flood_depth_100.tif", grid)
    (folder / "inunriver_rcp4p5_00000NorESM1-M_2050_rp00100.tif").write_bytes(b"not a tiff")
    (folder / "README.txt").write_text("ignored: not a GeoTIFF")
    return folder


def test_check_names_each_bad_file_and_what_is_wrong(tmp_path: Path) -> None:
    problems = {p.file: p.message for p in check_folder(_broken_folder(tmp_path / "maps"))}
    assert set(problems) == {
        "inunriver_rcp8p5_00000NorESM1-M_2050_rp00100.tif",
        "inunriver_rcp8p5_00000NorESM1-M_2050_rp00002.tif",
        "flood_depth_100.tif",
        "inunriver_rcp4p5_00000NorESM1-M_2050_rp00100.tif",
    }
    assert "EPSG:5186" in problems["inunriver_rcp8p5_00000NorESM1-M_2050_rp00100.tif"]
    assert "nodata is 0" in problems["inunriver_rcp8p5_00000NorESM1-M_2050_rp00002.tif"]
    assert "not an Aqueduct" in problems["flood_depth_100.tif"]
    assert "not a readable GeoTIFF" in problems["inunriver_rcp4p5_00000NorESM1-M_2050_rp00100.tif"]


def test_maps_check_exits_2_naming_each_bad_file_and_0_on_a_good_folder(tmp_path: Path) -> None:
    runner = CliRunner()
    bad = runner.invoke(app, ["maps", "check", str(_broken_folder(tmp_path / "bad"))])
    assert bad.exit_code == 2
    text = " ".join(bad.output.split())
    assert "flood_depth_100.tif" in text
    assert "EPSG:5186" in text
    river_set(tmp_path / "good", "historical", 0, depth_of_rp(1.0))
    good = runner.invoke(app, ["maps", "check", str(tmp_path / "good")])
    assert good.exit_code == 0, good.output
    assert "9 map(s), all usable" in good.output


@pytest.mark.parametrize("command", ["serve", "analyze"])
def test_serve_and_analyze_refuse_a_broken_folder_naming_the_file(
    tmp_path: Path, command: str
) -> None:
    folder = tmp_path / "maps"
    river_set(folder, "historical", 0, depth_of_rp(1.0))
    write_map(
        folder / "inunriver_rcp8p5_00000NorESM1-M_2050_rp00100.tif", np.ones((4, 4)), crs=None
    )
    args = ["--address", "서울"] if command == "analyze" else ["--port", "1"]
    result = CliRunner().invoke(app, [command, *args, "--hazard-maps", str(folder)])
    assert result.exit_code == 2, result.output
    text = "".join(result.output.split())  # rich wraps long paths anywhere
    assert "inunriver_rcp8p5_00000NorESM1-M_2050_rp00100.tif:CRSismissing" in text
    assert "Traceback" not in result.output


def test_the_environment_variable_names_the_folder_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RISKREPORT_HAZARD_MAPS", str(tmp_path / "nowhere"))
    result = CliRunner().invoke(app, ["serve", "--port", "1"])
    assert result.exit_code == 2
    assert "RISKREPORT_HAZARD_MAPS" in result.output
    assert "does not exist" in " ".join(result.output.split())


def test_without_rasterio_the_error_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rasterio", None)
    with pytest.raises(ImportError, match=r"riskreport\[maps\]"):
        rasterio_module()
    assert "riskreport[maps]" in EXTRA_HINT


def test_analyze_with_hazard_maps_runs_the_job_on_the_maps(tmp_path: Path) -> None:
    # Through the engine, as the server runs it: setting -> analysis configuration -> job.
    folder = tmp_path / "maps"
    river_set(folder, "historical", 0, depth_of_rp(1.3))
    out = tmp_path / "report.json"
    result = CliRunner().invoke(
        app,
        [
            "analyze", "--lat", "37.5665", "--lon", "126.978", "--hazard", "river_flood",
            "--lang", "en", "--hazard-maps", str(folder), "--out", str(out), "--quiet",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text(encoding="utf-8"))
    (river,) = report["hazards"]
    assert river["hazard_data"]["used"] == "hazard_maps"
    depth, kind = river["baseline"]["intensity"]["depth_100yr_m"]  # the lean form: [value, kind]
    assert depth == pytest.approx(1.3, abs=1e-5)
    assert report["quantity_kinds"][kind]["source"] == "wri-aqueduct-floods-v2"
    # The maps note is in a templated section: not stored, rebuilt for the documents.
    narrative = TemplateWriter().complete(report, report["narrative"])
    assert "Hazard maps in use: river flood" in narrative["markdown"]
