"""Weights per indicator and per channel, and PCA-based weights.

Two levels, as in the framework: indicator weights *within* a channel (normalised to
sum to 1 in each channel) and channel weights *across* channels (normalised to sum to
1). The default is equal weights at both levels. The effective weight of indicator i
in channel c is ``w_i · v_c``; with a power mean used at both levels the index is the
one-level power mean with these effective weights (see :mod:`.aggregate`).

PCA weights (OECD/JRC Handbook 2008, §6.1): within each channel, the first principal
component of the correlation matrix of the normalised indicators; the weight of an
indicator is its squared loading, normalised to sum to 1 in the channel (squared
loadings of a unit eigenvector sum to 1, so this is the share of the component's
variance that the indicator carries). Loadings are signed so that they sum to a
positive number; a negative loading is reported, not hidden.

>>> w = make_weights({"a": "X", "b": "X", "c": "Y"})
>>> w.table["effective"].round(3).tolist()
[0.25, 0.25, 0.5]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np
import pandas as pd

__all__ = ["Weights", "make_weights", "pca_weights", "PCAWeights", "effective_weights"]


@dataclass(frozen=True)
class Weights:
    """``table``: indicator, channel, weight (within channel), channel_weight, effective."""

    table: pd.DataFrame

    @property
    def effective(self) -> pd.Series:
        return self.table.set_index("indicator")["effective"]

    @property
    def channels(self) -> list[str]:
        return list(dict.fromkeys(self.table["channel"]))


def make_weights(channels: Mapping[str, str], indicator_weights: Mapping[str, float] | None = None,
                 channel_weights: Mapping[str, float] | None = None) -> Weights:
    """Build two-level weights; missing entries default to 1 before normalisation.

    >>> make_weights({"a": "X", "b": "X"}, {"a": 3, "b": 1}).table["weight"].tolist()
    [0.75, 0.25]
    """
    indicator_weights = indicator_weights or {}
    channel_weights = channel_weights or {}
    rows = pd.DataFrame({"indicator": list(channels), "channel": [channels[i] for i in channels]})
    raw = rows["indicator"].map(lambda i: float(indicator_weights.get(i, 1.0)))
    if (raw < 0).any() or not np.isfinite(raw).all():
        raise ValueError("indicator weights must be finite and non-negative")
    sums = raw.groupby(rows["channel"]).transform("sum")
    if (sums <= 0).any():
        raise ValueError("every channel needs a positive total weight")
    rows["weight"] = raw / sums
    order = list(dict.fromkeys(rows["channel"]))
    cw = pd.Series({c: float(channel_weights.get(c, 1.0)) for c in order})
    if (cw < 0).any() or cw.sum() <= 0:
        raise ValueError("channel weights must be non-negative with a positive sum")
    cw = cw / cw.sum()
    rows["channel_weight"] = rows["channel"].map(cw)
    rows["effective"] = rows["weight"] * rows["channel_weight"]
    return Weights(rows)


def effective_weights(w_ind: np.ndarray, membership: np.ndarray, w_chan: np.ndarray) -> np.ndarray:
    """Vectorised effective weights for many runs.

    ``w_ind`` (R, m) raw indicator weights (0 = dropped), ``membership`` (m, c) one-hot,
    ``w_chan`` channel weights, (c,) shared by all runs or (R, c) one row per run.
    Within-channel normalisation w_i / Σ_{j∈c} w_j, channels left with no weight are
    dropped and the channel weights renormalised, v_c / Σ v; the effective weight is their
    product. Returns (R, m), rows sum to 1.

    >>> effective_weights(np.array([[1.0, 1, 1], [0, 1, 1]]), np.array([[1, 0], [1, 0], [0, 1.]]),
    ...                   np.array([0.5, 0.5])).tolist()
    [[0.25, 0.25, 0.5], [0.0, 0.5, 0.5]]
    """
    sums = w_ind @ membership  # (R, c)
    present = sums > 0
    safe = np.where(present, sums, 1.0)
    within = w_ind / (safe @ membership.T)
    w_chan = np.asarray(w_chan, dtype=float)
    vc = np.where(present, w_chan if w_chan.ndim == 2 else w_chan[None, :], 0.0)
    vc = vc / vc.sum(axis=1, keepdims=True)
    return within * (vc @ membership.T)


@dataclass(frozen=True)
class PCAWeights:
    """Weights from PCA, the loadings of the first component and its explained share."""

    weights: dict[str, float]
    loadings: pd.DataFrame  # indicator, channel, loading, weight, explained


def pca_weights(normalised: pd.DataFrame, channels: Mapping[str, str]) -> PCAWeights:
    """Within-channel PCA weights (squared first-component loadings, see module docstring).

    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=200)
    >>> df = pd.DataFrame({"a": f + rng.normal(scale=.3, size=200), "b": f + rng.normal(scale=.3, size=200)})
    >>> pw = pca_weights(df, {"a": "X", "b": "X"})
    >>> round(sum(pw.weights.values()), 6), round(pw.weights["a"], 1)
    (1.0, 0.5)
    """
    rows = []
    complete = normalised.dropna()
    for channel in dict.fromkeys(channels.values()):
        cols = [i for i in channels if channels[i] == channel]
        if len(cols) == 1:
            rows.append((cols[0], channel, 1.0, 1.0, 1.0))
            continue
        corr = np.corrcoef(complete[cols].to_numpy(dtype=float), rowvar=False)
        vals, vecs = np.linalg.eigh(corr)
        v = vecs[:, -1]
        if v.sum() < 0:
            v = -v
        share = float(vals[-1] / vals.sum())
        w = v ** 2 / np.sum(v ** 2)
        rows.extend((c, channel, float(v[k]), float(w[k]), share) for k, c in enumerate(cols))
    table = pd.DataFrame(rows, columns=["indicator", "channel", "loading", "weight", "explained"])
    return PCAWeights(dict(zip(table["indicator"], table["weight"])), table)
