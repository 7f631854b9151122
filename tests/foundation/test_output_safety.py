"""Output folders are replaced whole, so egoveval must refuse a target whose replacement
would destroy inputs or files it did not write (exit 2, every file left as it was)."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from egoveval.cli import cli
from egoveval.io.writers import MARKER

ROOT = Path(__file__).resolve().parents[1]
UN = ROOT / "data" / "un_egdi_2018.csv"


def digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def cluster_args(data: Path, out: Path) -> list[str]:
    return ["cluster", str(data), "--id", "iso3", "--columns", "osi,hci,tii", "--k", "3", "--out", str(out)]


@pytest.fixture
def project(tmp_path) -> Path:
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(UN, folder / "data.csv")
    (folder / "thesis.docx").write_text("a user's own file", encoding="utf-8")
    return folder


def test_out_equal_to_the_inputs_folder_is_refused_and_nothing_is_touched(project):
    before = digest(project)
    res = CliRunner(env={"COLUMNS": "2000"}).invoke(cli, cluster_args(project / "data.csv", project))
    assert res.exit_code == 2, res.output
    assert "io.output_holds_input" in res.output
    assert "输入文件" in res.output and "holds this run's input" in res.output
    assert "Traceback" not in res.output
    assert digest(project) == before


def test_current_folder_as_out_is_refused(project):
    cwd = os.getcwd()
    os.chdir(project)
    try:
        res = CliRunner(env={"COLUMNS": "2000"}).invoke(cli, cluster_args(Path("data.csv"), Path(".")))
    finally:
        os.chdir(cwd)
    assert res.exit_code == 2, res.output
    assert (project / "data.csv").exists() and (project / "thesis.docx").exists()


def test_a_foreign_non_empty_folder_is_refused(project, tmp_path):
    foreign = tmp_path / "results"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me", encoding="utf-8")
    res = CliRunner(env={"COLUMNS": "2000"}).invoke(cli, cluster_args(project / "data.csv", foreign))
    assert res.exit_code == 2, res.output
    assert "io.output_not_ours" in res.output
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_a_file_as_out_is_refused(project):
    from egoveval.errors import InputError
    from egoveval.io.writers import output_dir

    target = project / "thesis.docx"
    res = CliRunner(env={"COLUMNS": "2000"}).invoke(cli, cluster_args(project / "data.csv", target))
    assert res.exit_code == 2, res.output  # click's own check on --out
    with pytest.raises(InputError) as caught:
        with output_dir(target):
            pass
    assert [p.rule for p in caught.value.problems] == ["io.output_is_file"]
    assert target.read_text(encoding="utf-8") == "a user's own file"


def test_own_output_is_marked_and_replaced_on_the_next_run(project, tmp_path):
    out = tmp_path / "out"
    out.mkdir()  # an empty folder is fine
    first = CliRunner(env={"COLUMNS": "2000"}).invoke(cli, cluster_args(project / "data.csv", out))
    assert first.exit_code == 0, first.output
    assert (out / MARKER).is_file()
    (out / "stale.csv").write_text("old", encoding="utf-8")
    second = CliRunner(env={"COLUMNS": "2000"}).invoke(cli, cluster_args(project / "data.csv", out))
    assert second.exit_code == 0, second.output
    assert not (out / "stale.csv").exists(), "a marked output folder is replaced as a whole"
    assert (out / "membership.csv").exists()


def test_run_refuses_an_output_folder_holding_its_data_before_computing(tmp_path):
    from egoveval.samples.provincial import SAMPLE_FILE, sample_study_path

    folder = tmp_path / "study"
    folder.mkdir()
    shutil.copy(sample_study_path().parent / SAMPLE_FILE, folder / SAMPLE_FILE)
    (folder / "study.yaml").write_text(
        f"framework: provincial-channels\nunits: provinces\ndata: {SAMPLE_FILE}\n"
        "collection_date: 2021-03-15\noutput: .\n", encoding="utf-8")
    before = digest(folder)
    res = CliRunner(env={"COLUMNS": "2000"}).invoke(cli, ["run", str(folder / "study.yaml")])
    assert res.exit_code == 2, res.output
    assert "io.output_holds_input" in res.output
    assert digest(folder) == before
