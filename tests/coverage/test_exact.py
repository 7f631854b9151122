"""Fisher 2×2 (p, conditional odds ratio and interval) and binomial tests against R."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import binomtest, nchypergeom_fisher

from egoveval.coverage.tests_exact import fisher_2x2, group_tests
from egoveval.regional.exact import fisher_exact_rxc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "r" / "coverage"


def _rows(name):
    with (FIXTURES / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


FISHER = _rows("fisher_2x2.csv")


@pytest.mark.parametrize("row", FISHER, ids=[r["table_id"] for r in FISHER])
def test_fisher_p_equals_r(row):
    a, b, c, d = (int(row[k]) for k in "abcd")
    got = fisher_2x2(a, b, c, d)
    assert got["p"] == pytest.approx(float(row["p"]), rel=1e-9), f"expected {row['p']}, got {got['p']}"
    # the regional module's r×c exact test gives the same p on a 2×2 table
    assert fisher_exact_rxc([[a, b], [c, d]]).p == pytest.approx(float(row["p"]), rel=1e-9)


@pytest.mark.parametrize("row", FISHER, ids=[r["table_id"] for r in FISHER])
def test_fisher_odds_ratio_matches_r_and_its_definition(row):
    a, b, c, d = (int(row[k]) for k in "abcd")
    got = fisher_2x2(a, b, c, d)
    # R finds the estimate and bounds with uniroot (tolerance ~1e-4), so compare loosely with R…
    for key, r_key, rel in (("odds_ratio", "estimate", 1e-4), ("or_ci_low", "conf_low", 2e-2),
                            ("or_ci_high", "conf_high", 2e-2)):
        want = float(row[r_key])
        if math.isinf(want) or want == 0:
            assert got[key] == want, (key, got[key], want)
        else:
            assert got[key] == pytest.approx(want, rel=rel), (key, got[key], want)
    # … and exactly with the definitions: E[X | ψ̂] = a; P(X ≥ a | ψ_L) = P(X ≤ a | ψ_U) = 0.025
    dist = lambda psi: nchypergeom_fisher(a + b + c + d, a + c, a + b, psi)  # noqa: E731
    if 0 < got["odds_ratio"] < math.inf:
        assert dist(got["odds_ratio"]).mean() == pytest.approx(a, rel=1e-6)
    if got["or_ci_low"] > 0:
        assert dist(got["or_ci_low"]).sf(a - 1) == pytest.approx(0.025, rel=1e-4)
    if got["or_ci_high"] < math.inf:
        assert dist(got["or_ci_high"]).cdf(a) == pytest.approx(0.025, rel=1e-4)


def test_binomial_p_equals_r():
    rows = _rows("binom.csv")
    assert any(float(r["p"]) < 0.05 for r in rows)
    for r in rows:
        p = binomtest(int(r["k"]), int(r["n"]), float(r["rate"])).pvalue
        assert p == pytest.approx(float(r["p"]), rel=1e-9), r


def test_group_tests_holm_and_difference():
    adoption = pd.DataFrame({
        "channel": ["c"] * 4, "area": ["x", "x", "y", "y"], "group": ["key", "prefecture"] * 2,
        "n": [6, 6, 36, 301], "provided": [5, 1, 23, 125]})
    out = group_tests(adoption)
    assert list(out["area"]) == ["x", "y"]
    assert out.loc[0, "p"] == pytest.approx(float(FISHER[0]["p"]), rel=1e-9)   # 5/6 vs 1/6
    assert out.loc[1, "p"] == pytest.approx(float(FISHER[1]["p"]), rel=1e-9)   # 23/36 vs 125/301
    # Holm with two tests: the smaller p doubled, then monotone
    small, large = sorted(out["p"])
    assert sorted(out["p_holm"]) == pytest.approx([2 * small, max(2 * small, large)])
    assert out.loc[1, "difference"] == pytest.approx(23 / 36 - 125 / 301)
    assert out.loc[1, "diff_ci_low"] < out.loc[1, "difference"] < out.loc[1, "diff_ci_high"]


def test_fisher_with_an_empty_margin_is_not_a_test():
    got = fisher_2x2(0, 0, 3, 4)
    assert got["p"] == 1.0 and math.isnan(got["odds_ratio"])
