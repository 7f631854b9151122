"""Ranks of units on a score: competition (UN) or dense (Chinese national reports).

* ``competition`` ("1224"): rank = 1 + number of units with a *higher* score.
  The UN E-Government Survey ranks this way.
* ``dense`` ("1223"): rank = 1 + number of *distinct* higher scores; two units tied at 1,
  the next at 2 — the convention of the Chinese provincial evaluations.

Missing scores get no rank (NaN) and do not count. Ties are exact equality of the
score as given; round first (``decimals`` in :func:`egoveval.index.build_index`) to
rank on the published precision, as the UN does (EGDI is ranked at 4 decimals).

:func:`rank_matrix` ranks every column of an (n, R) array at once with one sort
(Monte Carlo runs), handling ties without a Python loop.

>>> import numpy as np
>>> RANKERS["competition"](np.array([0.9, 0.8, 0.9, 0.7])).tolist()
[1.0, 3.0, 1.0, 4.0]
>>> RANKERS["dense"](np.array([0.9, 0.8, 0.9, 0.7])).tolist()
[1.0, 2.0, 1.0, 3.0]
"""

from __future__ import annotations

from typing import Callable, Mapping

import numpy as np
import pandas as pd

__all__ = ["RANKERS", "rank_scores", "rank_matrix"]


def rank_matrix(scores: np.ndarray, method: str = "competition") -> np.ndarray:
    """Rank each column of ``scores`` (n, R), highest = 1; no missing values allowed.

    >>> rank_matrix(np.array([[3.0, 1.0], [3.0, 2.0], [1.0, 2.0]])).tolist()
    [[1, 3], [1, 1], [3, 1]]
    """
    s = np.asarray(scores, dtype=float)
    n, r = s.shape
    # work on runs as contiguous rows: an introsort per row is ~6× faster than a stable
    # sort down strided columns; ties are resolved by value below, so stability is not needed
    neg = np.ascontiguousarray(-s.T)
    order = np.argsort(neg, axis=1)
    srt = np.take_along_axis(neg, order, axis=1)
    new = np.ones((r, n), dtype=bool)
    new[:, 1:] = srt[:, 1:] != srt[:, :-1]
    if method == "competition":
        pos = np.where(new, np.arange(n, dtype=np.int32)[None, :], 0)
        ranks_sorted = np.maximum.accumulate(pos, axis=1) + 1
    elif method == "dense":
        ranks_sorted = np.cumsum(new, axis=1, dtype=np.int32)
    else:
        raise KeyError(method)
    out = np.empty((r, n), dtype=np.int32)
    np.put_along_axis(out, order, ranks_sorted.astype(np.int32, copy=False), axis=1)
    return out.T


def _ranker(method: str) -> Callable[[np.ndarray], np.ndarray]:
    def rank(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        out = np.full(x.shape, np.nan)
        ok = ~np.isnan(x)
        if ok.any():
            out[ok] = rank_matrix(x[ok][:, None], method)[:, 0]
        return out

    rank.__doc__ = f"{method} ranks of a 1-D score array (NaN stays NaN)."
    return rank


RANKERS: Mapping[str, Callable[[np.ndarray], np.ndarray]] = {
    "competition": _ranker("competition"),
    "dense": _ranker("dense"),
}


def rank_scores(scores: pd.Series, method: str = "competition") -> pd.Series:
    """Ranks as a nullable integer Series aligned with ``scores``.

    >>> rank_scores(pd.Series([2.0, None, 2.0, 1.0]), "dense").tolist()
    [1, <NA>, 1, 2]
    """
    r = RANKERS[method](scores.to_numpy(dtype=float))
    return pd.Series(pd.array(np.where(np.isnan(r), None, r), dtype="Int64"),
                     index=scores.index, name="rank")
