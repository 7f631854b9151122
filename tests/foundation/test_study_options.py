"""Study options: missing-value policies, standardisation, label overrides, settings docs,
framework export, long-format input, figures without missing glyphs."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook

from egoveval.cli import cli
from egoveval.samples.provincial import SAMPLE_FILE, sample_study_path
from egoveval.settings import SETTINGS
from egoveval.standardize import standardize
from egoveval.study import load_study, run

ROOT = Path(__file__).resolve().parents[2]


def study_with(tmp_path, edit=None, **changes) -> Path:
    spec = yaml.safe_load(sample_study_path().read_text(encoding="utf-8"))
    frame = pd.read_csv(sample_study_path().parent / SAMPLE_FILE, dtype=str, keep_default_na=False,
                        encoding="utf-8-sig")
    if edit:
        frame = edit(frame)
    frame.to_csv(tmp_path / "data.csv", index=False, encoding="utf-8-sig")
    spec.update(data="data.csv", output="out", **changes)
    (tmp_path / "study.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    return tmp_path / "study.yaml"


def blank(unit, column):
    def edit(frame):
        frame.loc[frame["地区"] == unit, column] = ""
        return frame
    return edit


def test_listwise_deletion_drops_the_unit_and_reports_it(tmp_path):
    result = run(load_study(study_with(tmp_path, blank("天津市", "评分人次"), quantify={"missing": "listwise"})))
    assert "120000" not in result["quantified"].index
    assert len(result["quantified"]) == 31
    handled = result["missing_handled"]
    assert handled["unit"].tolist() == ["120000"] and handled["action"].tolist() == ["listwise"]


def test_mean_imputation_uses_the_indicator_mean_and_reports_it(tmp_path):
    result = run(load_study(study_with(tmp_path, blank("天津市", "评分人次"), quantify={"missing": "mean"})))
    q = result["quantified"]
    others = q.drop(index="120000")["ios_rating_count"]
    assert q.at["120000", "ios_rating_count"] == pytest.approx(others.mean())
    assert result["missing_handled"]["action"].tolist() == ["mean"]


def test_constant_indicators_are_dropped_and_reported(tmp_path):
    def const(frame):
        frame["法人注册登录方式"] = "3"
        return frame
    result = run(load_study(study_with(tmp_path, const)))
    assert "local_legal_login" not in result["quantified"].columns
    assert result["dropped"]["indicator"].tolist() == ["local_legal_login"]
    assert any(w.key == "pipeline.dropped_constant" for w in result.warnings)


def test_type_labels_can_be_overridden(tmp_path):
    labels = [["领先", "Top"], ["较好", "Good"], ["一般", "Fair"], ["落后", "Behind"]]
    result = run(load_study(study_with(tmp_path, types={"labels": labels})))
    types = result["types"].sort_values("rank")
    assert types["label_zh"].tolist() == ["领先", "较好", "一般", "落后"]
    assert types["label_en"].tolist() == ["Top", "Good", "Fair", "Behind"]


def test_other_k_uses_the_ranked_scheme(tmp_path):
    result = run(load_study(study_with(tmp_path), overrides={"cluster.k": 3}))
    types = result["types"].sort_values("rank")
    assert types["label_en"].tolist() == ["Level 1 of 3 (highest)", "Level 2 of 3", "Level 3 of 3 (lowest)"]


@pytest.mark.parametrize("method, expected", [
    ("z", [-1.0, 0.0, 1.0]), ("none", [1.0, 2.0, 3.0]), ("range01", [0.0, 0.5, 1.0]),
    ("range11", [0.5, 1.0, 1.5]), ("max1", [1 / 3, 2 / 3, 1.0]), ("mean1", [0.5, 1.0, 1.5]), ("sd1", [1.0, 2.0, 3.0]),
])
def test_spss_standardisations_by_hand(method, expected):
    got = standardize(pd.DataFrame({"x": [1.0, 2.0, 3.0]}), method).data["x"].tolist()
    assert got == pytest.approx(expected), f"{method}: expected {expected}, got {got}"


def test_z_uses_n_minus_1_like_spss_not_sklearn():
    x = pd.DataFrame({"a": [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]})
    z = standardize(x, "z").data["a"].to_numpy()
    assert np.std(z, ddof=1) == pytest.approx(1.0)
    assert np.std(z, ddof=0) != pytest.approx(1.0)


def test_every_setting_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in SETTINGS:
        section, key = name.split(".")
        assert re.search(rf"{section}:.*\b{key}\b", readme), f"setting {name} not shown in README"
    out = CliRunner().invoke(cli, ["settings"], env={"COLUMNS": "300"}).output
    for name in SETTINGS:
        assert name in out


def test_framework_export_reads_back(tmp_path):
    res = CliRunner().invoke(cli, ["framework", "export", "provincial-channels", "--out", str(tmp_path / "t1.xlsx")])
    assert res.exit_code == 0, res.output
    ws = load_workbook(tmp_path / "t1.xlsx").active
    rows = list(ws.values)
    assert "表1" in rows[0][0]
    header = rows[1]
    assert "二级指标 / Indicator (Chinese)" in header
    names = [r[header.index("二级指标 / Indicator (Chinese)")] for r in rows[2:]]
    assert len(names) == 16 and "个人服务项目数" in names
    show = CliRunner().invoke(cli, ["framework", "show", "provincial-channels"], env={"COLUMNS": "300"})
    assert "微信小程序开通情况" in show.output and show.exit_code == 0


def test_long_format_gives_the_same_data(tmp_path):
    wide = pd.read_csv(sample_study_path().parent / SAMPLE_FILE, dtype=str, keep_default_na=False,
                       encoding="utf-8-sig").drop(columns=["来源", "备注"])
    long = wide.melt(id_vars="地区", var_name="指标", value_name="数值")
    long.to_csv(tmp_path / "long.csv", index=False, encoding="utf-8-sig")
    spec = yaml.safe_load(sample_study_path().read_text(encoding="utf-8"))
    spec.update(data="long.csv", output="out")
    (tmp_path / "s.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    a = run(load_study(tmp_path / "s.yaml"))["quantified"]
    b = run(load_study(sample_study_path()))["quantified"]
    pd.testing.assert_frame_equal(a, b)


def test_dendrogram_renders_chinese_without_missing_glyphs(sample_result):
    from egoveval.cluster.figures import dendrogram_figure

    tree = sample_result.values["tree"]
    names = sample_result["membership"]["name_zh"].tolist()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png, svg = dendrogram_figure(tree, names, 4)
    glyph = [str(w.message) for w in caught if "Glyph" in str(w.message) or "missing from" in str(w.message)]
    assert not glyph, glyph
    assert png[:4] == b"\x89PNG" and b"<svg" in svg


@pytest.mark.parametrize("policy", ["listwise", "mean"])
def test_missing_value_policy_is_a_manifest_warning(tmp_path, policy):
    from egoveval.messages import text
    from egoveval.report.outputs import manifest
    from egoveval.study import run_until

    def two_blanks(frame):
        return blank("河北省", "版本更新次数")(blank("天津市", "评分人次")(frame))
    study = load_study(study_with(tmp_path, two_blanks, quantify={"missing": policy}))
    result = run_until(study, "quantify")
    warnings = {w["key"]: w for w in manifest(result, [])["warnings"]}
    key = {"listwise": "quantify.listwise_dropped", "mean": "quantify.mean_imputed"}[policy]
    other = {"listwise": "quantify.mean_imputed", "mean": "quantify.listwise_dropped"}[policy]
    assert key in warnings and other not in warnings, list(warnings)
    zh, en = warnings[key]["zh"], warnings[key]["en"]
    assert text(key, "zh", n=2, units="", cells="", table="").split("2")[0] in zh
    assert "2" in zh and "2" in en
    assert "天津" in zh and "河北" in zh and "Tianjin" in en and "Hebei" in en
    if policy == "mean":
        q = result["quantified"]
        mean = q.drop(index="120000")["ios_rating_count"].mean()
        assert f"{mean:.6g}" in en and "评分人次" in zh
        assert q.at["120000", "ios_rating_count"] == pytest.approx(mean)
    else:
        assert not {"120000", "130000"} & set(result["quantified"].index)
