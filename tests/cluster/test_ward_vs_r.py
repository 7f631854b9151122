"""Ward clustering equals R's hclust(dist(scale(X)), "ward.D2") + cutree on real data
(UN E-Government Survey 2018: osi, hci, tii for 193 countries). Fixtures from
tests/r/cluster_ward_un.R."""


import numpy as np
import pandas as pd
import pytest

from egoveval.cluster import build_tree, heights, memberships, spss_schedule, to_r_merge
from egoveval.standardize import standardize

from .conftest import FIX  # the `un` fixture (real UN 2018 data) comes from conftest.py


@pytest.fixture(scope="module")
def tree(un):
    z = standardize(un, "z").data
    return build_tree(z.to_numpy(), list(un.index))


def test_heights_equal_r_ward_d2(tree):
    r = pd.read_csv(FIX / "ward_un_heights.csv")["height"].to_numpy()
    ours = heights(tree)
    assert ours.shape == r.shape
    assert np.max(np.abs(ours - r)) < 1e-9, f"max |diff| {np.max(np.abs(ours - r)):.3g}"


def test_merge_matrix_equals_r(tree):
    r = pd.read_csv(FIX / "ward_un_merge.csv")[["m1", "m2"]].to_numpy()
    np.testing.assert_array_equal(to_r_merge(tree), r)


def test_memberships_equal_cutree(tree, un):
    r = pd.read_csv(FIX / "ward_un_membership.csv").set_index("iso3")
    ours = memberships(tree, range(2, 9))
    for k in range(2, 9):
        col = f"k{k}"
        mismatched = (ours[col].to_numpy() != r.loc[list(un.index), col].to_numpy()).sum()
        assert mismatched == 0, f"k={k}: {mismatched} units numbered differently from cutree"


def test_spss_coefficients_are_cumulative_half_squared_heights(tree, un):
    schedule = spss_schedule(tree)
    r = pd.read_csv(FIX / "ward_un_heights.csv")["height"].to_numpy()
    np.testing.assert_allclose(schedule["coefficient"], np.cumsum(r ** 2 / 2), rtol=0, atol=1e-9)
    n, p = un.shape
    assert schedule["coefficient"].iloc[-1] == pytest.approx((n - 1) * p, abs=1e-9)


def test_ward_d_on_squared_distances_reports_twice_delta_ess(tree):
    r = pd.read_csv(FIX / "ward_D_sq_un_heights.csv")["height"].to_numpy()
    np.testing.assert_allclose(heights(tree) ** 2, r, rtol=1e-9, atol=1e-12)
