"""Sobol estimator proven on the Ishigami function; Monte Carlo quantiles and tier probabilities."""

import numpy as np
import pandas as pd
import pytest

from egoveval.index import build_index
from egoveval.index.sensitivity import (ISHIGAMI_ANALYTIC, ishigami, jansen_indices, saltelli_matrices,
                                        sobol_indices)
from egoveval.index.uncertainty import rank_quantiles

TOL = 0.02


@pytest.fixture(scope="module")
def ishigami_result():
    return sobol_indices(ishigami, [1, 1, 1], n=2 ** 14, seed=20240501, sampler="sobol", n_boot=200)


def test_ishigami_analytic_values():
    s, t = ISHIGAMI_ANALYTIC["first_order"], ISHIGAMI_ANALYTIC["total"]
    assert [round(v, 4) for v in s] == [0.3139, 0.4424, 0.0]
    assert [round(v, 4) for v in t] == [0.5576, 0.4424, 0.2437]


@pytest.mark.parametrize("j", [0, 1, 2])
def test_ishigami_first_order_within_tolerance(ishigami_result, j):
    got, exp = ishigami_result.first_order[j], ISHIGAMI_ANALYTIC["first_order"][j]
    assert abs(got - exp) < TOL, f"S{j + 1}: expected {exp:.4f}, got {got:.4f}"


@pytest.mark.parametrize("j", [0, 1, 2])
def test_ishigami_total_within_tolerance(ishigami_result, j):
    got, exp = ishigami_result.total[j], ISHIGAMI_ANALYTIC["total"][j]
    assert abs(got - exp) < TOL, f"ST{j + 1}: expected {exp:.4f}, got {got:.4f}"


def test_ishigami_bootstrap_intervals_cover_truth(ishigami_result):
    for j in range(3):
        lo, hi = ishigami_result.total_ci[j]
        assert lo <= ISHIGAMI_ANALYTIC["total"][j] <= hi


def test_ishigami_with_plain_random_sampling():
    res = sobol_indices(ishigami, [1, 1, 1], n=2 ** 14, seed=7, sampler="random", n_boot=0)
    for j in range(3):
        assert abs(res.total[j] - ISHIGAMI_ANALYTIC["total"][j]) < 0.03
        assert abs(res.first_order[j] - ISHIGAMI_ANALYTIC["first_order"][j]) < 0.03


def test_sobol_is_seeded():
    a = sobol_indices(ishigami, [1, 1, 1], n=1024, seed=3, n_boot=20)
    b = sobol_indices(ishigami, [1, 1, 1], n=1024, seed=3, n_boot=20)
    assert a == b


def test_additive_model_has_equal_first_and_total():
    # f = x1 + 2 x2 (uniform): S1 = 1/5, S2 = 4/5, no interactions
    res = sobol_indices(lambda u: u[:, 0] + 2 * u[:, 1], [1, 1], n=2 ** 13, seed=1, sampler="sobol", n_boot=0)
    assert res.first_order == pytest.approx((0.2, 0.8), abs=0.02)
    assert res.total == pytest.approx((0.2, 0.8), abs=0.02)


def test_group_factor():
    # group (x1, x2) vs x3 in f = x1 + x2 + x3: group share 2/3
    res = sobol_indices(lambda u: u.sum(axis=1), [2, 1], n=2 ** 13, seed=1, sampler="sobol", n_boot=0)
    assert res.first_order[0] == pytest.approx(2 / 3, abs=0.02)


def test_saltelli_design_shape_and_columns():
    a, b = np.zeros((4, 3)), np.ones((4, 3))
    d = saltelli_matrices(a, b, [2, 1])
    assert d.shape == (16, 3)
    assert d[8:12].tolist() == [[1, 1, 0]] * 4 and d[12:16].tolist() == [[0, 0, 1]] * 4


def test_rank_quantiles_match_numpy_inverted_cdf():
    rng = np.random.default_rng(5)
    ranks = rng.integers(1, 11, size=(4, 999))
    counts = np.stack([np.bincount(r - 1, minlength=10) for r in ranks])
    got = rank_quantiles(counts, [0.05, 0.5, 0.95])
    exp = np.percentile(ranks, [5, 50, 95], axis=1, method="inverted_cdf").T
    assert got.tolist() == exp.astype(int).tolist()


# --- the index Monte Carlo -----------------------------------------------------------------

def synthetic_units(n=40, m=6, seed=0):
    rng = np.random.default_rng(seed)
    level = rng.normal(size=(n, 1))
    data = level + rng.normal(scale=0.7, size=(n, m))
    return pd.DataFrame(data, index=[f"synthetic_{i:02d}" for i in range(n)],
                        columns=[f"ind{j}" for j in range(m)])


FRAME = {f"ind{j}": {"channel": "A" if j < 3 else "B"} for j in range(6)}


def test_uncertainty_tables_shape_probabilities_and_seed():
    q = synthetic_units()
    opts = {"uncertainty": {"n": 300, "seed": 11, "n_boot": 50}}
    r1 = build_index(q, FRAME, opts)
    r2 = build_index(q, FRAME, opts)
    u = r1.uncertainty
    assert list(u.columns) == ["rank_p05", "rank_median", "rank_p95", "p_Very High", "p_High",
                               "p_Middle", "p_Low"]
    assert np.allclose(u.filter(like="p_").sum(axis=1), 1.0)
    assert (u["rank_p05"] <= u["rank_median"]).all() and (u["rank_median"] <= u["rank_p95"]).all()
    pd.testing.assert_frame_equal(u, r2.uncertainty)
    pd.testing.assert_frame_equal(r1.sensitivity, r2.sensitivity)
    assert list(r1.sensitivity["assumption"]) == ["weights", "normalisation", "aggregation", "drop"]


def test_no_uncertainty_when_weight_noise_is_tiny_gives_nominal_ranks():
    q = synthetic_units(n=15, m=3, seed=4)
    res = build_index(q, {c: {} for c in q.columns},
                      {"uncertainty": {"n": 64, "seed": 1, "assumptions": ["weights"],
                                       "weight_noise": 1e-9, "n_boot": 0}})
    u = res.uncertainty
    assert (u["rank_median"] == res.ranks.astype(int)).all()
    assert (u["rank_p05"] == u["rank_p95"]).all()


def test_tier_probabilities_are_counts_over_runs():
    # only the aggregation varies (arithmetic vs geometric): probabilities are multiples of 1/N
    q = synthetic_units(n=20, m=4, seed=2)
    res = build_index(q, {c: {} for c in q.columns},
                      {"uncertainty": {"n": 50, "seed": 3, "assumptions": ["aggregation"], "n_boot": 0}})
    p = res.uncertainty.filter(like="p_").to_numpy() * 50
    assert np.allclose(p, np.round(p))


def test_drop_one_indicator_dominates_when_one_indicator_decides():
    rng = np.random.default_rng(9)
    q = pd.DataFrame({"big": rng.normal(size=60), "small1": rng.normal(size=60) * 0.01,
                      "small2": rng.normal(size=60) * 0.01})
    res = build_index(q, {c: {} for c in q.columns},
                      {"normalize": "rank", "uncertainty": {"n": 256, "seed": 1, "n_boot": 50,
                                                            "assumptions": ["weights", "drop"]}})
    s = res.sensitivity.set_index("assumption")
    assert s.loc["drop", "total"] > s.loc["weights", "total"]


def test_thread_count_does_not_change_results():
    q = synthetic_units(n=30, m=5, seed=8)
    fw = {c: {} for c in q.columns}
    one = build_index(q, fw, {"uncertainty": {"n": 200, "seed": 4, "n_boot": 20, "workers": 1, "chunk": 64}})
    two = build_index(q, fw, {"uncertainty": {"n": 200, "seed": 4, "n_boot": 20, "workers": 2, "chunk": 64}})
    pd.testing.assert_frame_equal(one.uncertainty, two.uncertainty)
    pd.testing.assert_frame_equal(one.sensitivity, two.sensitivity)
