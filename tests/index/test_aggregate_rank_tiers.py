"""Hand-checked aggregators, weights, rank rules and tier boundaries."""

import numpy as np
import pandas as pd
import pytest

from egoveval.index import build_index
from egoveval.index.aggregate import aggregate, aggregate_matrix
from egoveval.index.rank import RANKERS, rank_matrix, rank_scores
from egoveval.index.tiers import TIER_PRESETS, parse_tiers
from egoveval.index.weights import effective_weights, make_weights, pca_weights


def check(got, expected, tol=1e-12):
    got = np.asarray(got, dtype=float)
    assert np.allclose(got, expected, atol=tol, equal_nan=True), f"expected {expected}, got {got.tolist()}"


# --- aggregators ---------------------------------------------------------------------------

def test_arithmetic_weighted():
    check(aggregate_matrix(np.array([[1.0, 4.0]]), np.array([3.0, 1.0]), "arithmetic"), [1.75])


def test_geometric_weighted():
    # 1^(3/4) · 16^(1/4) = 2
    check(aggregate_matrix(np.array([[1.0, 16.0]]), np.array([3.0, 1.0]), "geometric"), [2.0])


def test_geometric_zero_rule_gives_zero_and_is_reported():
    x = pd.DataFrame({"a": [0.0, 0.5], "b": [0.9, 0.5]}, index=["u1", "u2"])
    res = aggregate(x, make_weights({"a": "C", "b": "C"}), "geometric")
    check(res.index, [0.0, 0.5])
    assert res.zeros.to_dict("list") == {"unit": ["u1"], "indicator": ["a"]}


def test_geometric_zero_with_zero_weight_does_not_matter():
    check(aggregate_matrix(np.array([[0.0, 4.0]]), np.array([0.0, 1.0]), "geometric"), [4.0])


def test_geometric_rejects_negative_values():
    x = pd.DataFrame({"a": [-1.0, 0.5], "b": [0.9, 0.5]})
    with pytest.raises(ValueError):
        aggregate(x, make_weights({"a": "C", "b": "C"}), "geometric")


def test_generalised_mean_hand_values():
    x = np.array([[1.0, 3.0]])
    w = np.array([1.0, 1.0])
    check(aggregate_matrix(x, w, "generalised", p=2), [np.sqrt(5.0)])
    check(aggregate_matrix(x, w, "generalised", p=1), [2.0])
    check(aggregate_matrix(x, w, "generalised", p=-1), [1.5])  # harmonic: 2/(1 + 1/3)
    check(aggregate_matrix(x, w, "generalised", p=0), [np.sqrt(3.0)])


def test_channels_first_then_overall():
    x = pd.DataFrame({"a": [0.2], "b": [0.4], "c": [1.0]})
    w = make_weights({"a": "X", "b": "X", "c": "Y"}, {"a": 1, "b": 3}, {"X": 3, "Y": 1})
    res = aggregate(x, w, "arithmetic")
    check(res.sub_indices["X"], [0.35])  # 0.25·0.2 + 0.75·0.4
    check(res.index, [0.75 * 0.35 + 0.25 * 1.0])
    geo = aggregate(x, w, "geometric")
    sub = 0.2 ** 0.25 * 0.4 ** 0.75
    check(geo.index, [sub ** 0.75 * 1.0 ** 0.25])


def test_missing_value_gives_missing_subindex_and_index():
    x = pd.DataFrame({"a": [0.2, np.nan], "b": [0.4, 0.6], "c": [1.0, 0.5]})
    res = aggregate(x, make_weights({"a": "X", "b": "X", "c": "Y"}))
    assert np.isnan(res.sub_indices.loc[1, "X"]) and np.isnan(res.index[1])
    assert res.sub_indices.loc[1, "Y"] == 0.5


def test_effective_weights_with_dropped_channel():
    m = np.array([[1.0, 0], [0, 1.0]])
    check(effective_weights(np.array([[0.0, 2.0]]), m, np.array([0.3, 0.7])), [[0.0, 1.0]])


def test_pca_weights_show_loadings():
    rng = np.random.default_rng(1)
    f = rng.normal(size=300)
    df = pd.DataFrame({"a": f + rng.normal(scale=0.2, size=300), "b": f + rng.normal(scale=1.0, size=300),
                       "c": rng.normal(size=300)})
    pw = pca_weights(df, {"a": "X", "b": "X", "c": "Y"})
    assert set(pw.loadings.columns) >= {"indicator", "channel", "loading", "weight", "explained"}
    ld = pw.loadings.set_index("indicator")
    assert ld.loc["c", "weight"] == 1.0
    # two standardised variables: both loadings are 1/√2 in absolute value
    check(ld.loc[["a", "b"], "loading"].abs(), [2 ** -0.5] * 2, tol=1e-9)
    res = build_index(df, {"a": {"channel": "X"}, "b": {"channel": "X"}, "c": {"channel": "Y"}},
                      {"weights": "pca"})
    assert res.pca_loadings is not None and len(res.pca_loadings) == 3


# --- ranks ---------------------------------------------------------------------------------

def test_competition_rank_is_one_plus_number_higher():
    s = np.array([0.9, 0.8, 0.9, 0.7, 0.8])
    check(RANKERS["competition"](s), [1, 3, 1, 5, 3])
    check([1 + np.sum(s > v) for v in s], [1, 3, 1, 5, 3])


def test_dense_rank_chinese_convention():
    check(RANKERS["dense"](np.array([0.9, 0.8, 0.9, 0.7, 0.8])), [1, 2, 1, 3, 2])


def test_rank_missing_is_missing():
    r = rank_scores(pd.Series([0.5, None, 0.7]))
    assert r.isna().tolist() == [False, True, False] and r.tolist()[::2] == [2, 1]


def test_rank_matrix_matches_one_column_at_a_time():
    rng = np.random.default_rng(0)
    s = rng.integers(0, 5, size=(30, 8)).astype(float)
    for method in ("competition", "dense"):
        m = rank_matrix(s, method)
        for j in range(8):
            check(m[:, j], RANKERS[method](s[:, j]))


# --- tiers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("score, expected", [
    (0.75, "High"), (0.7500001, "Very High"), (0.50, "High"), (0.4999, "Middle"),
    (0.25, "Middle"), (0.2499, "Low"), (1.0, "Very High"), (0.0, "Low")])
def test_un_boundaries(score, expected):
    got = TIER_PRESETS["un"].assign([score])[0]
    assert got == expected, f"UN tier of {score}: expected {expected}, got {got}"


@pytest.mark.parametrize("score, expected", [
    (90, "非常高"), (89.999, "高"), (80, "高"), (79.99, "中"), (60, "中"), (59.99, "低")])
def test_cn_boundaries(score, expected):
    got = TIER_PRESETS["cn"].assign([score])[0]
    assert got == expected, f"cn tier of {score}: expected {expected}, got {got}"


def test_missing_score_is_never_tiered():
    assert TIER_PRESETS["un"].assign([None, float("nan")]) == [None, None]


def test_custom_thresholds_are_lower_inclusive():
    s = parse_tiers("0.3,0.6")
    assert s.assign([0.6, 0.5999, 0.3, 0.2999]) == ["tier_1", "tier_2", "tier_2", "tier_3"]


def test_custom_labels_are_given_highest_first():
    s = parse_tiers([50.0], labels=["above", "below"])
    assert s.assign([50, 49]) == ["above", "below"]


@pytest.mark.parametrize("bad", ["0.6,0.3", "x,y", "", "0.5,0.5"])
def test_bad_tier_specs(bad):
    with pytest.raises(ValueError):
        parse_tiers(bad)


def test_describe_states_inclusive_sides():
    lines = TIER_PRESETS["un"].describe()
    assert lines[0] == "Very High: 0.75 < x" and lines[1] == "High: 0.5 ≤ x ≤ 0.75"
    assert lines[-1] == "Low: x < 0.25"
