"""Cluster diagnostics equal R on real data (UN E-Government Survey 2018: osi, hci, tii as
z-scores, 193 countries). Fixtures from tests/r/cluster_diagnostics_un.R (cluster 2.1.4,
fpc 2.2.10)."""


import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import squareform

from egoveval.cluster import build_tree, heights, memberships
from egoveval.cluster.fastcut import cut_many
from egoveval.cluster.kchoice import gap_rule, gap_statistic, k_statistics, silhouette_samples
from egoveval.cluster.separation import indicator_tests
from egoveval.cluster.stability import clusterboot, order_stability, tied_merges
from egoveval.cluster.tree import pairwise
from egoveval.standardize import standardize

from .conftest import FIX  # the `un` fixture (real UN 2018 data) comes from conftest.py


@pytest.fixture(scope="module")
def z(un):
    return standardize(un, "z").data.to_numpy()


@pytest.fixture(scope="module")
def tree(un, z):
    return build_tree(z, list(un.index))


@pytest.fixture(scope="module")
def kchoice(z, tree):
    return k_statistics(z, tree, (2, 8), gap_b=0)


def test_silhouette_and_calinski_harabasz_equal_r(kchoice):
    r = pd.read_csv(FIX / "diag_un_kstats.csv")
    ours = kchoice.table
    for col in ("silhouette", "calinski_harabasz"):
        diff = np.max(np.abs(ours[col].to_numpy() - r[col].to_numpy()))
        assert diff < 1e-9, f"{col}: max |ours − R| = {diff:.3g}"


def test_unit_silhouettes_equal_r_at_k4(z, tree):
    r = pd.read_csv(FIX / "diag_un_silhouette_k4.csv")
    s, neighbour = silhouette_samples(squareform(pairwise(z)), cut_many(tree.Z, [4])[4])
    assert np.max(np.abs(s - r["sil_width"].to_numpy())) < 1e-12
    np.testing.assert_array_equal(neighbour, r["neighbor"].to_numpy())


@pytest.mark.parametrize("space", ["original", "scaledPCA"])
def test_gap_within_monte_carlo_error_of_clusgap(z, space):
    r = pd.read_csv(FIX / f"diag_un_gap_{space}.csv")
    g = gap_statistic(z, k_max=8, B=500, seed=11, space=space).table
    # log W: ours is the pooled within SS, clusGap(d.power = 2)'s is half of it
    np.testing.assert_allclose(g["log_w"] - np.log(2), r["logW"], rtol=0, atol=1e-9)
    # two independent Monte Carlo means of B = 500: sd ≈ SE_sim; allow 4 standard errors
    se_diff = np.sqrt(g["se"] ** 2 / 500 + r["SE_sim"] ** 2 / 500)
    worst = float(np.max(np.abs(g["gap"] - r["gap"]) / se_diff))
    assert worst < 4, f"gap differs from clusGap by {worst:.2f} Monte Carlo SEs"
    assert np.allclose(g["se"], r["SE_sim"], rtol=0.15)
    assert gap_rule(g["gap"].to_numpy(), g["se"].to_numpy(), list(g["k"]))[0] == r["k_tibs2001semax"].iloc[0]


@pytest.mark.parametrize("k", [3, 4, 5])
def test_clusterboot_jaccard_within_005_of_fpc(z, tree, k):
    r = pd.read_csv(FIX / "diag_un_clusterboot.csv").query("k == @k")
    lab = cut_many(tree.Z, [k])[k]
    boot = clusterboot(z, lab, B=200, seed=100 + k)
    np.testing.assert_array_equal(np.bincount(lab)[1:], r["size"].to_numpy())
    diff = np.abs(boot.means - r["jaccard_mean"].to_numpy())
    assert diff.max() < 0.05, f"k={k}: ours {np.round(boot.means, 3)}, fpc {r['jaccard_mean'].round(3).tolist()}"


@pytest.mark.parametrize("name,method,metric", [
    ("average", "average", "euclidean"), ("complete", "complete", "euclidean"),
    ("single", "single", "euclidean"), ("centroid", "centroid", "sqeuclidean"),
    ("median", "median", "sqeuclidean"), ("average_manhattan", "average", "manhattan"),
])
def test_linkage_memberships_and_heights_equal_hclust(un, z, name, method, metric):
    t = build_tree(z, list(un.index), method, metric)
    r = pd.read_csv(FIX / f"linkage_un_{name}_membership.csv").set_index("iso3")
    ours = memberships(t, range(2, 9))
    for col in ours:
        bad = int((ours[col].to_numpy() != r[col].to_numpy()).sum())
        assert bad == 0, f"{name} {col}: {bad} units differ from cutree"
    rh = pd.read_csv(FIX / f"linkage_un_{name}_tree.csv")["height"].to_numpy()
    assert np.max(np.abs(heights(t) - rh)) < 1e-9


@pytest.mark.parametrize("method", ["centroid", "median"])
def test_centroid_median_euclidean_heights_are_square_roots_of_r(un, z, method):
    rh = pd.read_csv(FIX / f"linkage_un_{method}_tree.csv")["height"].to_numpy()
    t = build_tree(z, list(un.index), method, "euclidean")
    np.testing.assert_allclose(heights(t), np.sqrt(rh), rtol=1e-9)


def test_chebyshev_ties_explain_the_difference_from_r(un, z):
    """Complete linkage on Chebyshev distances of the rounded UN scores has thousands of tied
    distances; R and SciPy break them differently. The tie flag must show it and the
    partition must depend on the order of the units."""
    t = build_tree(z, list(un.index), "complete", "chebyshev")
    r = pd.read_csv(FIX / "linkage_un_complete_chebyshev_membership.csv").set_index("iso3")
    differs = any((memberships(t, [k])[f"k{k}"].to_numpy() != r[f"k{k}"].to_numpy()).any() for k in range(2, 9))
    ties = tied_merges(z, t)
    assert differs and ties["tied"].sum() > 0
    o = order_stability(z, cut_many(t.Z, [4])[4], "complete", "chebyshev", P=40, seed=3)
    assert o.share_changed > 0, "expected order dependence under tied distances"


def test_ward_has_no_ties_and_is_order_stable(z, tree):
    assert not tied_merges(z, tree)["tied"].any()
    o = order_stability(z, cut_many(tree.Z, [4])[4], P=20, seed=5)
    assert o.share_changed == 0 and o.ari_range == (1.0, 1.0)


def test_kruskal_and_anova_equal_r(un, z, tree):
    r = pd.read_csv(FIX / "diag_un_tests_k4.csv")
    ours = indicator_tests(pd.DataFrame(z, columns=un.columns), cut_many(tree.Z, [4])[4])
    for col in ("kw_h", "anova_f", "eta2"):
        np.testing.assert_allclose(ours[col], r[col], rtol=1e-9)
    for col in ("kw_p", "anova_p"):
        np.testing.assert_allclose(ours[col], r[col], rtol=1e-6)
