"""Exact tests of adoption differences: key vs prefecture-level cities, and regions.

**Key vs prefecture-level (2 × 2).** For each channel × area, the table

============  ========  ============
group         provided  not provided
============  ========  ============
key           a         b
prefecture    c         d
============  ========  ============

is tested with Fisher's exact test, two-sided as R's ``fisher.test``: the p-value sums
the hypergeometric probabilities of all tables with the observed margins that are no
more probable than the observed one (scipy.stats.fisher_exact, which uses the same
rule and R's relative tolerance 1 + 1e-7). The odds ratio is the conditional maximum
likelihood estimate with its exact 95 % interval, as R reports
(scipy.stats.contingency.odds_ratio, ``kind="conditional"``). The rate difference
has Newcombe's hybrid score interval. Holm's step-down adjustment is applied across
the channel × area cells (``p_holm``).

**Regions (2 × R).** Provided / not provided × NBS region is tested with the exact
Fisher–Freeman–Halton test of :mod:`egoveval.regional.exact` (the same test as R's
``fisher.test`` on r × c tables; Monte Carlo with a fixed seed beyond its size limits,
stated in ``method``), with Cramér's V and Holm's adjustment within each group.

References: Fisher, R. A. (1935). *The Design of Experiments*; Holm, S. (1979). A
simple sequentially rejective multiple test procedure. *Scand. J. Statist.* 6, 65–70.

>>> r = fisher_2x2(5, 1, 1, 5)
>>> round(r["p"], 6), round(r["odds_ratio"], 4)
(0.080087, 16.6031)
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.stats import fisher_exact
from scipy.stats.contingency import odds_ratio as _odds_ratio

from ..regional.exact import cramers_v, fisher_exact_rxc
from ..regional.groups import holm
from .intervals import newcombe_interval
from .layout import REGION_ORDER, CoverageData

__all__ = ["fisher_2x2", "group_tests", "region_tests", "REGION_TEST_SEED"]

REGION_TEST_SEED = 20140101  # Monte Carlo fallback only (tables beyond the exact limits)


def fisher_2x2(a: int, b: int, c: int, d: int) -> dict:
    """Two-sided Fisher exact p and the conditional MLE odds ratio with its 95 % interval
    for the table [[a, b], [c, d]] (rows: group 1, group 2; columns: yes, no)."""
    table = np.array([[a, b], [c, d]], dtype=np.int64)
    if (table.sum(axis=0) == 0).any() or (table.sum(axis=1) == 0).any():
        return {"p": 1.0, "odds_ratio": math.nan, "or_ci_low": math.nan, "or_ci_high": math.nan}
    p = float(fisher_exact(table, alternative="two-sided").pvalue)
    res = _odds_ratio(table, kind="conditional")
    ci = res.confidence_interval(confidence_level=0.95)
    return {"p": min(1.0, p), "odds_ratio": float(res.statistic), "or_ci_low": float(ci.low),
            "or_ci_high": float(ci.high)}


def group_tests(adoption: pd.DataFrame, first: str = "key", second: str = "prefecture",
                level: float = 0.95) -> pd.DataFrame:
    """Key vs prefecture-level comparison per channel × area from the adoption table.

    Columns: channel, area, n_<first>, provided_<first>, rate_<first>, the same for
    <second>, difference (first − second), diff_ci_low, diff_ci_high, odds_ratio,
    or_ci_low, or_ci_high, p, p_holm, test. Empty when either group is absent.
    """
    cols = ["channel", "area", f"n_{first}", f"provided_{first}", f"rate_{first}", f"n_{second}",
            f"provided_{second}", f"rate_{second}", "difference", "diff_ci_low", "diff_ci_high",
            "odds_ratio", "or_ci_low", "or_ci_high", "p", "p_holm", "test"]
    a = adoption[adoption["group"] == first].set_index(["channel", "area"])
    b = adoption[adoption["group"] == second].set_index(["channel", "area"])
    if a.empty or b.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for key in a.index:
        n1, k1 = int(a.at[key, "n"]), int(a.at[key, "provided"])
        n2, k2 = int(b.at[key, "n"]), int(b.at[key, "provided"])
        lo, hi = newcombe_interval(k1, n1, k2, n2, level)
        r1 = k1 / n1 if n1 else math.nan
        r2 = k2 / n2 if n2 else math.nan
        rows.append({"channel": key[0], "area": key[1], f"n_{first}": n1, f"provided_{first}": k1,
                     f"rate_{first}": r1, f"n_{second}": n2, f"provided_{second}": k2, f"rate_{second}": r2,
                     "difference": r1 - r2, "diff_ci_low": float(lo), "diff_ci_high": float(hi),
                     **fisher_2x2(k1, n1 - k1, k2, n2 - k2), "test": "fisher_exact_2x2"})
    out = pd.DataFrame(rows)
    out["p_holm"] = holm(out["p"].to_numpy())
    return out[cols]


def region_tests(data: CoverageData, by_region: pd.DataFrame, seed: int = REGION_TEST_SEED) -> pd.DataFrame:
    """Provided × region exact tests per channel × area × group (and ``all``).

    Columns: channel, area, group, regions (number with cities), n, p, cramers_v, p_holm,
    method (``exact`` or ``monte_carlo``).
    """
    rows = []
    for (channel, area, group), part in by_region.groupby(["channel", "area", "group"], sort=False):
        part = part[part["n"] > 0]
        table = np.vstack([part["provided"].to_numpy(), (part["n"] - part["provided"]).to_numpy()]).astype(int)
        res = fisher_exact_rxc(table, seed=seed)
        v = cramers_v(table) if table.sum() and (table.sum(axis=1) > 0).all() and len(part) > 1 else math.nan
        rows.append({"channel": channel, "area": area, "group": group, "regions": int(len(part)),
                     "n": int(part["n"].sum()), "p": float(res.p), "cramers_v": v, "method": res.method})
    out = pd.DataFrame(rows, columns=["channel", "area", "group", "regions", "n", "p", "cramers_v", "method"])
    out["p_holm"] = np.nan
    for g, idx in out.groupby("group", sort=False).groups.items():
        out.loc[idx, "p_holm"] = holm(out.loc[idx, "p"].to_numpy())
    return out[["channel", "area", "group", "regions", "n", "p", "p_holm", "cramers_v", "method"]]
