"""The regional stage on a whole table: contracts, notes, missing values and input errors."""

import numpy as np
import pandas as pd
import pytest

from egoveval.errors import InputError
from egoveval.regional.analysis import (INEQUALITY_COLUMNS, MORAN_COLUMNS, TESTS_COLUMNS,
                                        RegionalOptions, add_to_result, regional_analysis)
from egoveval.regional.spatial import adjacency_matrix, moran, row_standardise
from egoveval.result import Result

@pytest.fixture()
def frame(synthetic_frame):
    return synthetic_frame


def _keys(a):
    return [n.key for n in a.notes]


def test_value_analysis_tables_and_notes(frame, provinces_synthetic):
    a = regional_analysis(frame, "name", value="value_synthetic", options=RegionalOptions(permutations=99))
    assert list(a.tables["tests"].columns) == TESTS_COLUMNS
    assert a.tables["tests"]["test"].tolist()[:2] == ["kruskal_wallis", "anova_oneway"]
    assert list(a.tables["inequality"].columns) == INEQUALITY_COLUMNS
    assert list(a.tables["moran"].columns) == MORAN_COLUMNS
    assert a.tables["by_region"]["region"].tolist() == ["East", "Central", "West", "Northeast", "Total"]
    assert "regional.note.xpcc_excluded" in _keys(a) and "regional.note.hainan_island" in _keys(a)
    assert "660000" not in set(a.tables["lisa"]["code"]) and len(a.tables["lisa"]) == 31
    # the Moran row is the spdep-checked kernel on the 31 provinces (XPCC excluded)
    d = provinces_synthetic[provinces_synthetic["code"] != "660000"]
    m = moran(d["value_synthetic"], row_standardise(adjacency_matrix(d["code"])))
    assert a.tables["moran"].loc[0, "I"] == pytest.approx(m.I, abs=1e-12)


def test_hainan_link_and_xpcc_options(frame):
    a = regional_analysis(frame, "name", value="value_synthetic",
                          options=RegionalOptions(hainan_link=True, include_xpcc=True, permutations=0))
    keys = _keys(a)
    assert "regional.note.hainan_link" in keys and "regional.note.xpcc_island" in keys
    lisa = a.tables["lisa"].set_index("code")
    assert lisa.loc["660000", "quadrant"] == "island" and lisa.loc["460000", "n_neighbours"] == 1
    assert np.isnan(a.tables["moran"].loc[0, "p_permutation"])


def test_missing_values_are_left_out_and_listed(frame):
    frame.loc[frame["name"] == "山西", "value_synthetic"] = ""
    frame.loc[frame["name"] == "湖北", "value_synthetic"] = "NA"
    a = regional_analysis(frame, "name", value="value_synthetic", options=RegionalOptions(permutations=0))
    note = next(n for n in a.notes if n.key == "regional.note.missing")
    assert "山西" in note.zh and "湖北" in note.zh
    assert a.tables["by_region"].set_index("region").loc["Central", "n"] == 4
    units = a.tables["units"].set_index("name")
    assert units.loc["山西", "status"] == "missing" and units.loc["北京", "status"] == "used"
    assert units.loc["兵团", "status"] == "not_spatial" and units.loc["海南", "status"] == "island"


def test_unknown_names_are_all_reported_at_once(frame):
    frame.loc[0, "name"] = "北平"
    frame.loc[1, "name"] = "津门"
    frame.loc[2, "value_synthetic"] = "abc"
    with pytest.raises(InputError) as exc:
        regional_analysis(frame, "name", value="value_synthetic")
    rows = sorted((p.rule, p.row) for p in exc.value.problems)
    assert rows == [("regional.not_number", 4), ("units.unknown", 2), ("units.unknown", 3)]


def test_duplicates_and_missing_columns(frame):
    frame.loc[1, "name"] = "北京市"
    with pytest.raises(InputError) as exc:
        regional_analysis(frame, "name", value="value_synthetic")
    assert [p.rule for p in exc.value.problems] == ["regional.duplicate_unit"]
    with pytest.raises(InputError) as exc:
        regional_analysis(frame, "province", value="score")
    assert [p.rule for p in exc.value.problems] == ["regional.column_missing"] * 2


def test_category_analysis(frame):
    a = regional_analysis(frame, "name", category="cluster_synthetic",
                          options=RegionalOptions(permutations=0))
    tests = a.tables["tests"]
    assert tests["test"].tolist() == ["fisher_freeman_halton_exact"]
    ct = a.tables["crosstab"]
    assert ct["category"].tolist() == ["1", "2", "3", "4", "Total"]
    assert ct["n_total"].iloc[-1] == 32
    assert np.allclose(ct.filter(like="pct_").iloc[:-1].sum(axis=1), 100)
    assert a.tables["moran"].isna().all().all() and "regional.note.spatial_categorical" in _keys(a)


def test_population_weights_change_inequality_only(frame):
    frame["pop"] = np.arange(1, 33)
    w = regional_analysis(frame, "name", value="value_synthetic", weight="pop",
                          options=RegionalOptions(permutations=0))
    u = regional_analysis(frame, "name", value="value_synthetic", options=RegionalOptions(permutations=0))
    assert not np.allclose(w.tables["inequality"]["total"], u.tables["inequality"]["total"])
    assert w.tables["moran"].equals(u.tables["moran"])


def test_add_to_result(frame):
    a = regional_analysis(frame, "name", value="value_synthetic", options=RegionalOptions(permutations=0))
    r = add_to_result(Result.empty({}), a)
    assert "regional_moran" in r and "regional_tests" in r
    # the Kruskal–Wallis note is the tests table's note, not also a warning
    assert r.tables["regional_tests"].note.key == "regional.note.kruskal"
    assert [w.key for w in r.warnings] == [n.key for n in a.notes if n.key != "regional.note.kruskal"]


def test_category_table_note_is_shown_once(frame):
    a = regional_analysis(frame, "name", category="cluster_synthetic", options=RegionalOptions(permutations=0))
    r = add_to_result(Result.empty({}), a)
    assert r.tables["regional_tests"].note.key == "regional.note.fisher_exact"
    assert "regional.note.fisher_exact" not in [w.key for w in r.warnings]


def test_tests_only_leaves_out_the_parts_a_category_has_not(frame):
    opts = RegionalOptions(permutations=0)
    full = regional_analysis(frame, "name", category="cluster_synthetic", options=opts)
    a = regional_analysis(frame, "name", category="cluster_synthetic", options=opts, tests_only=True)
    assert set(a.tables) == {"crosstab", "by_region", "tests", "tests_detail"}
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], full.tables[name])
    assert _keys(a) == ["regional.note.scheme", "regional.note.fisher_exact"]
    assert "regional.note.spatial_categorical" in _keys(full) and "regional.note.xpcc_excluded" in _keys(full)
    with pytest.raises(ValueError):
        regional_analysis(frame, "name", value="value_synthetic", options=opts, tests_only=True)


def test_category_names_beside_the_ids(frame):
    names = {"1": ("高", "High"), "2": ("较高", "Upper middle"), "3": ("中", "Middle"), "4": ("低", "Low")}
    a = regional_analysis(frame, "name", category="cluster_synthetic", options=RegionalOptions(permutations=0),
                          categories=list(names), category_names=names, tests_only=True)
    ct = a.tables["crosstab"]
    assert list(ct.columns[:3]) == ["category", "category_zh", "category_en"]
    assert ct["category"].tolist() == ["1", "2", "3", "4", "Total"]
    assert ct["category_en"].tolist() == ["High", "Upper middle", "Middle", "Low", "Total"]
    assert ct["category_zh"].tolist() == ["高", "较高", "中", "低", "合计"]
    assert [c for c in a.tables["by_region"].columns if c.startswith("n_")] == ["n_1", "n_2", "n_3", "n_4"]


def test_codes_read_as_numbers_are_matched(provinces_synthetic):
    d = provinces_synthetic[["code", "value_synthetic"]].copy()
    d["code"] = d["code"].astype(float)  # as from a spreadsheet
    a = regional_analysis(d, "code", value="value_synthetic", options=RegionalOptions(permutations=0))
    assert len(a.data) == 32


def test_bar_chart_fallback_renders(frame):
    from egoveval.regional.figures import bar_chart

    for kind in ("value_synthetic", "cluster_synthetic"):
        opts = RegionalOptions(permutations=0)
        a = (regional_analysis(frame, "name", value=kind, options=opts) if kind.startswith("value")
             else regional_analysis(frame, "name", category=kind, options=opts))
        png, svg = bar_chart(a, "合成数据 synthetic")
        assert png[:4] == b"\x89PNG" and b"<svg" in svg


def test_moran_detail_states_n_islands_links_and_choices(frame):
    from egoveval.regional.analysis import MORAN_DETAIL_COLUMNS

    a = regional_analysis(frame, "name", value="value_synthetic", options=RegionalOptions(permutations=0))
    d = a.tables["moran_detail"].iloc[0]
    assert list(a.tables["moran_detail"].columns) == MORAN_DETAIL_COLUMNS
    # 31 provinces (XPCC excluded), Hainan an island without the sea link; 68 land borders
    assert (d["n"], d["n_effective"], d["n_islands"], d["links"]) == (31, 30, 1, 68)
    assert d["islands"] == "海南" and d["hainan_link"] == "no" and d["xpcc"] == "excluded"
    assert d["excluded"] == "兵团"  # the registry's name for 660000
    b = regional_analysis(frame, "name", value="value_synthetic",
                          options=RegionalOptions(permutations=0, hainan_link=True, include_xpcc=True))
    e = b.tables["moran_detail"].iloc[0]
    assert (e["n"], e["n_effective"], e["links"], e["islands"]) == (32, 31, 69, "兵团")
    assert e["hainan_link"] == "yes" and e["xpcc"] == "included"


def test_crosstab_rows_follow_the_given_category_order(frame):
    labels = {"1": "高水平", "2": "较高水平", "3": "中等水平", "4": "低水平"}  # synthetic type names
    frame["type"] = [labels[c] for c in frame["cluster_synthetic"]]
    a = regional_analysis(frame, "name", category="type", options=RegionalOptions(permutations=0),
                          categories=list(labels.values()))
    assert a.tables["crosstab"]["category"].tolist() == [*labels.values(), "Total"]
    unordered = regional_analysis(frame, "name", category="type", options=RegionalOptions(permutations=0))
    assert unordered.tables["crosstab"]["category"].tolist()[:4] != list(labels.values())
