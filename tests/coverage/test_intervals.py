"""Wilson and Newcombe intervals: hand-computed values, statsmodels, R's prop.test."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from egoveval.coverage.intervals import newcombe_interval, wilson_interval, z_value

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "r" / "coverage"


def test_wilson_by_hand_for_3_of_4():
    # p = .75, z² = 3.841459; centre = (.75 + z²/8)/(1 + z²/4) = 0.627527;
    # half = z/(1 + z²/4)·sqrt(.75·.25/4 + z²/64) = 0.326886  →  (0.300641, 0.954413)
    lo, hi = wilson_interval(3, 4)
    assert float(lo) == pytest.approx(0.300641, abs=2e-6), f"expected 0.300641, got {float(lo)}"
    assert float(hi) == pytest.approx(0.954413, abs=2e-6), f"expected 0.954413, got {float(hi)}"


def test_wilson_edges_and_empty():
    lo, hi = wilson_interval([0, 5, 0], [5, 5, 0])
    assert lo[0] == 0.0 and hi[1] == 1.0
    assert np.isnan(lo[2]) and np.isnan(hi[2])
    assert z_value(0.95) == pytest.approx(1.959963984540054)


def test_wilson_equals_r_prop_test():
    with (FIXTURES / "wilson.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 10
    for r in rows:
        lo, hi = wilson_interval(int(r["k"]), int(r["n"]))
        assert float(lo) == pytest.approx(float(r["ci_low"]), rel=1e-12, abs=1e-15), r
        assert float(hi) == pytest.approx(float(r["ci_high"]), rel=1e-12, abs=1e-15), r


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.sampled_from([0.8, 0.9, 0.95, 0.99]))
def test_wilson_equals_statsmodels(kn, level):
    k, n = kn
    lo, hi = wilson_interval(k, n, level)
    slo, shi = proportion_confint(k, n, alpha=1 - level, method="wilson")
    assert float(lo) == pytest.approx(slo, abs=1e-12)
    assert float(hi) == pytest.approx(shi, abs=1e-12)
    assert 0.0 <= float(lo) <= k / n <= float(hi) <= 1.0


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))),
       st.integers(1, 400).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_newcombe_equals_statsmodels(a, b):
    (k1, n1), (k2, n2) = a, b
    lo, hi = newcombe_interval(k1, n1, k2, n2)
    slo, shi = confint_proportions_2indep(k1, n1, k2, n2, method="newcomb", compare="diff")
    assert float(lo) == pytest.approx(slo, abs=1e-10)
    assert float(hi) == pytest.approx(shi, abs=1e-10)
    assert float(lo) <= k1 / n1 - k2 / n2 <= float(hi)
