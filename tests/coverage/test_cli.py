"""``egoveval coverage``: the exact output contract, and bad input → exit 2, nothing written."""

from __future__ import annotations

import warnings

import pandas as pd
import pytest
from click.testing import CliRunner

from egoveval.cli import cli
from egoveval.samples.city import SAMPLE_FILE, city_study_path

SAMPLE = str(city_study_path().with_name(SAMPLE_FILE))
FILES = {"adoption.csv", "by_region.csv", "city_scores.csv", "gaps.csv", "comparison.csv", "heatmap.png"}


@pytest.fixture(scope="module")
def sample_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("cov") / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # e.g. "Glyph … missing from font"
        res = CliRunner().invoke(cli, ["coverage", SAMPLE, "--out", str(out)])
    assert res.exit_code == 0, res.output
    return out


def test_contract_files_and_columns(sample_out):
    assert FILES <= {p.name for p in sample_out.iterdir()}
    adoption = pd.read_csv(sample_out / "adoption.csv", encoding="utf-8-sig", dtype={"group": str})
    assert list(adoption.columns) == ["channel", "area", "group", "n", "provided", "rate", "ci_low", "ci_high"]
    assert set(adoption["group"]) == {"key", "prefecture", "all"} and len(adoption) == 42 * 3
    assert (adoption["ci_low"] <= adoption["rate"]).all() and (adoption["rate"] <= adoption["ci_high"]).all()
    comp = pd.read_csv(sample_out / "comparison.csv", encoding="utf-8-sig")
    assert len(comp) == 12 and comp["within_ci"].all()
    scores = pd.read_csv(sample_out / "city_scores.csv", encoding="utf-8-sig", dtype={"code": str})
    assert len(scores) == 337 and scores["rank"].min() == 1
    assert (sample_out / "heatmap.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [p for p in sample_out.parent.iterdir() if p.name.startswith(".")]


def test_rerun_gives_identical_tables(sample_out, tmp_path):
    out = tmp_path / "again"
    assert CliRunner().invoke(cli, ["coverage", SAMPLE, "--out", str(out)]).exit_code == 0
    for name in FILES | {"heatmap.svg"}:
        assert (out / name).read_bytes() == (sample_out / name).read_bytes(), name


def test_bad_input_exits_2_with_every_problem_and_writes_nothing(tmp_path):
    data = tmp_path / "bad.csv"
    frame = pd.read_csv(SAMPLE, encoding="utf-8-sig", dtype=str).head(5)
    frame.iloc[0, 1] = "也许"
    frame.iloc[1, 0] = "不存在市"
    frame.to_csv(data, index=False, encoding="utf-8-sig")
    bench = tmp_path / "bench.csv"
    bench.write_text("channel,area,group,rate,source\nweibo,whole_gov,key,140%,x\n", encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner(env={"COLUMNS": "400"}).invoke(cli, ["coverage", str(data), "--benchmarks", str(bench),
                                                   "--out", str(out)])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    for rule in ("units.unknown", "coverage.bench_rate"):
        assert rule in res.output
    assert "也许" in res.output
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] != []
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_missing_file_exits_2(tmp_path):
    res = CliRunner().invoke(cli, ["coverage", str(tmp_path / "none.csv"), "--out", str(tmp_path / "o")])
    assert res.exit_code == 2 and not (tmp_path / "o").exists()


def test_command_is_registered():
    res = CliRunner().invoke(cli, ["coverage", "--help"])
    assert res.exit_code == 0 and "--benchmarks" in res.output
