"""Hand-checked normalisers, directions, output ranges and the COINr outlier rule."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from egoveval.index.normalise import NORMALISERS, normalise, normalise_array, skew_kurt, treat_outliers

X = np.array([2.0, 4.0, 10.0])


def check(got, expected):
    got = np.asarray(got, dtype=float)
    assert np.allclose(got, expected, equal_nan=True), f"expected {expected}, got {got.tolist()}"


def test_none():
    check(normalise_array(X, "none"), [2, 4, 10])
    check(normalise_array(X, "none", direction=-1), [-2, -4, -10])


def test_minmax_0_1_and_0_100_and_direction():
    check(normalise_array(X, "minmax"), [0, 0.25, 1])
    check(normalise_array(X, "minmax", scale=100), [0, 25, 100])
    check(normalise_array(X, "minmax", direction=-1), [1, 0.75, 0])


def test_zscore_uses_n_minus_1():
    # mean 16/3, sample SD sqrt(((−10/3)²+(−4/3)²+(14/3)²)/2) = sqrt(156/9/2) = sqrt(8.6667)
    sd = np.sqrt((100 + 16 + 196) / 9 / 2)
    check(normalise_array(X, "zscore"), (X - 16 / 3) / sd)
    assert np.std(normalise_array(X, "zscore"), ddof=1) == pytest.approx(1.0)


def test_z_minmax_equals_minmax():
    check(normalise_array(X, "z-minmax"), [0, 0.25, 1])


def test_rank_average_ties_scaled():
    check(normalise_array(np.array([5.0, 1.0, 5.0, 3.0]), "rank"), [(3.5 - 1) / 3, 0, (3.5 - 1) / 3, 1 / 3])
    check(normalise_array(np.array([5.0, 1.0, 3.0]), "rank", direction=-1), [0, 1, 0.5])


def test_dist2target_capped_and_reversed():
    check(normalise_array(X, "dist2target", target=6.0), [0, 0.5, 1])
    # less is better, target 4: (max − x)/(max − target) = (10 − x)/6, capped at 1
    check(normalise_array(X, "dist2target", direction=-1, target=4.0), [1, 1, 0])


def test_dist2best():
    check(normalise_array(X, "dist2best"), [0.2, 0.4, 1.0])


def test_missing_stays_missing_and_is_ignored_by_statistics():
    check(normalise_array(np.array([2.0, np.nan, 10.0, 4.0]), "minmax"), [0, np.nan, 1, 0.25])


def test_constant_column_gives_nan_for_spread_methods():
    for name in ("minmax", "zscore", "z-minmax"):
        assert np.isnan(normalise_array(np.ones(3), name)).all()


@pytest.mark.parametrize("name", sorted(NORMALISERS))
def test_every_normaliser_states_a_range_it_respects(name):
    rng = np.random.default_rng(3)
    x = rng.gamma(2.0, size=50) + 0.1
    params = {"target": float(np.quantile(x, 0.8))} if name == "dist2target" else {}
    for scale in (1, 100):
        y = normalise_array(x, name, scale=scale, **params)
        lo, hi = NORMALISERS[name].range_for(scale)
        assert lo <= np.nanmin(y) and np.nanmax(y) <= hi, f"{name}: {np.nanmin(y)}..{np.nanmax(y)} not in {lo}..{hi}"


def test_skew_kurt_are_e1071_type_2():
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100.0])
    n = x.size
    d = x - x.mean()
    m2, m3, m4 = (d ** 2).mean(), (d ** 3).mean(), (d ** 4).mean()
    g1, g2 = m3 / m2 ** 1.5, m4 / m2 ** 2 - 3
    s, k = skew_kurt(x)
    assert s == pytest.approx(g1 * np.sqrt(n * (n - 1)) / (n - 2))
    assert k == pytest.approx(((n + 1) * g2 + 6) * (n - 1) / ((n - 2) * (n - 3)))


def test_outlier_rule_leaves_passing_column_alone():
    x = np.arange(1.0, 21.0)
    y, rep = treat_outliers(x, "x")
    assert rep.treatment == "none" and np.array_equal(x, y)


def test_outlier_rule_winsorises_the_high_tail_one_point_at_a_time():
    x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100.0])  # skew 3.06, kurt 9.74: fails
    y, rep = treat_outliers(x, "x")
    assert (rep.treatment, rep.n_winsorised) == ("winsorised", 1), rep
    check(y, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 30])
    assert rep.passes_after and abs(rep.skew_after) < 2


def test_outlier_rule_low_tail_when_skew_negative():
    x = -np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100.0])
    y, rep = treat_outliers(x, "x")
    assert rep.treatment == "winsorised"
    assert y.min() == -30


def test_outlier_rule_falls_back_to_log_of_the_original():
    # 100 ordinary points and a geometric tail of 12: 5 winsorisations cannot fix it
    x = np.r_[np.linspace(1, 2, 100), np.geomspace(10, 10000, 12)]
    assert abs(skew_kurt(x)[0]) >= 2 and skew_kurt(x)[1] >= 3.5
    y, rep = treat_outliers(x, "x")
    assert rep.treatment == "log", rep
    assert not rep.passes_after  # reported: even the log does not bring it within limits
    lo, hi = x.min(), x.max()
    check(y, np.log(x - lo + 0.01 * (hi - lo)))


def test_outlier_report_per_indicator():
    df = pd.DataFrame({"a": np.arange(1.0, 13.0), "b": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100.0]})
    res = normalise(df, "minmax", outliers=True)
    assert res.outliers.set_index("indicator")["treatment"].to_dict() == {"a": "none", "b": "winsorised"}
