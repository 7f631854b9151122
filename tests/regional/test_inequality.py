"""Inequality decompositions: PySAL TheilD reference, hand-checked cases, properties."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from egoveval.regional.inequality import (MEASURES, between_share_test, cv, gini, inequality_table,
                                          theil_l, theil_t)


def test_theil_t_matches_pysal_theild(fx, provinces_synthetic):
    ref = pd.read_csv(fx / "theil_pysal.csv").set_index("case")
    regions = pd.read_csv(fx.parents[3] / "src/egoveval/units/data/province_regions.csv", dtype={"code": str})
    prov = provinces_synthetic.merge(regions[["code", "region3_post2000"]], on="code")
    kw = pd.read_csv(fx / "kruskal_input.csv")
    cases = {"provinces_nbs4": (prov["value_synthetic"], prov["region4"]),
             "provinces_belt3": (prov["value_synthetic"], prov["region3_post2000"]),
             "kruskal_input_nbs4": (kw["value"], kw["region"])}
    for case, (y, g) in cases.items():
        d = theil_t(y, g)
        for ours, theirs in ((d.total, "T"), (d.between, "bg"), (d.within, "wg")):
            assert abs(ours - ref.loc[case, theirs]) < 1e-12, \
                f"{case} {theirs}: expected {ref.loc[case, theirs]}, got {ours}"


def test_hand_checked_two_regions():
    # x = 1, 1 | 3, 3: μ = 2; everything is between regions
    x, g = [1, 1, 3, 3], list("aabb")
    t = theil_t(x, g)
    expected = 0.5 * (0.5 * math.log(0.5)) + 0.5 * (1.5 * math.log(1.5))
    assert t.total == pytest.approx(expected) and t.within == pytest.approx(0, abs=1e-15)
    ell = theil_l(x, g)
    assert ell.total == pytest.approx(0.5 * math.log(2) + 0.5 * math.log(2 / 3))
    c = cv(x, g)
    assert c.total == pytest.approx(0.5) and c.between == pytest.approx(0.5) and c.between_share == 1
    # Gini: mean |xi − xj| over all 16 pairs = 8·2/16 = 1 → G = 1/(2·2) = 0.25
    gi = gini(x, g)
    assert gi.total == pytest.approx(0.25) and gi.within == pytest.approx(0)
    assert gi.extra["net_between"] == pytest.approx(0.25) and gi.extra["transvariation"] == 0


def test_gini_dagum_transvariation_by_hand():
    # a = {1, 4}, b = {2, 3}: μ_a = μ_b = 2.5 → D = 0, all between-part is transvariation
    gi = gini([1, 4, 2, 3], list("aabb"))
    assert gi.total == pytest.approx(1.25 / (2 * 2.5))  # mean |d| = 20/16 = 1.25
    assert gi.extra["net_between"] == pytest.approx(0) and gi.between == pytest.approx(gi.extra["transvariation"])
    assert gi.between + gi.within == pytest.approx(gi.total)


def test_weights_equal_replicated_units():
    x, g, w = [2.0, 5.0, 7.0, 11.0], list("aabb"), [1, 3, 2, 1]
    rep_x = np.repeat(x, w)
    rep_g = np.repeat(g, w)
    for name, fn in MEASURES.items():
        a, b = fn(x, g, w), fn(rep_x, rep_g)
        for part in ("total", "between", "within", "between_share"):
            assert getattr(a, part) == pytest.approx(getattr(b, part)), f"{name}.{part}"


def test_undefined_cases_are_nan():
    assert math.isnan(theil_l([0, 1, 2], list("aab")).total)
    assert math.isnan(theil_t([-1, 1, 2], list("aab")).total)
    assert theil_t([0, 1, 2], list("aab")).total >= 0


def test_inequality_table_contract():
    t = inequality_table([1, 2, 3, 4], list("aabb"))
    assert list(t.columns) == ["measure", "total", "between", "within", "between_share"]
    assert t["measure"].tolist() == ["cv", "gini", "theil_t", "theil_l"]


def test_permutation_test_is_seeded_and_sensible():
    x, g = [1, 2, 3, 10, 11, 12], list("aaabbb")
    a = between_share_test(x, g, permutations=199, seed=3)
    assert a == between_share_test(x, g, permutations=199, seed=3)
    # only 2 of the 20 splits reach the observed share → p ≈ 0.1
    assert 0.03 < a.p < 0.2, f"expected p near 0.1, got {a.p}"
    flat = between_share_test([1, 12, 6, 2, 11, 7], g, permutations=199, seed=3)
    assert flat.p > 0.5


positive = st.lists(st.floats(0.5, 1000, allow_nan=False), min_size=4, max_size=25)


def _groups(n):
    return [("a", "b", "c")[i % 3] for i in range(n)]


@settings(max_examples=60, deadline=None)
@given(positive, st.floats(0.01, 100))
def test_decompositions_add_up_and_are_scale_invariant(x, scale):
    g = _groups(len(x))
    for name, fn in MEASURES.items():
        d, s = fn(x, g), fn(np.array(x) * scale, g)
        if name == "cv":
            assert d.total ** 2 == pytest.approx(d.between ** 2 + d.within ** 2, rel=1e-9, abs=1e-12)
        else:
            assert d.total == pytest.approx(d.between + d.within, rel=1e-9, abs=1e-12)
        for part in ("total", "between", "within"):
            assert getattr(s, part) == pytest.approx(getattr(d, part), rel=1e-8, abs=1e-12), f"{name}.{part}"


@settings(max_examples=60, deadline=None)
@given(positive, st.randoms(use_true_random=False))
def test_permuting_units_within_regions_keeps_the_between_part(x, rnd):
    g = np.array(_groups(len(x)))
    x = np.array(x)
    y = x.copy()
    for lab in "abc":
        idx = np.flatnonzero(g == lab)
        y[idx] = x[rnd.sample(list(idx), len(idx))]
    for name, fn in MEASURES.items():
        assert fn(y, g).between == pytest.approx(fn(x, g).between, rel=1e-9, abs=1e-12), name
        assert fn(y, g).total == pytest.approx(fn(x, g).total, rel=1e-9, abs=1e-12), name


def test_inequality_detail_by_hand_and_sums():
    from egoveval.regional.inequality import inequality_detail

    # synthetic: region a = (1, 3), region b = (4, 4); μ = 3, μ_a = 2, μ_b = 4
    x, g = [1.0, 3.0, 4.0, 4.0], ["a", "a", "b", "b"]
    d = inequality_detail(x, g).set_index("region")
    # T_a = ½[(1/2) ln(1/2) + (3/2) ln(3/2)], S_a = ½·2/3 = 1/3, contribution S_a T_a
    t_a = 0.5 * (0.5 * np.log(0.5) + 1.5 * np.log(1.5))
    assert d.at["a", "theil_t"] == pytest.approx(t_a, abs=1e-12), f"expected {t_a}, got {d.at['a', 'theil_t']}"
    assert d.at["a", "income_share"] == pytest.approx(1 / 3)
    assert d.at["a", "theil_t_contribution"] == pytest.approx(t_a / 3)
    assert d.at["b", "theil_t"] == 0 and d.at["b", "gini"] == 0
    # L_a = ½[ln(2/1) + ln(2/3)]
    assert d.at["a", "theil_l"] == pytest.approx(0.5 * (np.log(2) + np.log(2 / 3)))
    # Gini within a: Σ s s |x − x'| / (2 P_a² μ_a) with s = ¼: 2·¼·¼·2 / (2·¼·2) = ¼
    assert d.at["a", "gini"] == pytest.approx(0.25)
    for m, fn in (("theil_t", theil_t), ("theil_l", theil_l), ("gini", gini)):
        total = fn(x, g).total
        parts = d.loc[["a", "b", "between"], f"{m}_contribution"].sum()
        assert parts == pytest.approx(total, abs=1e-12), f"{m}: parts {parts} vs total {total}"
        assert d.loc[["a", "b", "between"], f"{m}_share"].sum() == pytest.approx(1.0)
        assert d.at["Total", m] == pytest.approx(total)
    dg = gini(x, g)
    assert d.at["gini_net_between", "gini_contribution"] == pytest.approx(dg.extra["net_between"])
    assert d.at["gini_transvariation", "gini_contribution"] == pytest.approx(dg.extra["transvariation"])
    assert d.loc[["a", "b"], "n"].tolist() == [2, 2] and d.at["Total", "n"] == 4


def test_inequality_detail_weighted_and_in_the_analysis(synthetic_frame):
    from egoveval.regional.analysis import RegionalOptions, regional_analysis

    synthetic_frame["pop"] = np.arange(1, 33)
    a = regional_analysis(synthetic_frame, "name", value="value_synthetic", weight="pop",
                          options=RegionalOptions(permutations=0))
    d = a.tables["inequality_detail"].set_index("region")
    regions = ["East", "Central", "West", "Northeast"]
    assert d.loc[regions, "weight_share"].sum() == pytest.approx(1.0)
    ineq = a.tables["inequality"].set_index("measure")
    for m in ("theil_t", "theil_l", "gini"):
        assert d.loc[[*regions, "between"], f"{m}_contribution"].sum() == pytest.approx(ineq.at[m, "total"])
        assert d.at["between", f"{m}_contribution"] == pytest.approx(ineq.at[m, "between"])
    assert d.at["East", "region_zh"] == "东部"
