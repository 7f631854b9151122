"""Aggregation: channel sub-indices first, then the overall index (COINr ``Aggregate``).

All aggregators are weighted power means with weights normalised to sum to 1:

* ``arithmetic``  A = Σ w_i x_i
* ``geometric``   G = Π x_i^{w_i} = exp(Σ w_i ln x_i)
* ``generalised`` M_p = (Σ w_i x_i^p)^{1/p}, p ≠ 0 (p = 1 arithmetic, p = −1 harmonic)

**Zeros and negatives (stated rule).** The geometric mean and power means with p ≤ 0
are defined here for x ≥ 0 only. A zero in an indicator with positive weight makes
the aggregate 0 (the limit of the mean as that value tends to 0: one total failure
cannot be compensated); every such (unit, indicator) is reported in
``Aggregated.zeros``. A negative value is an error (choose a normaliser whose
``output_range`` starts at 0 or above, e.g. ``minmax``). Indicators with zero weight
never matter. A missing value makes that channel's sub-index and the index missing.

The same aggregator is used within and across channels. Because power means nest,
the index equals the one-level mean with effective weights w_i·v_c; the kernel
:func:`aggregate_matrix` uses that to score many weight vectors at once
(one matrix product per method).

Reference: OECD/JRC (2008) *Handbook on Constructing Composite Indicators*, §6.2;
COINr ``R/aggregate.R`` (``a_amean``, ``a_gmean``, ``a_genmean``).

>>> import numpy as np
>>> aggregate_matrix(np.array([[1.0, 4.0], [0.0, 9.0]]), np.array([0.5, 0.5]), "geometric").tolist()
[2.0, 0.0]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import numpy as np
import pandas as pd

from .weights import Weights

__all__ = ["AGGREGATORS", "aggregate_matrix", "aggregate", "Aggregated", "needs_nonnegative"]


def _as_2d(w: np.ndarray) -> tuple[np.ndarray, bool]:
    w = np.asarray(w, dtype=float)
    if w.ndim == 1:
        return w[:, None], True
    return w.T, False  # (R, m) -> (m, R)


def a_arithmetic(x: np.ndarray, w: np.ndarray, **_: object) -> np.ndarray:
    """Σ w x / Σ w; ``x`` (n, m), ``w`` (m, R) → (n, R)."""
    return (x @ w) / w.sum(axis=0)


def _zero_mask(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    return ((x == 0).astype(float) @ (w > 0).astype(float)) > 0


def a_geometric(x: np.ndarray, w: np.ndarray, **_: object) -> np.ndarray:
    """exp(Σ w ln x / Σ w); zeros with positive weight give 0 (see module docstring)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        logx = np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), 0.0)
        logx = np.where(np.isnan(x), np.nan, logx)
        out = np.exp((logx @ w) / w.sum(axis=0))
    return np.where(_zero_mask(x, w), 0.0, out)


def a_generalised(x: np.ndarray, w: np.ndarray, p: float = 2.0, **_: object) -> np.ndarray:
    """(Σ w x^p / Σ w)^{1/p}; p = 0 is the geometric mean, zeros give 0 when p < 0."""
    if p == 0:
        return a_geometric(x, w)
    with np.errstate(divide="ignore", invalid="ignore"):
        xp = np.where(x > 0, np.power(np.where(x > 0, x, 1.0), p), 0.0)
        xp = np.where(np.isnan(x), np.nan, xp)
        out = np.power((xp @ w) / w.sum(axis=0), 1.0 / p)
    if p < 0:
        out = np.where(_zero_mask(x, w), 0.0, out)
    return out


AGGREGATORS: Mapping[str, Callable[..., np.ndarray]] = {
    "arithmetic": a_arithmetic,
    "geometric": a_geometric,
    "generalised": a_generalised,
}


def needs_nonnegative(method: str, p: float = 2.0) -> bool:
    """Whether the aggregator is only defined for x ≥ 0."""
    return method != "arithmetic"


def aggregate_matrix(x: np.ndarray, w: np.ndarray, method: str = "arithmetic",
                     p: float = 2.0) -> np.ndarray:
    """Aggregate rows of ``x`` (n, m) with one weight vector (m,) → (n,), or many (R, m) → (n, R).

    >>> aggregate_matrix(np.array([[1.0, 3.0]]), np.array([[1.0, 1.0], [1.0, 0.0]]), "arithmetic").tolist()
    [[2.0, 1.0]]
    >>> round(float(aggregate_matrix(np.array([[1.0, 3.0]]), np.array([1.0, 1.0]), "generalised", p=2)[0]), 4)
    2.2361
    """
    x = np.asarray(x, dtype=float)
    w2, single = _as_2d(w)
    out = AGGREGATORS[method](x, w2, p=p)
    return out[:, 0] if single else out


@dataclass(frozen=True)
class Aggregated:
    """Channel sub-indices (units × channels), the index, and the zeros that decided a score."""

    sub_indices: pd.DataFrame
    index: pd.Series
    zeros: pd.DataFrame  # unit, indicator (geometric/p ≤ 0 only)


def aggregate(normalised: pd.DataFrame, weights: Weights, method: str = "arithmetic",
              p: float = 2.0) -> Aggregated:
    """Channel sub-indices with the within-channel weights, then the index across channels.

    Raises ``ValueError`` on negative values for aggregators that need x ≥ 0.

    >>> from .weights import make_weights
    >>> df = pd.DataFrame({"a": [0.2, 1.0], "b": [0.4, 0.0], "c": [1.0, 0.5]}, index=["u1", "u2"])
    >>> res = aggregate(df, make_weights({"a": "X", "b": "X", "c": "Y"}))
    >>> res.sub_indices.round(3).to_dict("list"), res.index.round(3).tolist()
    ({'X': [0.3, 0.5], 'Y': [1.0, 0.5]}, [0.65, 0.5])
    """
    if method not in AGGREGATORS:
        raise KeyError(method)
    tab = weights.table
    x_all = normalised[list(tab["indicator"])]
    if needs_nonnegative(method, p) and (x_all.to_numpy(dtype=float) < 0).any():
        raise ValueError(f"{method} aggregation needs values ≥ 0")
    subs = {}
    for channel in weights.channels:
        part = tab[tab["channel"] == channel]
        x = x_all[list(part["indicator"])].to_numpy(dtype=float)
        subs[channel] = aggregate_matrix(x, part["weight"].to_numpy(dtype=float), method, p)
    sub = pd.DataFrame(subs, index=normalised.index)
    cw = tab.drop_duplicates("channel").set_index("channel")["channel_weight"]
    index = pd.Series(aggregate_matrix(sub.to_numpy(dtype=float), cw[sub.columns].to_numpy(),
                                       method, p), index=normalised.index, name="score")
    zeros = pd.DataFrame(columns=["unit", "indicator"])
    if method == "geometric" or (method == "generalised" and p <= 0):
        pos = tab.loc[tab["effective"] > 0, "indicator"]
        z = x_all[list(pos)] == 0
        stacked = z.stack()
        hits = stacked[stacked]
        zeros = pd.DataFrame({"unit": hits.index.get_level_values(0),
                              "indicator": hits.index.get_level_values(1)})
    return Aggregated(sub, index, zeros)
