"""Inequality across units and its between-/within-region decomposition.

Notation: units i with values :math:`x_i` and weights :math:`w_i` (population, or 1), shares
:math:`s_i = w_i / \\sum w`, mean :math:`\\mu = \\sum s_i x_i`; region k has weight share
:math:`P_k = \\sum_{i \\in k} s_i` and mean :math:`\\mu_k`. Unweighted, :math:`s_i = 1/n` and
:math:`P_k = n_k / n`.

* **Theil T** (GE(1)): :math:`T = \\sum_i s_i \\frac{x_i}{\\mu} \\ln\\frac{x_i}{\\mu}`,
  :math:`T_B = \\sum_k P_k \\frac{\\mu_k}{\\mu} \\ln\\frac{\\mu_k}{\\mu}`,
  :math:`T_W = \\sum_k P_k \\frac{\\mu_k}{\\mu} T_k`; :math:`T = T_B + T_W` (Theil 1967;
  Shorrocks 1980). Needs :math:`x \\ge 0` (with :math:`0 \\ln 0 = 0`). Unweighted it equals
  PySAL's ``inequality.theil.TheilD`` (``bg``, ``wg``).
* **Theil L** (mean log deviation, GE(0)): :math:`L = \\sum_i s_i \\ln\\frac{\\mu}{x_i}`,
  :math:`L_B = \\sum_k P_k \\ln\\frac{\\mu}{\\mu_k}`, :math:`L_W = \\sum_k P_k L_k`. Needs
  :math:`x > 0`.
* **CV** with the *population* SD: :math:`CV = \\sqrt{\\sum s_i (x_i-\\mu)^2} / \\mu`. By the law
  of total variance :math:`CV^2 = CV_B^2 + CV_W^2` with
  :math:`CV_B = \\sqrt{\\sum_k P_k (\\mu_k - \\mu)^2}/\\mu` and
  :math:`CV_W = \\sqrt{\\sum_k P_k \\sigma_k^2}/\\mu`: between and within combine *in
  quadrature*, and the between share is :math:`CV_B^2 / CV^2` (the additive GE(2) = CV²/2).
* **Gini** :math:`G = \\sum_i \\sum_r s_i s_r |x_i - x_r| / (2\\mu)` (no n/(n−1) correction),
  decomposed as Dagum (1997): :math:`G = G_w + G_{nb} + G_t`, with within
  :math:`G_w = \\sum_k G_{kk} P_k S_k` (:math:`S_k = P_k\\mu_k/\\mu`) and between = net
  between + transvariation :math:`G_{nb} + G_t = \\sum_{j<h} G_{jh}(P_j S_h + P_h S_j)`,
  :math:`G_{jh} = \\sum_{i\\in j}\\sum_{r\\in h} s_i s_r|x_i-x_r| / (P_j P_h(\\mu_j+\\mu_h))`.
  ``between`` reports the gross between part :math:`G_{nb} + G_t`; the net part and the
  transvariation are in ``extra``.

References
----------
Theil, H. (1967). *Economics and Information Theory*. North-Holland. Shorrocks, A. F. (1980).
The class of additively decomposable inequality measures. *Econometrica*, 48, 613–625.
Dagum, C. (1997). A new approach to the decomposition of the Gini income inequality ratio.
*Empirical Economics*, 22, 515–531. Rey, S. J., & Sastré-Gutiérrez, M. L. (2010).
Interregional inequality dynamics in Mexico. *Spatial Economic Analysis*, 5, 277–298
(the permutation test of the between share, PySAL ``TheilDSim``).

Examples
--------
>>> d = theil_t([1, 1, 2, 2], ["a", "a", "b", "b"])
>>> round(d.total, 6), round(d.between, 6), round(d.within, 6), d.between_share
(0.056633, 0.056633, 0.0, 1.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Callable, Mapping

import numpy as np
import pandas as pd

__all__ = ["Decomposition", "PermutationTest", "theil_t", "theil_l", "cv", "gini",
           "MEASURES", "inequality_table", "inequality_detail", "DETAIL_COLUMNS", "between_share_test"]


@dataclass(frozen=True)
class Decomposition:
    """Total inequality, its between- and within-region parts and the between share."""

    measure: str
    total: float
    between: float
    within: float
    between_share: float
    extra: Mapping[str, float] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class PermutationTest:
    """Permutation test of a between-region share: p = (1 + #{sim ≥ obs}) / (P + 1)."""

    measure: str
    observed: float
    p: float
    permutations: int
    seed: int | None


def _prepare(x, groups, weights):
    x = np.asarray(x, dtype=float)
    g = pd.factorize(pd.Series(list(groups), dtype=object))[0]
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    if x.shape != w.shape or x.shape != g.shape or x.ndim != 1:
        raise ValueError("values, groups and weights need the same length")
    if np.any(w < 0) or w.sum() <= 0:
        raise ValueError("weights must be non-negative with a positive sum")
    s = w / w.sum()
    k = g.max() + 1
    pk = np.bincount(g, weights=s, minlength=k)
    mu = float(s @ x)
    muk = np.bincount(g, weights=s * x, minlength=k) / pk
    return x, g, s, pk, mu, muk


def _xlogx(r):
    r = np.asarray(r, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(r > 0, r * np.log(np.where(r > 0, r, 1.0)), 0.0)


def _share(between: float, total: float) -> float:
    return between / total if total > 0 else float("nan")


def theil_t(x, groups, weights=None) -> Decomposition:
    """Theil T = T_B + T_W (see the module docstring); NaN if any x < 0 or μ ≤ 0."""
    x, g, s, pk, mu, muk = _prepare(x, groups, weights)
    if np.any(x < 0) or mu <= 0:
        return Decomposition("theil_t", *(float("nan"),) * 4)
    total = float(s @ _xlogx(x / mu))
    between = float(pk @ _xlogx(muk / mu))
    return Decomposition("theil_t", total, between, total - between, _share(between, total))


def theil_l(x, groups, weights=None) -> Decomposition:
    """Theil L = L_B + L_W (mean log deviation); NaN if any x ≤ 0."""
    x, g, s, pk, mu, muk = _prepare(x, groups, weights)
    if np.any(x <= 0):
        return Decomposition("theil_l", *(float("nan"),) * 4)
    total = float(s @ np.log(mu / x))
    between = float(pk @ np.log(mu / muk))
    return Decomposition("theil_l", total, between, total - between, _share(between, total))


def cv(x, groups, weights=None) -> Decomposition:
    """Coefficient of variation (population SD); between and within add in quadrature."""
    x, g, s, pk, mu, muk = _prepare(x, groups, weights)
    if mu <= 0:
        return Decomposition("cv", *(float("nan"),) * 4)
    var = float(s @ (x - mu) ** 2)
    var_b = float(pk @ (muk - mu) ** 2)
    var_w = float(s @ (x - muk[g]) ** 2)  # Σ_k P_k σ_k², computed directly (no cancellation)
    return Decomposition("cv", math.sqrt(var) / mu, math.sqrt(var_b) / mu, math.sqrt(var_w) / mu,
                         _share(var_b, var))


def gini(x, groups, weights=None) -> Decomposition:
    """Gini with Dagum's (1997) decomposition; ``extra`` holds net_between and transvariation."""
    x, g, s, pk, mu, muk = _prepare(x, groups, weights)
    if mu <= 0:
        return Decomposition("gini", *(float("nan"),) * 4)
    diff = np.abs(x[:, None] - x[None, :])
    ss = np.outer(s, s)
    total = float((ss * diff).sum() / (2 * mu))
    k = len(pk)
    sk = pk * muk / mu
    within = 0.0
    for j in range(k):
        m = g == j
        gjj = (ss[np.ix_(m, m)] * diff[np.ix_(m, m)]).sum() / (2 * pk[j] ** 2 * muk[j])
        within += gjj * pk[j] * sk[j]
    net = trans = 0.0
    for j in range(k):
        for h in range(j + 1, k):
            a, b = (j, h) if muk[j] >= muk[h] else (h, j)
            ma, mb = g == a, g == b
            d = x[ma][:, None] - x[mb][None, :]
            wab = ss[np.ix_(ma, mb)]
            gjh = (wab * np.abs(d)).sum() / (pk[a] * pk[b] * (muk[a] + muk[b]))
            dpos, dneg = (wab * np.clip(d, 0, None)).sum(), (wab * np.clip(-d, 0, None)).sum()
            djh = (dpos - dneg) / (dpos + dneg) if dpos + dneg > 0 else 0.0
            gross = gjh * (pk[a] * sk[b] + pk[b] * sk[a])
            net += gross * djh
            trans += gross * (1 - djh)
    between = net + trans
    return Decomposition("gini", total, float(between), float(within), _share(between, total),
                         MappingProxyType({"net_between": float(net), "transvariation": float(trans)}))


MEASURES: Mapping[str, Callable[..., Decomposition]] = MappingProxyType(
    {"cv": cv, "gini": gini, "theil_t": theil_t, "theil_l": theil_l})


def inequality_table(x, groups, weights=None) -> pd.DataFrame:
    """``measure, total, between, within, between_share`` for cv, gini, theil_t, theil_l."""
    rows = []
    for name, fn in MEASURES.items():
        d = fn(x, groups, weights)
        rows.append({"measure": name, "total": d.total, "between": d.between, "within": d.within,
                     "between_share": d.between_share})
    return pd.DataFrame(rows)


DETAIL_COLUMNS = ["region", "n", "weight_share", "mean", "income_share", "theil_t",
                  "theil_t_contribution", "theil_t_share", "theil_l", "theil_l_contribution",
                  "theil_l_share", "gini", "gini_contribution", "gini_share"]


def _region_parts(x, g, s, pk, mu, muk, j):
    """Within-region Theil T_k, L_k and Gini G_kk of region j (weights s_i / P_k)."""
    m = g == j
    xs, ss = x[m], s[m] / pk[j]
    t_k = float(ss @ _xlogx(xs / muk[j])) if np.all(xs >= 0) and muk[j] > 0 else float("nan")
    l_k = float(ss @ np.log(muk[j] / xs)) if np.all(xs > 0) else float("nan")
    g_k = (float((np.outer(ss, ss) * np.abs(xs[:, None] - xs[None, :])).sum() / (2 * muk[j]))
           if muk[j] > 0 else float("nan"))
    return t_k, l_k, g_k


def inequality_detail(x, groups, weights=None, order=None) -> pd.DataFrame:
    """Per-region parts of the decompositions, then the between parts and the total.

    Region rows: ``n``, weight share :math:`P_k` (n_k/n unweighted), mean :math:`\\mu_k`,
    income share :math:`S_k = P_k\\mu_k/\\mu`; Theil T_k with its contribution to the
    within part :math:`S_k T_k`, Theil L_k with :math:`P_k L_k`, the within-region Gini
    :math:`G_{kk}` with :math:`P_k S_k G_{kk}` (Dagum 1997); each ``*_share`` is the
    contribution over the total. Row ``between`` holds T_B, L_B and Dagum's gross between
    :math:`G_{nb} + G_t`, split in rows ``gini_net_between`` and ``gini_transvariation``;
    row ``Total`` the totals. Region rows and ``between`` add up to the total (shares to 1).

    >>> d = inequality_detail([1, 1, 2, 4], ["a", "a", "b", "b"])
    >>> d["region"].tolist()
    ['a', 'b', 'between', 'gini_net_between', 'gini_transvariation', 'Total']
    >>> round(float(d.loc[[0, 1, 2], "theil_t_share"].sum()), 12)
    1.0
    """
    x, g, s, pk, mu, muk = _prepare(x, groups, weights)
    labels = list(pd.unique(pd.Series(list(groups), dtype=object)))
    codes = {lab: i for i, lab in enumerate(labels)}
    order = [lab for lab in (order or labels) if lab in codes]
    t, el, gi = theil_t(x, g, weights), theil_l(x, g, weights), gini(x, g, weights)
    nk = np.bincount(g, minlength=len(labels))
    rows = []
    for lab in order:
        j = codes[lab]
        t_k, l_k, g_k = _region_parts(x, g, s, pk, mu, muk, j)
        share_k = pk[j] * muk[j] / mu if mu > 0 else float("nan")
        ct, cl, cg = share_k * t_k, pk[j] * l_k, pk[j] * share_k * g_k
        rows.append({"region": lab, "n": int(nk[j]), "weight_share": float(pk[j]), "mean": float(muk[j]),
                     "income_share": share_k, "theil_t": t_k, "theil_t_contribution": ct,
                     "theil_t_share": _share(ct, t.total), "theil_l": l_k, "theil_l_contribution": cl,
                     "theil_l_share": _share(cl, el.total), "gini": g_k, "gini_contribution": cg,
                     "gini_share": _share(cg, gi.total)})
    nan = float("nan")
    extra = dict(gi.extra)
    for name, (ct, cl, cg) in (("between", (t.between, el.between, gi.between)),
                               ("gini_net_between", (nan, nan, extra.get("net_between", nan))),
                               ("gini_transvariation", (nan, nan, extra.get("transvariation", nan)))):
        rows.append({"region": name, "theil_t_contribution": ct, "theil_t_share": _share(ct, t.total),
                     "theil_l_contribution": cl, "theil_l_share": _share(cl, el.total),
                     "gini_contribution": cg, "gini_share": _share(cg, gi.total)})
    rows.append({"region": "Total", "n": int(x.size), "weight_share": 1.0, "mean": mu, "income_share": 1.0,
                 "theil_t": t.total, "theil_t_contribution": t.total, "theil_t_share": _share(t.total, t.total),
                 "theil_l": el.total, "theil_l_contribution": el.total, "theil_l_share": _share(el.total, el.total),
                 "gini": gi.total, "gini_contribution": gi.total, "gini_share": _share(gi.total, gi.total)})
    out = pd.DataFrame(rows, columns=DETAIL_COLUMNS)
    out["n"] = out["n"].astype("Int64")
    return out


def between_share_test(x, groups, weights=None, *, measure: str = "theil_t",
                       permutations: int = 999, seed: int | None = None) -> PermutationTest:
    """Permutation test of the between-region share (as PySAL ``TheilDSim``, but seeded).

    Units (value and weight together) are shuffled across the region labels, keeping the
    region sizes; p = (1 + #{share_sim ≥ share_obs}) / (P + 1). Without inequality (a
    constant outcome) the share is undefined and p is NaN.

    >>> t = between_share_test([1, 2, 3, 10, 11, 12], list("aaabbb"), permutations=99, seed=1)
    >>> round(t.observed, 4), t.p
    (0.9437, 0.06)
    """
    fn = MEASURES[measure]
    x = np.asarray(x, dtype=float)
    w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
    groups = list(groups)
    observed = fn(x, groups, w).between_share
    if not np.isfinite(observed):  # no inequality (constant outcome) or undefined measure
        return PermutationTest(measure, observed, float("nan"), permutations, seed)
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(permutations):
        idx = rng.permutation(x.size)
        if fn(x[idx], groups, w[idx]).between_share >= observed - 1e-12:
            hits += 1
    return PermutationTest(measure, observed, (1 + hits) / (permutations + 1), permutations, seed)
