"""Kruskal–Wallis, ANOVA and Dunn against R; hand-checked ε², η² and Holm."""

import numpy as np
import pandas as pd
import pytest

from egoveval.regional.groups import anova_oneway, describe_by_group, dunn_holm, holm, kruskal_wallis

ORDER = ["East", "Central", "West", "Northeast"]


@pytest.fixture(scope="module")
def kw_input(fx):
    return pd.read_csv(fx / "kruskal_input.csv")


def test_kruskal_and_anova_match_r(fx, kw_input):
    ref = pd.read_csv(fx / "kruskal.csv").set_index("test")
    assert kw_input["value"].duplicated().any(), "the R data set must contain ties"
    kw = kruskal_wallis(kw_input["value"], kw_input["region"], ORDER)
    av = anova_oneway(kw_input["value"], kw_input["region"], ORDER)
    for got, name in ((kw, "kruskal_wallis"), (av, "anova_oneway")):
        r = ref.loc[name]
        assert abs(got.statistic - r["statistic"]) < 1e-9 * max(1, r["statistic"]), \
            f"{name}: expected {r['statistic']}, got {got.statistic}"
        assert abs(got.p - r["p"]) < 1e-9, f"{name}: expected p {r['p']}, got {got.p}"
        assert got.df == r["df"]
    assert av.df2 == ref.loc["anova_oneway", "df2"]


def test_dunn_holm_matches_scikit_posthocs(fx, kw_input):
    # tests/r/regional_dunn_posthocs.py: scikit-posthocs posthoc_dunn (dunn.test/FSA are not in Debian)
    ref = pd.read_csv(fx / "dunn.csv")
    got = dunn_holm(kw_input["value"], kw_input["region"], ORDER)
    assert list(zip(got["region_a"], got["region_b"])) == list(zip(ref["region_a"], ref["region_b"]))
    for col in ("p", "p_holm"):
        diff = np.abs(got[col].to_numpy() - ref[col].to_numpy()).max()
        assert diff < 1e-9, f"{col}: max difference {diff}"


def test_epsilon_and_eta_squared_by_hand():
    # values 1..6 in two groups of 3: ranks equal values, mean ranks 2 and 5,
    # H = 12/(6·7)·(3·4 + 3·25) − 3·7 = 27/7; ε² = H/(n−1) = 27/35
    kw = kruskal_wallis([1, 2, 3, 4, 5, 6], list("aaabbb"))
    assert kw.statistic == pytest.approx(27 / 7) and kw.effect == pytest.approx(27 / 35), \
        f"expected H=27/7, ε²=27/35, got {kw.statistic}, {kw.effect}"
    # means 2 and 5, grand mean 3.5: SS_between = 6·2.25 = 13.5, SS_total = 17.5
    av = anova_oneway([1, 2, 3, 4, 5, 6], list("aaabbb"))
    assert av.effect == pytest.approx(13.5 / 17.5), f"expected η² = {13.5 / 17.5}, got {av.effect}"
    assert (av.df, av.df2) == (1.0, 4.0)


def test_holm_as_r_p_adjust():
    # R: p.adjust(c(0.01, 0.02, 0.03, 0.04, 0.5), "holm") = 0.05 0.08 0.09 0.09 0.5
    got = holm([0.01, 0.02, 0.03, 0.04, 0.5])
    assert np.allclose(got, [0.05, 0.08, 0.09, 0.09, 0.5]), f"got {got}"


def test_describe_by_group_uses_sample_sd_and_keeps_order():
    d = describe_by_group([1, 3, 10, 20, 30], ["b", "b", "a", "a", "a"], order=["a", "b"])
    assert d["region"].tolist() == ["a", "b", "Total"]
    assert d.loc[0, "sd"] == pytest.approx(10.0) and d.loc[1, "median"] == 2.0
    assert d.loc[2, "n"] == 5
