"""``egoveval run`` on a city survey: the coverage stage, the files ``egoveval coverage``
writes (same names, same bytes), the report section, the city map and the sample switch."""

from __future__ import annotations

import hashlib
import json

import openpyxl
import pytest
from click.testing import CliRunner

from egoveval.cli import cli
from egoveval.pipeline import stage_coverage, stage_load
from egoveval.report.outputs import write_outputs
from egoveval.result import Result
from egoveval.samples.city import SAMPLE_FILE, UNITS_FILE, city_study_path
from egoveval.study import load_study, run

# The resampling diagnostics are tested elsewhere; they are switched off to keep this quick.
QUICK = {"cluster.diagnostics": False, "regions.permutations": 99, "report.lang": "both"}
CLI_FILES = ["adoption.csv", "by_region.csv", "city_scores.csv", "gaps.csv", "comparison.csv",
             "cooccurrence.csv", "tests.csv", "region_tests.csv"]


@pytest.fixture(scope="module")
def city_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("city") / "run"
    study = load_study(None, {**QUICK, "output": str(out)}, sample="city-multichannel")
    result = run(study)
    write_outputs(result, study.output, "both")
    return study, result, out


def test_sample_is_the_city_survey_and_keeps_city_units(city_run):
    study, result, _ = city_run
    assert study.sample == "city-multichannel" and study.synthetic
    units = result.values["units"]
    # a unit list of built-in cities keeps the cities' adjacency, map and regions
    assert units.kind == "cities" and len(units) == 337
    assert sorted(units.table["group"].value_counts().items()) == [("key", 36), ("prefecture", 301)]


def test_coverage_stage_adds_its_tables_and_figures(city_run):
    _, result, _ = city_run
    for name in ("coverage_adoption", "coverage_by_region", "coverage_city_scores", "coverage_gaps",
                 "coverage_comparison"):
        assert result.tables[name].stage == "coverage"
    assert {"coverage_heatmap", "coverage_map"} <= set(result.figures)
    adoption = result["coverage_adoption"]
    assert set(adoption["group"]) == {"key", "prefecture", "all"}
    # the published benchmarks are compared by default for the built-in framework
    comparison = result["coverage_comparison"]
    assert len(comparison) == 12 and comparison["within_ci"].all()
    # the clustering and regional stages ran on the same 337 cities
    assert len(result["membership"]) == 337
    assert "regional_index_moran" in result.tables


def test_run_writes_the_files_of_egoveval_coverage_byte_for_byte(city_run, tmp_path):
    _, _, out = city_run
    cli_out = tmp_path / "cli"
    res = CliRunner().invoke(cli, ["coverage", str(city_study_path().with_name(SAMPLE_FILE)), "--out", str(cli_out)])
    assert res.exit_code == 0, res.output
    for name in CLI_FILES:
        assert (out / "coverage" / name).read_bytes() == (cli_out / name).read_bytes(), name
    assert (out / "coverage" / "heatmap.png").stat().st_size > 10_000
    files = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    assert "coverage/adoption.csv" in files and "coverage/heatmap.png" in files
    # written once: not also at the top level (the workbook keeps the sheets)
    assert not [f for f in files if f.startswith("coverage_") and not f.startswith("coverage_map.")], files
    assert not list(out.glob("coverage_*.csv")) and not (out / "coverage_heatmap.png").exists()
    assert (out / "coverage_map.png").exists()
    book = openpyxl.load_workbook(out / "tables.xlsx", read_only=True)
    assert {"coverage_adoption", "coverage_gaps", "coverage_comparison"} <= set(book.sheetnames)
    book.close()


def test_manifest_and_methods_hash_every_input_and_name_the_sample(city_run):
    _, _, out = city_run
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    hashes = manifest["inputs_sha256"]
    units_file = city_study_path().with_name(UNITS_FILE)
    assert hashes[UNITS_FILE] == hashlib.sha256(units_file.read_bytes()).hexdigest()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "egoveval run --sample city-multichannel" in html
    assert "city-multichannel_sample_synthetic.yaml --" not in html and UNITS_FILE in html


def test_report_has_the_coverage_section_with_the_city_map(city_run):
    _, _, out = city_run
    html = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="s-coverage"' in html and 'id="figure-coverage_map"' in html
    assert "城市多渠道政务服务覆盖得分" in html or "coverage_map" in html
    assert "data:image/png;base64" in html


def _load_and_cover(study):
    return stage_coverage(study, stage_load(study, Result.empty(dict(study.spec), {})))


def test_benchmarks_setting_none_and_file(tmp_path):
    study = load_study(None, {**QUICK, "coverage.benchmarks": "none", "output": str(tmp_path / "o")},
                       sample="city-multichannel")
    result = _load_and_cover(study)
    assert len(result["coverage_comparison"]) == 0
    bench = tmp_path / "bench.csv"
    bench.write_text("channel,area,group,rate,source\n政务微博,整体政府综合服务,重点城市,50%,a test benchmark\n",
                     encoding="utf-8")
    study = load_study(None, {**QUICK, "coverage.benchmarks": str(bench), "output": str(tmp_path / "o")},
                       sample="city-multichannel")
    result = _load_and_cover(study)
    row = result["coverage_comparison"].iloc[0]
    a = result["coverage_adoption"].set_index(["channel", "area", "group"]).loc[("weibo", "whole_gov", "key")]
    assert (row["channel"], row["area"], row["group"], row["benchmark"], row["provided"], row["n"]) == \
        ("weibo", "whole_gov", "key", 0.5, a["provided"], 36)
    # the benchmark file is hashed with the other inputs (manifest and methods table)
    assert result.recipe["inputs"][str(bench)] == hashlib.sha256(bench.read_bytes()).hexdigest()
    assert "benchmark_inputs" not in result.recipe


def test_provincial_study_has_no_coverage_stage():
    result = _load_and_cover(load_study(None, {"cluster.diagnostics": False}))
    assert not any(name.startswith("coverage") for name in result.tables)


def test_cli_sample_switch():
    res = CliRunner().invoke(cli, ["run", "--help"])
    assert "--sample" in res.output and "city-multichannel" in res.output
    res = CliRunner(env={"COLUMNS": "400"}).invoke(cli, ["run", str(city_study_path()), "--sample",
                                                        "city-multichannel"])
    assert res.exit_code == 2
    assert "run.study_and_sample" in res.output and "Give either a study file or --sample" in res.output
