"""Coverage tables in the report and the workbook show names, not ids, with labelled columns
and rates as percentages; the CSV files keep the ids and exactly the CLI's columns (tiny case)."""

from __future__ import annotations

import pandas as pd
import pytest

from egoveval.coverage import add_to_result, coverage_tables
from egoveval.coverage.analysis import TABLES
from egoveval.coverage.labels import csv_view
from egoveval.report.context import Context
from egoveval.report.present import column_label, plan, present_table
from egoveval.result import Result

BENCH = pd.DataFrame({"channel": ["A", "B"], "area": ["x", "all"], "group": ["all", "key"], "rate": [0.6, 0.2],
                      "source": ["a synthetic source", "a synthetic source"]})


@pytest.fixture()
def tiny(tiny_values, tiny_framework, city_units):
    cov = coverage_tables(tiny_values, tiny_framework, city_units, BENCH, figures=False)
    result = Result.empty({}).with_value("framework", tiny_framework).with_value("units", city_units)
    return cov, add_to_result(result, cov)


def _presented(result, name: str, lang: str):
    item = next(i for s in plan(result) for i in s.items if i.name == name)
    return present_table(result, item, lang)


def test_csv_view_is_the_cli_table(tiny):
    cov, result = tiny
    for name, (attr, _, _) in TABLES.items():
        raw = getattr(cov, attr)
        assert list(csv_view(name, result[name]).columns) == list(raw.columns), name
        pd.testing.assert_frame_equal(csv_view(name, result[name]).reset_index(drop=True),
                                      raw.reset_index(drop=True), check_dtype=False)


@pytest.mark.parametrize("lang", ["zh", "en", "both"])
def test_every_shown_column_has_a_label_and_ids_become_names(tiny, lang):
    _, result = tiny
    for name in TABLES:
        t = _presented(result, name, lang)
        if t.empty:
            continue
        for col in t.columns:
            header = col.zh if lang == "zh" else col.en
            assert header != col.name, f"{name}.{col.name} has no {lang} label"
        texts = {c.text for row in t.rows for c in row} | {c.en for row in t.rows for c in row if c.en}
        for raw in ("key", "prefecture", "not_provided", "pooled_areas", "any_area", "fisher_exact_2x2"):
            assert raw not in texts, f"{name} ({lang}) shows the id {raw!r}"


def test_names_and_percentages_in_the_adoption_table(tiny):
    _, result = tiny
    zh = _presented(result, "coverage_adoption", "zh")
    assert [c.zh for c in zh.columns][:3] == ["渠道", "服务领域", "城市组"]
    first = [c.text for c in zh.rows[0]]
    assert first[:3] == ["渠道A", "甲域", "重点城市"]
    # 2 of 3 key cities; Wilson 95 % by hand: centre 0.5731, half-width 0.3654 → 20.8 %–93.9 %
    assert first[-3:] == ["66.7%", "20.8%", "93.9%"]
    en = _presented(result, "coverage_adoption", "en")
    assert [c.text for c in en.rows[0]][:3] == ["Channel A", "Area X", "Key cities"]
    both = _presented(result, "coverage_adoption", "both")
    assert (both.rows[0][0].text, both.rows[0][0].en) == ("渠道A", "Channel A")
    assert (both.columns[0].zh, both.columns[0].en) == ("渠道", "Channel")


def test_regions_status_and_benchmark_source(tiny):
    _, result = tiny
    gaps = _presented(result, "coverage_gaps", "both")
    heads = [c.name for c in gaps.columns]
    region = [r[heads.index("region_zh")] for r in gaps.rows]
    assert {(c.text, c.en) for c in region} == {("东部", "East"), ("中部", "Central")}
    status = {(r[heads.index("status_zh")].text, r[heads.index("status_zh")].en) for r in gaps.rows}
    assert status == {("未开通", "not provided"), ("缺失", "missing")}
    comp = _presented(result, "coverage_comparison", "en")
    assert "source" not in [c.name for c in comp.columns]
    assert "a synthetic source" in comp.note["en"] and "a synthetic source" in comp.note["zh"]
    areas = {r[[c.name for c in comp.columns].index("area_en")].text for r in comp.rows}
    assert areas == {"Area X", "All areas (pooled)"}


def test_per_channel_score_columns_are_named_after_the_channel():
    ctx = Context(channels={"weibo": ("政务微博", "Government Weibo")})
    assert column_label("score_weibo", ctx, "coverage") == ("得分·政务微博", "Score: Government Weibo")
    assert column_label("score_weibo", ctx) == ("score_weibo", "score_weibo")  # only in the coverage tables
    assert column_label("rate", ctx, "coverage") == ("开通率", "Adoption rate")


def test_coverage_method_and_test_ids_are_not_relabelled_by_regional_value_keys():
    """value.regional.method.exact (精确) belongs to the regional stage's tables: the coverage
    stage's method/test ids keep their own names (coverage.method.*, in method_zh/method_en)."""
    frame = pd.DataFrame({"method": ["exact", "monte_carlo"], "test": ["fisher_exact_2x2", "kruskal_wallis"]})
    result = (Result.empty({})
              .with_table("coverage_synthetic", frame, stage="coverage", title="table.coverage_tests")
              .with_table("regional_synthetic", frame, stage="regional", title="regional.table.tests"))
    for lang in ("zh", "en"):
        cov, reg = _presented(result, "coverage_synthetic", lang), _presented(result, "regional_synthetic", lang)
        assert [[c.text for c in row] for row in cov.rows] == frame.values.tolist(), lang
        regional = [[c.text for c in row] for row in reg.rows]
        assert regional[0][0] == {"zh": "精确", "en": "exact"}[lang]
        assert regional[1] == {"zh": ["蒙特卡罗", "Kruskal–Wallis 检验"], "en": ["Monte Carlo", "Kruskal–Wallis test"]}[lang]
