"""``make data`` rebuilds every packaged table from ``../shared/data`` byte for byte."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from scripts.data.__main__ import DEFAULT_OUT, DERIVATIONS, derivation
from scripts.data.tables import REQUIRED_META, write_grid

from riskreport.domain.geodata.grid import Grid, read_npz


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("name", DERIVATIONS)
def test_derivation_reproduces_the_packaged_tables(
    name: str, shared_data: Path, tmp_path: Path
) -> None:
    written = derivation(name)(shared_data, tmp_path)
    assert written, f"{name} wrote no table"
    for path in written:
        packaged = DEFAULT_OUT / path.name
        assert packaged.is_file(), f"{path.name} is not committed in {DEFAULT_OUT}"
        assert _digest(path) == _digest(packaged), f"{path.name} differs: run `make data`"
        if path.suffix == ".npz":
            _, meta = read_npz(path)
            assert all(meta.get(k) for k in REQUIRED_META), f"{path.name}: incomplete meta"


def test_tables_are_deterministic_and_carry_their_description(tmp_path: Path) -> None:
    meta = {k: f"{k} text" for k in REQUIRED_META}
    field = np.arange(12.0).reshape(3, 4)
    a = write_grid(tmp_path / "a.npz", lat0=1.0, lon0=2.0, step=0.5, fields={"x": field}, meta=meta)
    b = write_grid(tmp_path / "b.npz", lat0=1.0, lon0=2.0, step=0.5, fields={"x": field}, meta=meta)
    assert a.read_bytes() == b.read_bytes()
    arrays, back = read_npz(a)
    assert back == meta
    np.testing.assert_array_equal(arrays["x"], field)


def test_a_table_without_its_description_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="meta lacks"):
        write_grid(
            tmp_path / "c.npz", lat0=0, lon0=0, step=1, fields={"x": np.zeros((2, 2))}, meta={}
        )


def test_grid_sampling_bilinear_nearest_and_vector_fields() -> None:
    values = np.array([[0.0, 10.0], [20.0, 30.0]])
    stacked = np.stack([values, 2 * values], axis=-1)
    g = Grid(35.0, 128.0, 0.5, {"v": values, "k": stacked}, {})
    lat, lon = np.array([35.0, 35.25, 35.5, 40.0]), np.array([128.0, 128.25, 128.5, 128.0])
    np.testing.assert_allclose(g.sample("v", lat, lon), [0.0, 15.0, 30.0, 20.0])
    np.testing.assert_allclose(g.sample("v", lat, lon, method="nearest")[:3:2], [0.0, 30.0])
    np.testing.assert_allclose(g.sample("k", lat, lon)[:, 1], [0.0, 30.0, 60.0, 40.0])
    assert g.inside(lat, lon).tolist() == [True, True, True, False]
    with pytest.raises(ValueError, match="unknown sampling"):
        g.sample("v", lat, lon, method="cubic")
