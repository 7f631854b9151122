"""Moran's I and LISA against spdep; weights, islands and permutation p-values."""

import numpy as np
import pandas as pd
import pytest

from egoveval.regional.spatial import XPCC, adjacency_matrix, local_moran, moran, row_standardise


def _case(fx, provinces_synthetic, case):
    if case == "cities_queen":
        d = pd.read_csv(fx / "cities_synthetic_input.csv", dtype={"code": str})
        return d["value_synthetic"].to_numpy(float), row_standardise(adjacency_matrix(d["code"], "cities"))
    d = provinces_synthetic[provinces_synthetic["code"] != XPCC]
    a = adjacency_matrix(d["code"], hainan_link=case == "provinces_hainan_link")
    return d["value_synthetic"].to_numpy(float), row_standardise(a)


@pytest.mark.parametrize("case", ["provinces_no_hainan_link", "provinces_hainan_link", "cities_queen"])
def test_moran_matches_spdep_moran_test(fx, provinces_synthetic, case):
    ref = pd.read_csv(fx / "moran.csv").set_index("case").loc[case]
    x, w = _case(fx, provinces_synthetic, case)
    assert len(x) == ref["n"]
    m = moran(x, w)
    for ours, col in ((m.I, "I"), (m.expectation, "expectation"), (m.variance, "variance")):
        assert abs(ours - ref[col]) < 1e-9, f"{case} {col}: expected {ref[col]}, got {ours}"
    assert abs(m.z - ref["z"]) < 1e-7, f"{case} z: expected {ref['z']}, got {m.z}"
    assert abs(m.p_randomisation - ref["p_greater"]) < 1e-9


@pytest.mark.parametrize("case", ["provinces_no_hainan_link", "provinces_hainan_link"])
def test_local_moran_matches_spdep_localmoran(fx, provinces_synthetic, case):
    ref = pd.read_csv(fx / "localmoran.csv", dtype={"code": str})
    ref = ref[ref["case"] == case]
    x, w = _case(fx, provinces_synthetic, case)
    got = local_moran(x, w, permutations=0)
    diff = np.abs(got["Ii"].to_numpy() - ref["Ii"].to_numpy()).max()
    assert diff < 1e-9, f"{case}: max |Ii − spdep| = {diff}"


def test_hainan_is_an_island_without_the_sea_link(provinces_synthetic):
    d = provinces_synthetic[provinces_synthetic["code"] != XPCC].reset_index(drop=True)
    a = adjacency_matrix(d["code"])
    hainan = d.index[d["code"] == "460000"][0]
    assert a[hainan].sum() == 0
    m = moran(d["value_synthetic"], row_standardise(a))
    assert (m.n, m.n_effective) == (31, 30)
    assert m.expectation == pytest.approx(-1 / 29)
    lisa = local_moran(d["value_synthetic"], row_standardise(a), permutations=9, seed=1)
    assert lisa.loc[hainan, "quadrant"] == "island" and lisa.loc[hainan, "Ii"] == 0
    assert np.isnan(lisa.loc[hainan, "p_permutation"])
    linked = adjacency_matrix(d["code"], hainan_link=True)
    assert linked[hainan].sum() == 1 and linked.sum() == a.sum() + 2


def test_weights_are_row_standardised_and_symmetric_links():
    codes = ["110000", "120000", "130000", "140000"]
    a = adjacency_matrix(codes)
    assert (a == a.T).all()
    w = row_standardise(a)
    assert np.allclose(w.sum(axis=1), 1)
    # Beijing: Tianjin, Hebei; Shanxi: Hebei only among these four
    assert a[0].tolist() == [0, 1, 1, 0] and a[3].tolist() == [0, 0, 1, 0]


def test_permutation_p_values_are_seeded_and_bounded(provinces_synthetic):
    d = provinces_synthetic[provinces_synthetic["code"] != XPCC]
    w = row_standardise(adjacency_matrix(d["code"]))
    x = d["value_synthetic"].to_numpy(float)
    a = moran(x, w, permutations=199, seed=5)
    assert a == moran(x, w, permutations=199, seed=5)
    assert a.p_permutation == pytest.approx(1 / 200), "strong clustering: no permutation beats it"
    rng = np.random.default_rng(0)
    noise = moran(rng.permutation(x), w, permutations=199, seed=5)
    assert noise.p_permutation > 0.01
    l1 = local_moran(x, w, permutations=99, seed=2)
    assert l1.equals(local_moran(x, w, permutations=99, seed=2))
    p = l1["p_permutation"].dropna()
    assert ((p >= 1 / 100) & (p <= 0.5 + 1e-12)).all()


def test_lisa_quadrants_by_hand():
    # path a–b–c–d with values 10, 9, 1, 0
    a = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], float)
    got = local_moran([10.0, 9.0, 1.0, 0.0], row_standardise(a), permutations=0)
    # z = 5, 4, −4, −5; lags: 4, 0.5, −0.5, −4 → HH, HH, LL, LL
    assert got["quadrant"].tolist() == ["HH", "HH", "LL", "LL"]
    assert got["lag"].tolist() == pytest.approx([4, 0.5, -0.5, -4])


def test_lisa_outlier_quadrants_by_hand():
    # alternating 10, 0, 10, 0 on a path: z = ±5, every neighbour opposite
    a = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], float)
    got = local_moran([10.0, 0.0, 10.0, 0.0], row_standardise(a), permutations=0)
    assert got["quadrant"].tolist() == ["HL", "LH", "HL", "LH"]
    assert (got["Ii"] < 0).all()


def test_lisa_p_values_match_esda_within_monte_carlo_error(fx, provinces_synthetic):
    # esda.Moran_Local, 99,999 permutations (tests/r/regional_lisa_esda.py); ours 9,999
    ref = pd.read_csv(fx / "lisa_esda.csv", dtype={"code": str})
    x, w = _case(fx, provinces_synthetic, "provinces_hainan_link")
    got = local_moran(x, w, permutations=9_999, seed=11)
    # esda scales I_i by (n − 1)/Σz², spdep (and egoveval) by n/Σz² (Bivand & Wong 2018)
    n = len(x)
    assert np.abs(got["Ii"].to_numpy() * (n - 1) / n - ref["Ii"].to_numpy()).max() < 1e-9
    p_ref, p = ref["p_sim"].to_numpy(), got["p_permutation"].to_numpy()
    se = np.sqrt(p_ref * (1 - p_ref) / 9_999 + p_ref * (1 - p_ref) / 99_999)
    off = np.abs(p - p_ref) / np.maximum(se, 1e-4)
    # esda's float sums put exactly tied configurations just below I_i, so it counts ties as
    # smaller; egoveval counts them as "at least as large" (see the Tianjin case below). So
    # |p − p_esda| ≤ (share of tied draws) + Monte Carlo error for every unit: a unit beyond
    # the Monte Carlo error must have ties, and by no more than their share.
    ties, ties_se = _tie_shares(x, w)
    bound = ties + 4.5 * (se + ties_se)
    assert (np.abs(p - p_ref) <= bound).all(), \
        f"beyond ties + 4.5 SE: {[(i, round(p[i] - p_ref[i], 4), round(ties[i], 4)) for i in np.flatnonzero(np.abs(p - p_ref) > bound)]}"
    beyond = np.flatnonzero(off >= 4.5)
    assert len(beyond) and (ties[beyond] > 0.01).all(), f"units beyond 4.5 SE {beyond}, tie shares {ties[beyond]}"


def _tie_shares(x, w, draws=20_000, seed=0):
    """Per unit, the share of conditional permutations (its neighbours' count drawn from the
    other units) whose neighbour sum equals the observed one exactly, and its standard error."""
    z = np.asarray(x, float) - np.mean(x)
    rng = np.random.default_rng(seed)
    shares = np.empty(len(z))
    for i in range(len(z)):
        nb = np.flatnonzero(w[i] > 0)
        others = np.delete(z, i)
        drawn = np.argsort(rng.random((draws, len(others))), axis=1)[:, :len(nb)]
        shares[i] = np.mean(np.abs(others[drawn].sum(axis=1) - z[nb].sum()) <= 1e-9)
    return shares, np.sqrt(shares * (1 - shares) / draws)


def test_lisa_counts_exact_ties_as_at_least_as_large(provinces_synthetic):
    # Tianjin has two neighbours; enumerate all C(30, 2) neighbour pairs exactly (synthetic data)
    from itertools import combinations

    d = provinces_synthetic[provinces_synthetic["code"] != XPCC]
    x = d["value_synthetic"].to_numpy(float)
    w = row_standardise(adjacency_matrix(d["code"], hainan_link=True))
    i = int(np.flatnonzero(d["code"].to_numpy() == "120000")[0])
    z = x - x.mean()
    lag = z[w[i] > 0].mean()
    sims = np.array([(a + b) / 2 for a, b in combinations(np.delete(z, i), 2)])
    at_least = float((sims >= lag - 1e-9).mean())  # ties included: 0.0966 here
    strictly = float((sims > lag + 1e-9).mean())
    assert at_least > strictly, "the synthetic data must contain ties for this check"
    got = local_moran(x, w, permutations=19_999, seed=5).loc[i, "p_permutation"]
    se = np.sqrt(at_least * (1 - at_least) / 19_999)
    assert abs(got - at_least) < 4.5 * se, f"expected about {at_least:.4f} (ties counted), got {got:.4f}"


def test_lisa_ties_count_on_the_upper_side_only():
    # synthetic path with values (1, −1, 1, −1): ties with the observed I_i are certain
    a = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], float)
    x = np.array([1.0, -1.0, 1.0, -1.0])
    got = local_moran(x, row_standardise(a), permutations=99, seed=3)
    # unit 0 (one neighbour): draws from {−1, 1, −1}; I_sim equals I_0 (the observed −1 neighbour)
    # with probability 2/3 and is larger otherwise, so L = 99 and p = (1 + min(99, 0)) / 100
    assert got.loc[0, "p_permutation"] == pytest.approx(1 / 100), got.loc[0].to_dict()
