"""Normalisation of indicators before aggregation (COINr ``Normalise``), by name.

Every normaliser is a pure kernel on one column that treats *higher as better*;
direction is applied by the DataFrame layer by flipping the sign first
(``x' = direction · x``), exactly as COINr does, so a −1 indicator becomes
"less is better" for every method (min–max gives ``(max − x)/(max − min)``).
Missing values (NaN) stay missing and are ignored by the column statistics.

Each :class:`Normaliser` states its ``output_range`` (low, high) — needed because
geometric means fail on zeros and negative values (see :mod:`.aggregate`).

====================  =====================================================  ==================
name                  formula (x already multiplied by its direction)          output range
====================  =====================================================  ==================
``none``              x                                                      as input
``minmax``            l + (u − l)(x − min)/(max − min)                       [l, u] (0–1 or 0–100)
``zscore``            (x − mean)/s, s the sample SD with n − 1               (−∞, ∞)
``z-minmax``          min–max of the z-score (UN EGDI); equals ``minmax``     [l, u]
                      because min–max is invariant to affine maps
``rank``              (r − 1)/(n − 1)·(u − l) + l, r the average-tie rank    [l, u]
``dist2target``       min(1, (x − min)/(target − min))·(u − l) + l           [l, u]
``dist2best``         1 − |best − x|/|best|, best = max (x/max for x > 0)     (−∞, 1]
====================  =====================================================  ==================

The outlier rule (:func:`treat_outliers`) is COINr's default ``Treat``: only when
|skew| ≥ 2 **and** kurtosis ≥ 3.5, winsorise up to 5 points (each step sets the most
extreme value on the side of the skew to the next one), and if that does not
bring the column within the limits, use ``ln(x − min + 0.01·(max − min))`` on the
*original* column instead. Skewness and kurtosis are COINr's ``skew``/``kurt``, i.e.
e1071 ``type = 2`` (the Excel/SAS estimators): G1 = g1·√(n(n−1))/(n−2) and the excess
kurtosis G2 = ((n+1)·g2 + 6)(n−1)/((n−2)(n−3)), with g1 = m3/m2^1.5, g2 = m4/m2² − 3
(``scipy.stats.skew(bias=False)`` and ``kurtosis(fisher=True, bias=False)``).

References: OECD/JRC (2008) *Handbook on Constructing Composite Indicators*, §1.5;
W. Becker et al., COINr (``R/normalise.R``, ``R/treat.R``); UN DESA (2018) *E-Government
Survey*, Annex (z-score then min–max).

>>> import numpy as np
>>> NORMALISERS["minmax"](np.array([2.0, 4.0, 6.0])).tolist()
[0.0, 0.5, 1.0]
>>> NORMALISERS["minmax"].output_range
(0.0, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["Normaliser", "NORMALISERS", "normalise_array", "normalise", "Normalised",
           "skew_kurt", "treat_outliers", "OutlierTreatment"]


def _spread(lo: float, hi: float) -> float:
    return hi - lo


def n_none(x: np.ndarray, **_: object) -> np.ndarray:
    """Identity: the indicator is used as it is."""
    return np.asarray(x, dtype=float).copy()


def n_minmax(x: np.ndarray, low: float = 0.0, high: float = 1.0, **_: object) -> np.ndarray:
    """(x − min)/(max − min) rescaled to [low, high]; a constant column gives NaN."""
    x = np.asarray(x, dtype=float)
    if np.isnan(x).all():
        return x.copy()
    lo, hi = np.nanmin(x), np.nanmax(x)
    if not _spread(lo, hi) > 0:
        return np.full_like(x, np.nan)
    return low + (high - low) * (x - lo) / (hi - lo)


def n_zscore(x: np.ndarray, **_: object) -> np.ndarray:
    """(x − mean)/s with the sample standard deviation (n − 1 in the denominator)."""
    x = np.asarray(x, dtype=float)
    s = np.nanstd(x, ddof=1)
    if not s > 0:
        return np.full_like(x, np.nan)
    return (x - np.nanmean(x)) / s


def n_zminmax(x: np.ndarray, low: float = 0.0, high: float = 1.0, **_: object) -> np.ndarray:
    """UN EGDI: z-score, then min–max (numerically the same as min–max)."""
    return n_minmax(n_zscore(x), low=low, high=high)


def n_rank(x: np.ndarray, low: float = 0.0, high: float = 1.0, **_: object) -> np.ndarray:
    """Average-tie rank r (1 = lowest), scaled as (r − 1)/(n − 1) to [low, high]."""
    x = np.asarray(x, dtype=float)
    out = np.full_like(x, np.nan)
    ok = ~np.isnan(x)
    n = int(ok.sum())
    if n < 2:
        return out
    r = stats.rankdata(x[ok], method="average")
    out[ok] = low + (high - low) * (r - 1) / (n - 1)
    return out


def n_dist2target(x: np.ndarray, target: float | None = None, low: float = 0.0,
                  high: float = 1.0, cap: bool = True, **_: object) -> np.ndarray:
    """Share of the way from the worst value to ``target`` (capped at the target)."""
    if target is None:
        raise ValueError("dist2target needs a target")
    x = np.asarray(x, dtype=float)
    lo = np.nanmin(x)
    if not target - lo > 0:
        return np.full_like(x, np.nan)
    d = (x - lo) / (target - lo)
    if cap:
        d = np.minimum(d, 1.0)
    return low + (high - low) * d


def n_dist2best(x: np.ndarray, **_: object) -> np.ndarray:
    """1 − |best − x|/|best| with best the largest value (x/best when values are positive)."""
    x = np.asarray(x, dtype=float)
    best = np.nanmax(x)
    if best == 0:
        return np.full_like(x, np.nan)
    return 1.0 - np.abs(best - x) / abs(best)


@dataclass(frozen=True)
class Normaliser:
    """One named normalisation method with its declared output range."""

    name: str
    func: Callable[..., np.ndarray] = field(repr=False)
    output_range: tuple[float, float]
    scalable: bool  # takes low/high (0–1 or 0–100)
    needs_spread: bool  # undefined on a constant column
    description: str

    def __call__(self, x: np.ndarray, **params: object) -> np.ndarray:
        return self.func(x, **params)

    def range_for(self, scale: float = 1.0) -> tuple[float, float]:
        """Output range when scalable methods map to [0, scale]."""
        if self.scalable:
            return (0.0, float(scale))
        return self.output_range


_INF = float("inf")

NORMALISERS: Mapping[str, Normaliser] = {
    n.name: n for n in (
        Normaliser("none", n_none, (-_INF, _INF), False, False, "identity"),
        Normaliser("minmax", n_minmax, (0.0, 1.0), True, True, "min–max to [0, 1] or [0, 100]"),
        Normaliser("zscore", n_zscore, (-_INF, _INF), False, True, "z-score with the n−1 SD"),
        Normaliser("z-minmax", n_zminmax, (0.0, 1.0), True, True, "z-score then min–max (UN)"),
        Normaliser("rank", n_rank, (0.0, 1.0), True, False, "average-tie rank scaled to [0, 1]"),
        Normaliser("dist2target", n_dist2target, (0.0, 1.0), True, False,
                   "distance to a target, capped at the target"),
        Normaliser("dist2best", n_dist2best, (-_INF, 1.0), False, True,
                   "1 − relative distance to the best value"),
    )
}


def normalise_array(x: np.ndarray, method: str, direction: int = 1, scale: float = 1.0,
                    **params: object) -> np.ndarray:
    """Apply one normaliser to one column, after multiplying by ``direction`` (±1).

    >>> normalise_array(np.array([1.0, 2.0, 5.0]), "minmax", direction=-1, scale=100).tolist()
    [100.0, 75.0, 0.0]
    """
    norm = NORMALISERS[method]
    x = np.asarray(x, dtype=float) * direction
    if "target" in params and params["target"] is not None:
        params = {**params, "target": float(params["target"]) * direction}
    if norm.scalable:
        params = {"low": 0.0, "high": float(scale), **params}
    return norm(x, **params)


# --------------------------------------------------------------------------- outliers

def skew_kurt(x: np.ndarray) -> tuple[float, float]:
    """COINr/e1071 type-2 skewness and excess kurtosis of the non-missing values.

    >>> s, k = skew_kurt(np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100.0]))
    >>> round(s, 3), round(k, 3)
    (3.063, 9.741)
    """
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    if x.size < 4 or np.ptp(x) == 0:
        return float("nan"), float("nan")
    return (float(stats.skew(x, bias=False)),
            float(stats.kurtosis(x, fisher=True, bias=False)))


def _fails(x: np.ndarray, skew_max: float, kurt_max: float) -> bool:
    s, k = skew_kurt(x)
    return bool(abs(s) >= skew_max and k >= kurt_max)


@dataclass(frozen=True)
class OutlierTreatment:
    """What the outlier rule did to one indicator."""

    indicator: str
    skew: float
    kurtosis: float
    treatment: str  # "none", "winsorised" or "log"
    n_winsorised: int
    skew_after: float
    kurtosis_after: float
    passes_after: bool


def treat_outliers(x: np.ndarray, name: str = "", *, winmax: int = 5, skew_max: float = 2.0,
                   kurt_max: float = 3.5) -> tuple[np.ndarray, OutlierTreatment]:
    """COINr's default two-stage treatment of one column (see module docstring).

    >>> x = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100.0])
    >>> y, rep = treat_outliers(x, "x")
    >>> rep.treatment, rep.n_winsorised, y[-2:].tolist()
    ('winsorised', 1, [30.0, 30.0])
    """
    x = np.asarray(x, dtype=float)
    s0, k0 = skew_kurt(x)
    if not _fails(x, skew_max, kurt_max):
        return x.copy(), OutlierTreatment(name, s0, k0, "none", 0, s0, k0, True)
    y = x.copy()
    treated = np.zeros(x.shape, dtype=bool)
    while _fails(y, skew_max, kurt_max) and treated.sum() < winmax:
        s, _ = skew_kurt(y)
        ok = ~np.isnan(y)
        if s >= 0:
            top = np.nanmax(y)
            hit = ok & (y == top)
            rest = y[ok & ~hit]
            if rest.size == 0:
                break
            y[hit] = rest.max()
        else:
            bottom = np.nanmin(y)
            hit = ok & (y == bottom)
            rest = y[ok & ~hit]
            if rest.size == 0:
                break
            y[hit] = rest.min()
        treated |= hit
    if not _fails(y, skew_max, kurt_max):
        s1, k1 = skew_kurt(y)
        return y, OutlierTreatment(name, s0, k0, "winsorised", int(treated.sum()), s1, k1, True)
    lo, hi = np.nanmin(x), np.nanmax(x)
    y = np.log(x - lo + 0.01 * (hi - lo))
    s1, k1 = skew_kurt(y)
    return y, OutlierTreatment(name, s0, k0, "log", 0, s1, k1, not _fails(y, skew_max, kurt_max))


# --------------------------------------------------------------------------- DataFrame layer

@dataclass(frozen=True)
class Normalised:
    """Normalised indicators (units × indicators) and how they were made."""

    data: pd.DataFrame
    method: str
    output_range: tuple[float, float]
    outliers: pd.DataFrame  # one row per indicator when the outlier rule ran, else empty


def normalise(data: pd.DataFrame, method: str = "minmax", *,
              directions: Mapping[str, int] | None = None, scale: float = 1.0,
              params: Mapping[str, Mapping[str, object]] | None = None,
              outliers: bool = False) -> Normalised:
    """Normalise every column of ``data`` with one method (per-indicator ``params``).

    >>> df = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [30.0, 20.0, 10.0]})
    >>> normalise(df, "minmax", directions={"b": -1}).data["b"].tolist()
    [0.0, 0.5, 1.0]
    """
    if method not in NORMALISERS:
        raise KeyError(method)
    directions = directions or {}
    params = params or {}
    out = {}
    reports = []
    for col in data.columns:
        x = data[col].to_numpy(dtype=float)
        if outliers:
            x, rep = treat_outliers(x, str(col))
            reports.append(rep)
        out[col] = normalise_array(x, method, int(directions.get(col, 1)), scale,
                                   **dict(params.get(col, {})))
    table = pd.DataFrame([r.__dict__ for r in reports]) if reports else pd.DataFrame(
        columns=list(OutlierTreatment.__dataclass_fields__))
    return Normalised(pd.DataFrame(out, index=data.index), method,
                      NORMALISERS[method].range_for(scale), table)
