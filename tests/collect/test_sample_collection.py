"""The bundled synthetic sample collection against itself and against a copy with one
numeric cell changed (the issue's "Must show")."""

from __future__ import annotations

import csv
import shutil
from importlib import resources

import pytest

from egoveval.cli.reconcile import reconcile

from .conftest import read_out, run_cli

SAMPLE = "provincial-channels_sample_synthetic.csv"


@pytest.fixture()
def sample(tmp_path):
    src = resources.files("egoveval.samples").joinpath("data", SAMPLE)
    if not src.is_file():
        pytest.skip("the bundled synthetic sample collection is not present")
    a = tmp_path / "A_sample_synthetic.csv"
    with resources.as_file(src) as path:
        shutil.copyfile(path, a)
    return a


def test_identical_copy_verifies(sample, tmp_path):
    b = tmp_path / "B_sample_synthetic.csv"
    shutil.copyfile(sample, b)
    result = run_cli(reconcile, [sample, b, "--out", tmp_path / "out"])
    assert result.exit_code == 0, result.output
    verified = read_out(tmp_path / "out" / "verified.csv")
    assert len(verified) == 32 * 16 and set(verified["from"]) == {"agreed"}
    assert len(read_out(tmp_path / "out" / "discrepancies.csv")) == 0


def test_one_numeric_cell_changed_gives_one_discrepancy(sample, tmp_path):
    with sample.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    col = rows[0].index("版本更新次数")
    old = rows[5][col]
    rows[5][col] = str(int(old.replace(",", "")) + 3)
    b = tmp_path / "B_sample_synthetic_changed.csv"
    with b.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    result = run_cli(reconcile, [sample, b, "--out", tmp_path / "out"])
    assert result.exit_code == 3, result.output
    disc = read_out(tmp_path / "out" / "discrepancies.csv")
    assert len(disc) == 1, disc
    row = disc.iloc[0]
    assert (row["indicator"], row["kind"], row["value_A"], row["value_B"]) == \
        ("ios_updates", "value", old, rows[5][col])
    assert not (tmp_path / "out" / "verified.csv").exists()


def test_identical_city_sample_copies_against_the_full_city_list(tmp_path):
    """The full city list (``--units cities``: 367 units) holds 30 county-level units that the
    synthetic city sample (337 cities) does not: they are in neither copy, so they are one
    warning, not 30 × 42 open discrepancies."""
    src = resources.files("egoveval.samples").joinpath("data", "city-multichannel_sample_synthetic.csv")
    a, b = tmp_path / "A_city_synthetic.csv", tmp_path / "B_city_synthetic.csv"
    with resources.as_file(src) as path:
        shutil.copyfile(path, a)
        shutil.copyfile(path, b)
    result = run_cli(reconcile, [a, b, "--framework", "city-multichannel", "--units", "cities",
                                 "--out", tmp_path / "out"])
    assert result.exit_code == 0, result.output
    assert len(read_out(tmp_path / "out" / "discrepancies.csv")) == 0
    (warning,) = [line for line in result.output.splitlines() if line.startswith("•")]
    assert "济源市" in warning and "30" in warning
    verified = read_out(tmp_path / "out" / "verified.csv")
    with src.open(encoding="utf-8-sig") as fh:
        cities = sum(1 for _ in fh) - 1
    assert verified["unit_code"].nunique() == cities
