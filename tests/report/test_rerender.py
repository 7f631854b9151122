"""`egoveval report RUN_DIR` re-renders a finished run from its saved Result: without the
input files, without importing the pipeline, byte-identical to the run's own report."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner

from egoveval.cli import cli
from egoveval.report.saved import load_result
from egoveval.samples import sample_study_path
from egoveval.samples.provincial import SAMPLE_FILE


@pytest.fixture(scope="module")
def finished_run(tmp_path_factory):
    """The sample study copied out of the package, run, and its inputs then deleted."""
    root = tmp_path_factory.mktemp("rerender")
    study = root / "study"
    study.mkdir()
    shutil.copy(sample_study_path(), study / sample_study_path().name)
    shutil.copy(sample_study_path().parent / SAMPLE_FILE, study / SAMPLE_FILE)
    out = root / "run"
    res = CliRunner().invoke(cli, ["run", str(study / sample_study_path().name), "--out", str(out)],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    original = {f: (out / f).read_bytes() for f in ("report.html", "tables.xlsx")}
    shutil.rmtree(study)  # the inputs are gone: re-rendering must not need them
    return out, original


def test_saved_result_round_trips_every_table(finished_run, sample_result):
    out, _ = finished_run
    loaded = load_result(out)
    assert list(loaded.tables) == list(sample_result.tables)
    for name, table in sample_result.tables.items():
        got = loaded.tables[name]
        pd.testing.assert_frame_equal(got.data, table.data, check_exact=True, obj=name)
        assert (got.stage, got.title, got.params) == (table.stage, table.title, table.params), name
    assert [w.key for w in loaded.warnings] == [w.key for w in sample_result.warnings]
    assert [w.en for w in loaded.warnings] == [w.en for w in sample_result.warnings]
    assert set(loaded.figures) == set(sample_result.figures)
    assert loaded.figures["dendrogram"].png == sample_result.figures["dendrogram"].png


def test_rerender_without_inputs_is_identical(finished_run):
    out, original = finished_run
    res = CliRunner().invoke(cli, ["report", str(out), "--format", "html", "--format", "xlsx"],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    for name, data in original.items():
        assert (out / name).read_bytes() == data, f"{name} differs after re-rendering"


def test_rerender_in_english_changes_only_the_language(finished_run, tmp_path):
    out, _ = finished_run
    res = CliRunner().invoke(cli, ["report", str(out), "--lang", "en", "--out", str(tmp_path)],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Cluster means" in html
    heads = re.findall(r"<h2>(.*?)</h2>", html)
    assert heads and not any(re.search(r"[\u4e00-\u9fff]", h) for h in heads), heads


def test_rerender_does_not_import_the_pipeline(finished_run, tmp_path):
    out, _ = finished_run
    code = ("import sys\nfrom egoveval.report.outputs import render_run\n"
            f"render_run({str(out)!r}, 'zh', ['html'], out={str(tmp_path)!r})\n"
            "bad = [m for m in ('egoveval.pipeline', 'egoveval.study') if m in sys.modules]\n"
            "assert not bad, bad\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "report.html").exists()


def test_missing_saved_result_is_a_clear_error(tmp_path):
    res = CliRunner().invoke(cli, ["report", str(tmp_path)], env={"COLUMNS": "400"})
    assert res.exit_code == 2, res.output
    assert "report.saved.missing" in res.output and "result/result.json" in res.output, res.output


def test_pdf_from_the_saved_result(finished_run, chromium_path, tmp_path, artifacts):
    out, _ = finished_run
    res = CliRunner().invoke(cli, ["report", str(out), "--format", "pdf", "--out", str(tmp_path)],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    pdf = (tmp_path / "report.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    sections = len(re.findall(r'class="sec"', (out / "report.html").read_text(encoding="utf-8")))
    assert sections <= pages <= 80, f"expected {sections}–80 pages, got {pages}"
    (artifacts / "report_cli_pages.txt").write_text(f"{pages}\n")


def test_manifest_lists_the_saved_result(finished_run):
    out, _ = finished_run
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "result/result.json" in manifest["files"]
    assert all((out / f).exists() for f in manifest["files"])
