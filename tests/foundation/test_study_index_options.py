"""``egoveval run`` at its start and end: the composite index's options (``index.*``) are
checked when the study is loaded — from the study file or the command line alike — so a bad
one stops the run before any work; the run's warnings are printed with their place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from egoveval.cli import cli
from egoveval.errors import InputError
from egoveval.messages import text
from egoveval.samples.provincial import SAMPLE_FILE, sample_study_path
from egoveval.study import load_study


def _study(tmp_path: Path, extra: str) -> Path:
    shutil.copy(sample_study_path().parent / SAMPLE_FILE, tmp_path / SAMPLE_FILE)
    path = tmp_path / "study.yaml"
    path.write_text(f"framework: provincial-channels\nunits: provinces\ndata: {SAMPLE_FILE}\nsynthetic: true\n"
                    f"collection_date: 2021-03-15\noutput: out\n{extra}", encoding="utf-8")
    return path


def test_bad_tiers_in_the_study_file_are_refused_at_load(tmp_path):
    path = _study(tmp_path, "index: {tiers: [0.75, 0.5]}\n")  # decreasing thresholds
    with pytest.raises(InputError) as info:
        load_study(path)
    (problem,) = info.value.problems
    assert problem.rule.startswith("index.tiers") and problem.column == "index.tiers", problem
    assert problem.file == str(path)


def test_bad_uncertainty_options_in_the_study_file_are_all_refused_at_load(tmp_path):
    path = _study(tmp_path, "index: {uncertainty: {n: 50, conf: 1.5, workers: 0}}\n")
    with pytest.raises(InputError) as info:
        load_study(path)
    columns = sorted(p.column for p in info.value.problems)
    assert columns == ["index.uncertainty.conf", "index.uncertainty.workers"], columns
    assert {p.file for p in info.value.problems} == {str(path)}


def test_good_index_options_load_and_a_disabled_index_is_not_checked(tmp_path):
    good = load_study(_study(tmp_path, "index: {tiers: cn, uncertainty: {n: 20}}\n"))
    assert good.settings["index"]["tiers"] == "cn"
    off = load_study(_study(tmp_path, "index: {enabled: false, tiers: [0.75, 0.5]}\n"))
    assert off.settings["index"]["enabled"] is False


def _no_stage_may_run(monkeypatch):
    import egoveval.study

    def refuse(*args, **kwargs):
        raise AssertionError("a stage ran although an option was bad")

    monkeypatch.setattr(egoveval.study, "run", refuse)


def test_run_names_the_command_line_for_a_bad_tiers_option(tmp_path, monkeypatch):
    _no_stage_may_run(monkeypatch)
    path = _study(tmp_path, "")
    res = CliRunner(env={"COLUMNS": "2000"}).invoke(cli, ["run", str(path), "--tiers", "0.9,0.2"])
    assert res.exit_code == 2, res.output
    assert "index.tiers" in res.output and text("settings.origin_cli", "en") in res.output, res.output
    assert not (tmp_path / "out").exists()


def test_run_refuses_bad_tiers_in_the_study_file_before_any_stage(tmp_path, monkeypatch):
    _no_stage_may_run(monkeypatch)
    path = _study(tmp_path, "index: {tiers: [0.75, 0.5]}\n")
    res = CliRunner(env={"COLUMNS": "2000"}).invoke(cli, ["run", str(path)])
    assert res.exit_code == 2, res.output
    assert "index.tiers" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "out").exists()


def test_run_prints_its_warnings_with_file_and_row(tmp_path, monkeypatch):
    """A run's warnings (Messages made from Problems) are printed as reconcile prints them:
    ``• FILE:ROW:COLUMN 中文 / English``."""
    import egoveval.report.outputs
    import egoveval.study
    from egoveval.errors import Problem
    from egoveval.result import Result

    warning = Problem.of("io.merged", file=str(tmp_path / "data_synthetic.xlsx"), row=7, column="应用评分",
                         value="4.5", severity="warning")
    monkeypatch.setattr(egoveval.study, "run",
                        lambda loaded: Result.empty({}).with_warning(warning.as_message()))
    monkeypatch.setattr(egoveval.report.outputs, "write_outputs", lambda result, out, lang, inputs: Path(out))
    res = CliRunner(env={"COLUMNS": "2000"}).invoke(cli, ["run", str(_study(tmp_path, ""))])
    assert res.exit_code == 0, res.output
    (line,) = [ln for ln in res.output.splitlines() if ln.startswith("•")]
    assert line == f"• data_synthetic.xlsx:7:应用评分 {warning.message('zh')} / {warning.message('en')}", line
