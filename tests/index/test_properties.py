"""Invariants (Hypothesis): rescaling, reversal of direction, permutation of units."""

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from egoveval.index import build_index
from egoveval.index.normalise import normalise_array
from egoveval.index.rank import RANKERS

values = arrays(np.float64, st.tuples(st.integers(3, 25), st.integers(1, 4)),
                elements=st.floats(-1e3, 1e3, allow_nan=False, allow_infinity=False))


def frame(x):
    return pd.DataFrame(x, index=[f"synthetic_{i}" for i in range(x.shape[0])],
                        columns=[f"c{j}" for j in range(x.shape[1])])


def usable(x):
    return all(np.ptp(x[:, j]) > 1e-6 * (1 + np.abs(x[:, j]).max()) for j in range(x.shape[1]))


@settings(max_examples=60, deadline=None)
@given(values, st.floats(0.01, 100), st.floats(-100, 100))
def test_minmax_ranks_invariant_to_positive_rescaling(x, a, b):
    if not usable(x):
        return
    fw = {c: {} for c in frame(x).columns}
    opts = {"normalize": "minmax", "decimals": 9}
    r1 = build_index(frame(x), fw, opts).ranks
    r2 = build_index(frame(a * x + b), fw, opts).ranks
    assert r1.tolist() == r2.tolist()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-10**6, 10**6), min_size=3, max_size=30, unique=True))
def test_reversing_direction_reverses_ranks(ints):
    # distinct values well above float resolution (1e-279 vs 1 would tie after min–max)
    x = np.array(ints, dtype=float)
    up = pd.DataFrame({"x": x})
    r_up = build_index(up, {"x": {"direction": 1}}, {"decimals": None}).ranks.to_numpy(dtype=int)
    r_down = build_index(up, {"x": {"direction": -1}}, {"decimals": None}).ranks.to_numpy(dtype=int)
    n = len(x)
    assert (r_up + r_down == n + 1).all()


@settings(max_examples=40, deadline=None)
@given(values, st.randoms(use_true_random=False))
def test_permuting_units_permutes_results(x, rnd):
    if not usable(x):
        return
    df = frame(x)
    order = list(df.index)
    rnd.shuffle(order)
    fw = {c: {} for c in df.columns}
    a = build_index(df, fw, {"decimals": 9})
    b = build_index(df.loc[order], fw, {"decimals": 9})
    pd.testing.assert_series_equal(a.index.loc[order], b.index)
    assert a.ranks.loc[order].tolist() == b.ranks.tolist()


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(2, 40), elements=st.floats(-1e6, 1e6, allow_nan=False)))
def test_competition_rank_definition(x):
    r = RANKERS["competition"](x)
    assert r.tolist() == [1 + int(np.sum(x > v)) for v in x]
    d = RANKERS["dense"](x)
    assert d.tolist() == [1 + len(set(x[x > v])) for v in x]


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(2, 30), elements=st.floats(-1e3, 1e3, allow_nan=False)),
       st.sampled_from(["minmax", "z-minmax", "rank"]), st.sampled_from([1, 100]))
def test_bounded_normalisers_stay_in_range(x, method, scale):
    y = normalise_array(x, method, scale=scale)
    y = y[~np.isnan(y)]
    assert ((y >= -1e-9) & (y <= scale + 1e-9)).all()
