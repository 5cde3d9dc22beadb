"""``maps fetch`` against a loopback server: resumes an interrupted download, verifies sizes,
clips to the box with the same names, and the analysis then uses the clipped maps."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest
import rasterio
from typer.testing import CliRunner

from riskreport.analysis.maps.fetch import Box, FetchError, download, plan
from riskreport.analysis.maps.raster import clear_caches
from riskreport.analysis.pipeline import analyze as lean_analyze
from riskreport.domain.lean_json import expand
from riskreport.interfaces.cli import app
from tests.analysis.maps.geotiff import depth_of_rp, river_set


def analyze(*args: Any, **kwargs: Any) -> dict[str, Any]:
    """``analyze`` in the verbose form (every figure a quantity object), as read here."""
    return expand(lean_analyze(*args, **kwargs))


BOX = "126.5,37.0,127.5,38.0"


class _Files(BaseHTTPRequestHandler):
    """Serves ``root`` with Range support; the first GET of each name in ``cut`` stops halfway."""

    root: Path
    cut: set[str]
    ranges: list[tuple[str, str | None]]

    def do_GET(self) -> None:
        name = self.path.rsplit("/", 1)[-1]
        path = self.root / name
        if not path.exists():
            self.send_error(404)
            return
        data = path.read_bytes()
        wanted = self.headers.get("Range")
        self.ranges.append((name, wanted))
        start = 0
        if wanted:
            m = re.fullmatch(r"bytes=(\d+)-", wanted)
            assert m is not None
            start = int(m[1])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if name in self.cut:
            self.cut.discard(name)
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.connection.close()  # the rest never comes: an interrupted download
            return
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def published(tmp_path: Path) -> Iterator[tuple[str, type[_Files]]]:
    """A loopback 'bucket' holding the historical river maps of a 4 x 4 degree region."""
    root = tmp_path / "bucket"
    river_set(root, "historical", 0, depth_of_rp(1.2), size=480)  # 125-129 E, 34-38 N
    handler = type("Handler", (_Files,), {"root": root, "cut": set(), "ranges": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v2/", handler
    finally:
        server.shutdown()
        server.server_close()
        clear_caches()


def _args(url: str, dest: Path) -> list[str]:
    return [
        "maps", "fetch", "aqueduct", "--hazard", "river_flood", "--bbox", BOX,
        "--dest", str(dest), "--scenario", "historical", "--base-url", url,
    ]  # fmt: skip


def test_fetch_resumes_clips_and_the_analysis_uses_the_maps(
    published: tuple[str, type[_Files]], tmp_path: Path
) -> None:
    url, handler = published
    cut = "inunriver_historical_000000000WATCH_1980_rp00100.tif"
    handler.cut.add(cut)
    dest = tmp_path / "maps"
    result = CliRunner().invoke(app, _args(url, dest))
    assert result.exit_code == 0, (result.output, result.exception)
    names = plan("river_flood", ("historical",))
    assert sorted(p.name for p in dest.glob("*.tif")) == sorted(names)
    # The interrupted file was asked for again from where it stopped, not from the start.
    asked = [r for n, r in handler.ranges if n == cut]
    assert asked[0] is None
    assert asked[1] is not None
    assert int(asked[1][len("bytes=") : -1]) > 0
    with rasterio.open(dest / cut) as clipped:
        assert (clipped.width, clipped.height) == (120, 120)
        assert clipped.bounds.left == pytest.approx(126.5)
        assert clipped.bounds.top == pytest.approx(38.0)
        assert float(clipped.read(1).mean()) == pytest.approx(1.2, abs=1e-5)
        assert clipped.profile["compress"] == "zstd"  # decompresses faster than deflate
    assert not any((dest / ".download").iterdir())  # the global files are gone
    report = analyze(
        {"lat": 37.5665, "lon": 126.978},
        analysis_params={"hazards": ["river_flood"]},
        hazard_maps=dest,
    )
    river = report["hazards"][0]
    assert river["hazard_data"]["used"] == "hazard_maps"
    assert river["baseline"]["intensity"]["depth_100yr_m"]["value"] == pytest.approx(1.2, abs=1e-5)
    # A second run finds everything in place and downloads nothing.
    before = len(handler.ranges)
    again = CliRunner().invoke(app, _args(url, dest))
    assert again.exit_code == 0, again.output
    assert len(handler.ranges) == before


def test_a_partial_file_from_an_earlier_run_is_resumed(
    published: tuple[str, type[_Files]], tmp_path: Path
) -> None:
    url, handler = published
    name = "inunriver_historical_000000000WATCH_1980_rp00010.tif"
    data = (handler.root / name).read_bytes()
    part = tmp_path / "x.part"
    part.write_bytes(data[:1000])
    with httpx.Client() as client:
        assert download(client, url + name, part, name) == len(data)
    assert part.read_bytes() == data
    assert handler.ranges == [(name, "bytes=1000-")]


def test_a_missing_file_and_a_box_off_the_map_fail_by_name(
    published: tuple[str, type[_Files]], tmp_path: Path
) -> None:
    url, _ = published
    with httpx.Client() as client, pytest.raises(FetchError, match="HTTP 404"):
        download(client, url + "nope.tif", tmp_path / "nope.part", "nope.tif")
    far = CliRunner().invoke(
        app, [*_args(url, tmp_path / "far")[:6], "10,10,11,11", *_args(url, tmp_path / "far")[7:]]
    )
    assert far.exit_code == 2  # a bad --bbox, not a failed transfer
    assert "outside the map" in " ".join(far.output.split())


def test_bad_arguments_exit_2() -> None:
    result = CliRunner().invoke(
        app,
        ["maps", "fetch", "aqueduct", "--hazard", "typhoon", "--bbox", BOX, "--dest", "x"],
    )
    assert result.exit_code == 2
    assert "coastal_flood or river_flood" in result.output
    with pytest.raises(ValueError, match="four numbers"):
        Box.parse("1,2,3")
    assert np.isclose(Box.parse(BOX).west, 126.5)
