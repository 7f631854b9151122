"""A numeric outcome across regions: description, Kruskal–Wallis with ε², Dunn's test, ANOVA.

* Kruskal–Wallis H with the tie correction, χ² p-value with k − 1 df, exactly as R's
  ``kruskal.test`` (Kruskal & Wallis 1952):
  :math:`H = \\frac{12}{N(N+1)} \\sum_k n_k \\bar R_k^2 - 3(N+1)`, divided by
  :math:`1 - \\sum_t (t^3 - t)/(N^3 - N)`.
* Effect size :math:`\\varepsilon^2_R = H / ((N^2 - 1)/(N + 1)) = H / (N - 1)`
  (Tomczak & Tomczak 2014, eq. 5).
* Dunn's (1964) post-hoc z for regions a, b:
  :math:`z = (\\bar R_a - \\bar R_b) / \\sqrt{(\\frac{N(N+1)}{12} - \\frac{\\sum (t^3-t)}{12(N-1)})
  (\\frac1{n_a} + \\frac1{n_b})}`, two-sided normal p, Holm (1979) adjustment over all pairs
  (as R ``dunn.test``/``FSA::dunnTest``).
* One-way ANOVA F with :math:`\\eta^2 = SS_{between} / SS_{total}`.

References
----------
Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance analysis.
*JASA*, 47, 583–621. Dunn, O. J. (1964). Multiple comparisons using rank sums.
*Technometrics*, 6, 241–252. Holm, S. (1979). A simple sequentially rejective multiple test
procedure. *Scand. J. Statist.*, 6, 65–70. Tomczak, M., & Tomczak, E. (2014). The need to
report effect size estimates revisited. *Trends in Sport Sciences*, 21(1), 19–25.

Examples
--------
>>> r = kruskal_wallis([1, 2, 3, 4, 5, 6], ["a", "a", "a", "b", "b", "b"])
>>> round(r.statistic, 6), r.df, round(r.effect, 6)
(3.857143, 1.0, 0.771429)
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["TestResult", "describe_by_group", "kruskal_wallis", "dunn_holm", "anova_oneway",
           "holm"]


@dataclass(frozen=True)
class TestResult:
    """One test: statistic, degrees of freedom (a tuple's first value for F), p, effect size."""

    test: str
    statistic: float
    df: float
    p: float
    effect: float
    effect_name: str
    df2: float | None = None


def _groups(values, groups, order=None):
    x = np.asarray(values, dtype=float)
    g = pd.Series(list(groups), dtype=object)
    labels = [lab for lab in (order or pd.unique(g)) if (g == lab).any()]
    return x, g.to_numpy(), labels


def describe_by_group(values, groups, order=None) -> pd.DataFrame:
    """n, mean, median, SD (n − 1), min and max of ``values`` per group, plus a total row.

    >>> describe_by_group([1, 2, 3, 10], ["a", "a", "b", "b"])["mean"].tolist()
    [1.5, 6.5, 4.0]
    """
    x, g, labels = _groups(values, groups, order)
    rows = []
    for lab, mask in [(lab, g == lab) for lab in labels] + [("Total", np.ones(len(x), bool))]:
        v = x[mask]
        rows.append({"region": lab, "n": int(v.size), "mean": v.mean(), "median": float(np.median(v)),
                     "sd": v.std(ddof=1) if v.size > 1 else np.nan, "min": v.min(), "max": v.max()})
    return pd.DataFrame(rows)


def _constant(x: np.ndarray) -> bool:
    return x.size == 0 or bool(np.all(x == x[0]))


def kruskal_wallis(values, groups, order=None) -> TestResult:
    """Tie-corrected Kruskal–Wallis H, its χ² p-value and ε² = H/(N − 1).

    All values equal: every rank is tied, H = 0/0 is undefined and the result is NaN.

    >>> bool(np.isnan(kruskal_wallis([2, 2, 2, 2], list("aabb")).p))
    True
    """
    x, g, labels = _groups(values, groups, order)
    if _constant(x):
        return TestResult("kruskal_wallis", float("nan"), float(len(labels) - 1), float("nan"),
                          float("nan"), "epsilon_squared")
    samples = [x[g == lab] for lab in labels]
    h, p = stats.kruskal(*samples)
    n = x.size
    return TestResult("kruskal_wallis", float(h), float(len(labels) - 1), float(p),
                      float(h / (n - 1)), "epsilon_squared")


def anova_oneway(values, groups, order=None) -> TestResult:
    """One-way ANOVA F (df k − 1, N − k) with η² = SS_between / SS_total."""
    x, g, labels = _groups(values, groups, order)
    samples = [x[g == lab] for lab in labels]
    df1, df2 = len(labels) - 1, x.size - len(labels)
    ss_total = float(((x - x.mean()) ** 2).sum())
    ss_between = float(sum(s.size * (s.mean() - x.mean()) ** 2 for s in samples))
    ss_within = ss_total - ss_between
    if ss_total <= 0 or df2 <= 0:  # constant outcome: F = 0/0
        return TestResult("anova_oneway", float("nan"), float(df1), float("nan"), float("nan"),
                          "eta_squared", float(df2))
    if ss_within <= 1e-12 * ss_total:  # every region constant: F = ∞, p = 0
        f, p = float("inf"), 0.0
    else:
        f, p = stats.f_oneway(*samples)
    return TestResult("anova_oneway", float(f), float(df1), float(p), ss_between / ss_total,
                      "eta_squared", float(df2))


def holm(p) -> np.ndarray:
    """Holm step-down adjusted p-values (as R ``p.adjust(method = "holm")``).

    >>> holm([0.01, 0.04, 0.03]).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p, dtype=float)
    m = p.size
    order = np.argsort(p, kind="stable")
    adj = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out


def dunn_holm(values, groups, order=None) -> pd.DataFrame:
    """Dunn's pairwise z tests on mid-ranks with tie correction; Holm-adjusted p-values.

    Columns: ``region_a, region_b, mean_rank_a, mean_rank_b, z, p, p_holm``; z > 0 when
    region a ranks higher.
    """
    x, g, labels = _groups(values, groups, order)
    ranks = stats.rankdata(x)
    n = x.size
    _, counts = np.unique(x, return_counts=True)
    ties = float((counts ** 3 - counts).sum())
    s2 = n * (n + 1) / 12 - ties / (12 * (n - 1))
    rows = []
    for a, b in combinations(labels, 2):
        ra, rb = ranks[g == a], ranks[g == b]
        se = np.sqrt(s2 * (1 / ra.size + 1 / rb.size)) if s2 > 0 else 0.0
        z = (ra.mean() - rb.mean()) / se if se > 0 else float("nan")  # all tied: undefined
        rows.append({"region_a": a, "region_b": b, "mean_rank_a": ra.mean(),
                     "mean_rank_b": rb.mean(), "z": z, "p": 2 * stats.norm.sf(abs(z))})
    out = pd.DataFrame(rows, columns=["region_a", "region_b", "mean_rank_a", "mean_rank_b", "z", "p"])
    out["p_holm"] = holm(out["p"].to_numpy()) if len(out) else []
    return out
