"""The index stage's tables (pipeline._index_tables / _index_options) and how the report shows
them: every "reported" item is a table with a catalogue title and a section entry; tiers and
tier probabilities read in English in the English report. Data are synthetic."""

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from egoveval.frameworks import load_framework
from egoveval.index import build_index
from egoveval.messages import catalogue, text
from egoveval.pipeline import _index_options, _index_tables
from egoveval.report.present import plan, present_table
from egoveval.report.sections import find_entry
from egoveval.result import Result

CODES = [f"S{i:02d}" for i in range(24)]
NAMES = [f"合成单位{i}" for i in range(24)]  # display names, as the stage passes them


def synthetic() -> pd.DataFrame:
    rng = np.random.default_rng(12)
    level = rng.normal(size=(24, 1))
    x = level + rng.normal(scale=0.6, size=(24, 4))
    x[:, 3] = np.exp(2.5 * x[:, 3])  # skewed: the outlier rule treats it
    return pd.DataFrame(x, index=NAMES, columns=["a", "b", "c", "d"])


FRAME = {"a": {"channel": "X"}, "b": {"channel": "X"}, "c": {"channel": "Y"}, "d": {"channel": "Y"}}


@pytest.fixture(scope="module")
def tables():
    idx = build_index(synthetic(), FRAME, {
        "tiers": "cn", "weights": "pca", "outliers": True, "aggregate": "geometric",
        "uncertainty": {"n": 64, "seed": 3, "n_boot": 20, "aggregators": ["geometric", "arithmetic"]}})
    return idx, {name: (table, title, note) for name, table, title, note in _index_tables(idx, dict(zip(NAMES, CODES)))}


def test_every_reported_item_is_a_titled_table_in_the_index_section(tables):
    _idx, out = tables
    assert {"index", "index_tiers", "index_pca_loadings", "index_outliers",
            "index_zeros", "index_sensitivity", "index_weights"} <= set(out)
    for name, (_table, title, _note) in out.items():
        assert title in catalogue(), f"{name}: title {title} not in the catalogue"
        section, entry = find_entry(name, "table")
        assert section.id == "index" and entry.name == name, f"{name} is not named by the index section"


def test_rank_intervals_and_tier_probabilities_are_in_the_index_table_only(tables):
    idx, out = tables
    t = out["index"][0]
    assert list(t.columns[6:]) == ["rank_p05", "rank_median", "rank_p95", "p_非常高", "p_高", "p_中", "p_低"]
    for name, (table, _title, _note) in out.items():
        if name != "index":
            assert not {"rank_p05", "p_高"} & set(table.columns), f"{name} repeats the index table's columns"


def test_index_table_ranks_are_integers_and_tiers_bilingual(tables):
    idx, out = tables
    t = out["index"][0]
    assert str(t["rank"].dtype) == "Int64"
    assert list(t.columns[:6]) == ["code", "score", "rank", "tier", "tier_zh", "tier_en"]
    expected_en = {"低": "Low", "中": "Middle", "高": "High", "非常高": "Very high"}
    assert [expected_en[z] for z in t["tier_zh"]] == t["tier_en"].tolist()
    assert t["tier"].tolist() == t["tier_zh"].tolist()  # the CSV contract keeps the cn labels


def test_tier_table_states_inclusive_sides_and_counts(tables):
    idx, out = tables
    t = out["index_tiers"][0]
    assert t["interval"].tolist() == ["90 ≤ x", "80 ≤ x < 90", "60 ≤ x < 80", "x < 60"]
    assert t["lower_inclusive"].tolist()[:3] == [True, True, True]
    assert t["n_units"].sum() == idx.index.notna().sum()


def test_zeros_outliers_loadings_and_weights(tables):
    idx, out = tables
    zeros = out["index_zeros"][0]
    assert len(zeros) == len(idx.zeros) > 0 and set(zeros["code"]) <= set(CODES)
    outliers = out["index_outliers"][0]
    assert outliers.set_index("indicator").loc["d", "treatment"] != "none"
    loadings = out["index_pca_loadings"][0]
    assert set(loadings["indicator"]) == {"a", "b", "c", "d"} and "loading" in loadings
    assert "index" not in out["index_weights"][0].columns  # no spurious reset_index column


def test_sensitivity_table_has_both_intervals_and_says_which_is_which(tables):
    _idx, out = tables
    table, _title, note = out["index_sensitivity"]
    assert list(table.columns) == ["assumption", "first_order", "total_order", "ci_low", "ci_high",
                                   "first_ci_low", "first_ci_high"]
    assert "total-order" in note.en and "first_ci_low" in note.en and "95%" in note.en


def test_english_report_shows_english_tiers_and_probability_headers(tables):
    _idx, out = tables
    result = Result.empty({})
    for name, (table, title, note) in out.items():
        result = result.with_table(name, table, stage="index", title=title, note=note)
    items = {i.name: i for s in plan(result) for i in s.items}
    shown = present_table(result, items["index"], "en")
    tier_col = [c.name for c in shown.columns].index("tier_en")
    assert {row[tier_col].text for row in shown.rows} <= {"Low", "Middle", "High", "Very high"}
    assert "tier" not in [c.name for c in shown.columns]
    headers = [c.en for c in shown.columns]
    ranks = [text(f"column.{c}", "en") for c in ("rank_p05", "rank_median", "rank_p95")]
    assert headers[-7:] == [*ranks, "P(Very high)", "P(High)", "P(Middle)", "P(Low)"], headers
    zh = [c.zh for c in present_table(result, items["index"], "zh").columns]
    assert zh[-4:] == ["“非常高”的概率", "“高”的概率", "“中”的概率", "“低”的概率"]


def test_custom_tier_labels_name_the_probability_columns():
    tiers = {"thresholds": [0.5], "labels": [{"zh": "领先", "en": "Leading"}, {"zh": "追赶", "en": "Catching up"}]}
    idx = build_index(synthetic(), FRAME, {"tiers": tiers, "uncertainty": {"n": 32, "seed": 1, "n_boot": 0}})
    result = Result.empty({})
    for name, table, title, note in _index_tables(idx, dict(zip(NAMES, CODES))):
        result = result.with_table(name, table, stage="index", title=title, note=note)
    item = next(i for s in plan(result) for i in s.items if i.name == "index")
    en = [c.en for c in present_table(result, item, "en").columns]
    zh = [c.zh for c in present_table(result, item, "zh").columns]
    assert en[-2:] == ["P(Leading)", "P(Catching up)"] and zh[-2:] == ["“领先”的概率", "“追赶”的概率"]


def test_study_weight_overrides_of_dropped_indicators_are_left_out():
    fw = load_framework("provincial-channels")
    ids = [i.id for i in fw.indicators]
    study = SimpleNamespace(settings={"index": {"enabled": True, "channel_weights": None,
                                                "indicator_weights": {ids[0]: 2, ids[1]: 3, "nope": 1}}})
    s = _index_options(study, fw, ids[1:])  # ids[0] was dropped as constant
    assert s["indicator_weights"] == {ids[1]: 3, "nope": 1}  # unknown ids stay: build_index reports them
    assert "enabled" not in s and set(s["channel_weights"]) <= {c.id for c in fw.channels}
