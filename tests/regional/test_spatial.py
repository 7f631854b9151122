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
