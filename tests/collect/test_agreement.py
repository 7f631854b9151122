"""Percent agreement and kappa: hand-computed small cases, scikit-learn on larger ones,
Lin's CCC by its definition, and properties."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from egoveval.collect.agreement import PairSet, agreement_table, cohen_kappa, lin_ccc, percent_agreement, \
    weighted_kappa
from egoveval.frameworks import load_framework


def test_small_binary_case_by_hand():
    # A: 1 1 1 0 0 0 1 0 ; B: 1 1 0 0 0 1 1 0 → 6 of 8 agree.
    a = [1, 1, 1, 0, 0, 0, 1, 0]
    b = [1, 1, 0, 0, 0, 1, 1, 0]
    # p_o = 6/8 = 0.75; margins A 4/8 ones, B 4/8 ones → p_e = .5·.5 + .5·.5 = 0.5; κ = (.75 − .5)/.5 = 0.5
    assert percent_agreement(np.array(a) == np.array(b)) == 0.75
    assert cohen_kappa(a, b) == pytest.approx(0.5, abs=1e-12), f"expected 0.5, got {cohen_kappa(a, b)}"


def test_small_ordinal_case_by_hand():
    # Levels 0, 1, 2. Pairs: (0,0) (1,1) (2,2) (2,1) (0,1) (1,1)
    a = [0, 1, 2, 2, 0, 1]
    b = [0, 1, 2, 1, 1, 1]
    # margins A: 0:2 1:2 2:2 (/6); B: 0:1 1:4 2:1 (/6)
    # linear: Σ|i−j|·O = (1 + 1)/6 = 1/3; Σ|i−j|·E = [2·4·1 + 2·1·2 + 2·1·1 + 2·4·1 + 2·1·2 + 2·1·1]/36 = 28/36
    # κ_lin = 1 − (1/3)/(28/36) = 1 − 12/28 = 4/7
    assert weighted_kappa(a, b, [0, 1, 2], "linear") == pytest.approx(4 / 7, abs=1e-12)
    # quadratic: Σ(i−j)²·O = 2/6; Σ(i−j)²·E = [8 + 2·4 + 2 + 8 + 2·4 + 2]/36 = 36/36 = 1
    # κ_quad = 1 − 1/3 = 2/3
    assert weighted_kappa(a, b, [0, 1, 2], "quadratic") == pytest.approx(2 / 3, abs=1e-12)


@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_kappa_equals_scikit_learn_on_a_larger_case(weights):
    rng = np.random.default_rng(7)
    truth = rng.integers(0, 4, size=300)
    noise = rng.random(300) < 0.25
    b = np.where(noise, rng.integers(0, 4, size=300), truth)
    ours = weighted_kappa(truth, b, [0, 1, 2, 3], weights)
    theirs = cohen_kappa_score(truth, b, labels=[0, 1, 2, 3], weights=weights)
    assert ours == pytest.approx(theirs, abs=1e-12), f"expected {theirs}, got {ours}"


def test_binary_kappa_equals_scikit_learn():
    rng = np.random.default_rng(11)
    a = rng.integers(0, 2, size=500)
    b = np.where(rng.random(500) < 0.15, 1 - a, a)
    assert cohen_kappa(a, b, [0, 1]) == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2)), min_size=2, max_size=40),
       st.sampled_from([None, "linear", "quadratic"]))
def test_kappa_matches_scikit_learn_property(pairs, weights):
    a = [p[0] for p in pairs]
    b = [p[1] for p in pairs]
    ours = weighted_kappa(a, b, [0, 1, 2], weights)
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            theirs = cohen_kappa_score(a, b, labels=[0, 1, 2], weights=weights)
    if np.isnan(theirs):
        assert np.isnan(ours) or ours == pytest.approx(1.0)
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


def test_kappa_is_one_for_perfect_agreement_and_symmetric():
    a = [0, 1, 2, 2, 1, 0, 2]
    assert weighted_kappa(a, a, [0, 1, 2], "linear") == pytest.approx(1.0)
    b = [0, 2, 2, 1, 1, 0, 0]
    assert weighted_kappa(a, b, [0, 1, 2], "quadratic") == pytest.approx(weighted_kappa(b, a, [0, 1, 2], "quadratic"))


def test_lin_ccc_by_definition():
    x = np.array([3.1, 4.0, 2.5, 4.8, 3.9])
    y = np.array([3.0, 4.2, 2.4, 4.5, 4.0])
    # ρ_c = 2·cov/(var_x + var_y + (m_x − m_y)²) with 1/n moments
    cov = ((x - x.mean()) * (y - y.mean())).mean()
    expected = 2 * cov / (x.var() + y.var() + (x.mean() - y.mean()) ** 2)
    assert lin_ccc(x, y) == pytest.approx(expected, abs=1e-12)
    assert lin_ccc(x, x) == pytest.approx(1.0)
    assert lin_ccc(x, x + 1) < 1.0  # a constant shift lowers concordance, not correlation


def test_agreement_table_does_not_count_pairs_blank_on_both_sides():
    fw = load_framework("provincial-channels")
    wechat = PairSet(fw.indicator("mp_wechat"))
    # 4 pairs with values (3 agree), 1 pair blank in one file, 5 pairs blank in both
    for sa, va, sb, vb in [("ok", 1, "ok", 1), ("ok", 0, "ok", 0), ("ok", 1, "ok", 1), ("ok", 1, "ok", 0),
                           ("missing", None, "ok", 1)] + [("missing", None, "missing", None)] * 5:
        wechat.add(sa, va, sb, vb)
    table = agreement_table({"mp_wechat": wechat}).set_index("indicator")
    row = table.loc["mp_wechat"]
    assert (row["pairs"], row["agreements"], row["blank_both"], row["pairs_statistic"]) == (5, 3, 5, 4)
    assert row["percent_agreement"] == pytest.approx(3 / 5)
    # κ on the 4 pairs with both values: p_o = 3/4; A ones 3/4, B ones 2/4 → p_e = .75·.5 + .25·.5 = .5
    assert row["value"] == pytest.approx((0.75 - 0.5) / 0.5)
    assert row["statistic"] == "cohen_kappa"
    assert table.loc["overall", "pairs"] == 5
