"""The files a study reads are listed in one place (``Study.inputs``): the output folder must
not hold any of them, and the manifest hashes exactly those."""

from __future__ import annotations

import hashlib
import shutil
from importlib import resources
from pathlib import Path

from click.testing import CliRunner

from egoveval.cli import cli
from egoveval.samples.provincial import SAMPLE_FILE, sample_study_path
from egoveval.study import load_study, run_until
from egoveval.units import provinces


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _study_folder(tmp_path: Path, extra: str = "", units: str | None = "provinces",
                  framework: str = "provincial-channels") -> Path:
    folder = tmp_path / "study"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(sample_study_path().parent / SAMPLE_FILE, folder / SAMPLE_FILE)
    lines = [f"framework: {framework}", f"data: {SAMPLE_FILE}", "synthetic: true", "collection_date: 2021-03-15"]
    if units is not None:
        lines.append(f"units: {units}")
    (folder / "study.yaml").write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return folder


def _scheme_file(folder: Path) -> Path:
    """A synthetic region mapping: each province in one of two made-up regions."""
    path = folder / "regions_synthetic.csv"
    rows = [f"{code},{'A' if i % 2 else 'B'}" for i, code in enumerate(provinces().codes)]
    path.write_text("unit,region\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_the_test_scheme_file_is_an_input(tmp_path):
    folder = _study_folder(tmp_path, "regions: {test_scheme: regions_synthetic.csv}\n")
    scheme = _scheme_file(folder)
    study = load_study(folder / "study.yaml")
    assert scheme in study.input_paths
    assert study.inputs["regions_synthetic.csv"] == scheme
    other = _study_folder(tmp_path / "b", "regions: {test_scheme: belt3}\n")
    (other / "belt3").write_text("a user's file that happens to share the scheme's name", encoding="utf-8")
    named = load_study(other / "study.yaml")
    assert other / "belt3" not in named.input_paths  # a built-in name is a name, not a file
    assert {p.name for p in named.input_paths} == {"study.yaml", SAMPLE_FILE}


def test_run_with_output_here_refuses_and_leaves_the_test_scheme_file(tmp_path):
    folder = _study_folder(tmp_path, "regions: {test_scheme: regions_synthetic.csv}\noutput: .\n")
    scheme = _scheme_file(folder)
    before = scheme.read_bytes()
    res = CliRunner(env={"COLUMNS": "3000"}).invoke(cli, ["run", str(folder / "study.yaml")])
    assert res.exit_code == 2, res.output
    assert "io.output_holds_input" in res.output and str(scheme.resolve()) in res.output, res.output
    assert scheme.read_bytes() == before


def _framework_with_unit_file(folder: Path) -> Path:
    """The built-in provincial framework, its unit list a file (synthetic copy of the 32 units)."""
    text = resources.files("egoveval.frameworks").joinpath("builtin", "provincial-channels.yaml") \
        .read_text(encoding="utf-8")
    assert "\nunits: provinces\n" in text
    path = folder / "framework_synthetic.yaml"
    path.write_text(text.replace("\nunits: provinces\n", "\nunits: units_synthetic.csv\n"), encoding="utf-8")
    table = provinces().table[["code", "name", "name_en", "region4", "region3"]]
    table.to_csv(folder / "units_synthetic.csv", index=False, encoding="utf-8")
    return path


def test_the_frameworks_own_unit_file_is_listed_and_hashed(tmp_path):
    folder = tmp_path / "study"
    folder.mkdir()
    framework = _framework_with_unit_file(folder)
    _study_folder(tmp_path, units=None, framework=framework.name)
    study = load_study(folder / "study.yaml")
    unit_file = folder / "units_synthetic.csv"
    assert study.inputs["units_synthetic.csv"] == unit_file
    assert study.inputs[str(framework)] == framework
    result = run_until(study, "load")
    inputs = result.recipe["inputs"]
    assert inputs["units_synthetic.csv"] == _sha(unit_file)
    assert inputs[str(framework)] == _sha(framework)
    assert inputs[SAMPLE_FILE] == _sha(folder / SAMPLE_FILE) and inputs["study.yaml"] == _sha(folder / "study.yaml")
    assert set(inputs) == set(study.inputs)
