"""What separates the clusters: per-indicator tests and per-cluster strengths/weaknesses.

For indicator j with values x_ij in k clusters of sizes n_c (n units):

* Kruskal–Wallis H (Kruskal & Wallis 1952) with the tie correction, p from χ²_{k−1}
  (as R ``kruskal.test``); effect size ε² = H/(n − 1) (Tomczak & Tomczak 2014), in [0, 1].
* One-way ANOVA F = [SSB/(k − 1)] / [SSW/(n − k)], p from F_{k−1, n−k} (R ``aov``);
  η² = SSB/SST.

An indicator constant across units has no test (NaN).

Strengths and weaknesses use the cluster means of the z-scores (SPSS z, n − 1 SD) of the
quantified indicators, turned by the indicator's direction d_j (+1 higher is better,
−1 lower is better): a strength where d_j·z̄_cj ≥ +0.5, a weakness where ≤ −0.5 — half
a standard deviation above or below the mean of all units. They are grouped by channel.

>>> import pandas as pd
>>> t = indicator_tests(pd.DataFrame({"x": [1.0, 2.0, 3.0, 10.0, 11.0, 12.0]}), [1, 1, 1, 2, 2, 2])
>>> t[["kw_h", "epsilon2", "eta2"]].round(4).values.tolist()
[[3.8571, 0.7714, 0.9681]]
"""

from __future__ import annotations

from typing import Mapping

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["TESTS_COLUMNS", "indicator_tests", "cluster_z_means", "strengths_weaknesses"]

TESTS_COLUMNS = ["indicator", "kw_h", "kw_p", "epsilon2", "anova_f", "anova_p", "eta2"]


def _one(x: np.ndarray, labels: np.ndarray) -> dict:
    n = len(x)
    groups = [x[labels == c] for c in np.unique(labels)]
    k = len(groups)
    out = dict.fromkeys(TESTS_COLUMNS[1:], np.nan)
    if k < 2 or np.ptp(x) == 0:
        return out
    h, p = stats.kruskal(*groups)
    sst = float(((x - x.mean()) ** 2).sum())
    ssb = float(sum(len(g) * (g.mean() - x.mean()) ** 2 for g in groups))
    ssw = sst - ssb
    out.update(kw_h=float(h), kw_p=float(p), epsilon2=float(h) / (n - 1), eta2=ssb / sst)
    if n > k:
        f = (ssb / (k - 1)) / (ssw / (n - k)) if ssw > 0 else np.inf
        out.update(anova_f=f, anova_p=float(stats.f.sf(f, k - 1, n - k)) if np.isfinite(f) else 0.0)
    return out


def indicator_tests(data: pd.DataFrame, labels) -> pd.DataFrame:
    """One row per indicator (column of ``data``) with :data:`TESTS_COLUMNS`."""
    lab = np.asarray(labels)
    rows = [{"indicator": col, **_one(data[col].to_numpy(dtype=float), lab)} for col in data.columns]
    return pd.DataFrame(rows, columns=TESTS_COLUMNS)


def cluster_z_means(quantified: pd.DataFrame, labels) -> pd.DataFrame:
    """Cluster means (rows 1..k) of the z-scores (n − 1 SD) of each indicator; constant → 0."""
    x = quantified.astype(float)
    sd = x.std(ddof=1).replace(0.0, np.nan)
    z = ((x - x.mean()) / sd).fillna(0.0)
    means = z.groupby(np.asarray(labels)).mean()
    means.index = [int(c) for c in means.index]
    means.index.name = "cluster"
    return means


def strengths_weaknesses(z_means: pd.DataFrame, directions: Mapping[str, int] | None = None,
                         channels: Mapping[str, str] | None = None,
                         threshold: float = 0.5) -> pd.DataFrame:
    """Rows: cluster, kind ('strength'|'weakness'), channel, indicator, z_mean, signed
    (direction × z_mean), ordered by cluster, kind, channel (order of first indicator) and
    |signed| descending."""
    directions = directions or {}
    channels = channels or {}
    channel_order = {}
    for col in z_means.columns:
        channel_order.setdefault(channels.get(col, ""), len(channel_order))
    rows = []
    for c, row in z_means.iterrows():
        for col, v in row.items():
            s = directions.get(col, 1) * float(v)
            if s >= threshold or s <= -threshold:
                rows.append({"cluster": int(c), "kind": "strength" if s > 0 else "weakness",
                             "channel": channels.get(col, ""), "indicator": col, "z_mean": float(v),
                             "signed": s})
    out = pd.DataFrame(rows, columns=["cluster", "kind", "channel", "indicator", "z_mean", "signed"])
    if len(out):
        out["_c"] = out["channel"].map(channel_order)
        out["_k"] = (out["kind"] == "weakness").astype(int)
        out["_a"] = -out["signed"].abs()
        out = out.sort_values(["cluster", "_k", "_c", "_a", "indicator"], kind="stable")
        out = out.drop(columns=["_c", "_k", "_a"]).reset_index(drop=True)
    return out
