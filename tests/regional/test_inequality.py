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
