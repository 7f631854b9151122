"""Spatial autocorrelation: contiguity weights, global Moran's I and local Moran (LISA).

Weights are binary contiguity links from the bundled adjacency tables (provinces: land
borders, plus an optional ``sea_convention`` Hainan–Guangdong link; cities: queen
contiguity), row-standardised (spdep ``style = "W"``). A unit without neighbours keeps an
all-zero row, as spdep with ``zero.policy = TRUE``: its spatial lag is 0.

Global Moran's I exactly as ``spdep::moran.test(randomisation = TRUE, adjust.n = TRUE)``
(Cliff & Ord 1981), with :math:`z = x - \\bar x` over all n units, :math:`n' = n - n_0`
(units with no neighbours removed from the count), :math:`S_0 = \\sum w_{ij}`,
:math:`S_1 = \\frac12 \\sum (w_{ij} + w_{ji})^2`, :math:`S_2 = \\sum_i (w_{i\\cdot} + w_{\\cdot i})^2`,
kurtosis :math:`b_2 = n \\sum z^4 / (\\sum z^2)^2`:

.. math::

    I = \\frac{n'}{S_0} \\frac{\\sum_{ij} w_{ij} z_i z_j}{\\sum z_i^2}, \\qquad
    E[I] = -\\frac{1}{n' - 1},

    Var[I] = \\frac{n'[S_1(n'^2 - 3n' + 3) - n' S_2 + 3 S_0^2]
              - b_2[S_1(n'^2 - n') - 2n' S_2 + 6 S_0^2]}{(n'-1)(n'-2)(n'-3) S_0^2} - E[I]^2 .

The randomisation p-value is one-sided, ``alternative = "greater"`` (spdep's default),
unless ``alternative="two.sided"``. The permutation p-value is
:math:`(1 + \\#\\{I_{sim} \\ge I\\}) / (P + 1)` over P random relabellings (as
``spdep::moran.mc``; two-sided: over :math:`|I_{sim} - E[I]| \\ge |I - E[I]|`).

Local Moran (Anselin 1995) as ``spdep::localmoran``:
:math:`I_i = z_i \\sum_j w_{ij} z_j / m_2`, :math:`m_2 = \\sum z^2 / n`. Quadrants: HH
(:math:`z_i > 0`, lag > 0), LL, HL (high surrounded by low), LH. Pseudo p-values by
conditional permutation (the value at i fixed, its neighbours drawn from the other n − 1
values), folded to the tail of the observed :math:`I_i` as PySAL ``Moran_Local``:
:math:`p_i = (1 + \\min(L, P - L)) / (P + 1)` with :math:`L = \\#\\{I_i^{sim} \\ge I_i\\}`
(ties count on the upper side only, as in PySAL's rule).

References
----------
Cliff, A. D., & Ord, J. K. (1981). *Spatial Processes*. Pion. Anselin, L. (1995). Local
indicators of spatial association—LISA. *Geographical Analysis*, 27, 93–115. Bivand, R. S.,
& Wong, D. W. S. (2018). Comparing implementations of global and local indicators of spatial
association. *TEST*, 27, 716–748.

Examples
--------
>>> a = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], float)
>>> m = moran(np.array([1.0, 2.0, 3.0, 4.0]), row_standardise(a))
>>> round(m.I, 6), round(m.expectation, 6), round(m.variance, 6)
(0.4, -0.333333, 0.215556)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ..units.registry import read_reference

__all__ = ["XPCC", "HAINAN", "GUANGDONG", "adjacency_matrix", "row_standardise", "MoranResult",
           "moran", "local_moran"]

XPCC, HAINAN, GUANGDONG = "660000", "460000", "440000"


def adjacency_matrix(codes, units: str = "provinces", *, hainan_link: bool = False) -> np.ndarray:
    """Binary symmetric contiguity matrix of ``codes`` (in that order) from the bundled tables.

    Links to units not in ``codes`` are ignored, so a unit can be left without neighbours.

    >>> a = adjacency_matrix(["440000", "460000", "450000"])
    >>> a.astype(int).tolist()
    [[0, 0, 1], [0, 0, 0], [1, 0, 0]]
    >>> adjacency_matrix(["440000", "460000"], hainan_link=True).astype(int).tolist()
    [[0, 1], [1, 0]]
    """
    codes = [str(c) for c in codes]
    pos = {c: i for i, c in enumerate(codes)}
    if units == "provinces":
        table = read_reference("province_adjacency.csv")
        keep = (table["link_type"] == "land") | (hainan_link & (table["link_type"] == "sea_convention"))
        table = table[keep]
    elif units == "cities":
        table = read_reference("city_adjacency_queen.csv")
    else:
        raise ValueError(f"units must be 'provinces' or 'cities', not {units!r}")
    a = np.zeros((len(codes), len(codes)))
    for ca, cb in zip(table["code_a"], table["code_b"]):
        if ca in pos and cb in pos:
            a[pos[ca], pos[cb]] = a[pos[cb], pos[ca]] = 1.0
    return a


def row_standardise(a: np.ndarray) -> np.ndarray:
    """Divide each row by its sum; rows without neighbours stay zero (zero.policy = TRUE)."""
    sums = a.sum(axis=1, keepdims=True)
    return np.divide(a, sums, out=np.zeros_like(a, dtype=float), where=sums > 0)


@dataclass(frozen=True)
class MoranResult:
    """Global Moran's I with inference under randomisation and by permutation."""

    I: float
    expectation: float
    variance: float
    z: float
    p_randomisation: float
    p_permutation: float
    n: int
    n_effective: int
    permutations: int
    seed: int | None
    alternative: str


def _moran_i(z: np.ndarray, w: np.ndarray, n_eff: int, s0: float) -> np.ndarray:
    """I for one (n,) or many (P, n) centred vectors."""
    lag = z @ w.T
    return (n_eff / s0) * (z * lag).sum(axis=-1) / (z * z).sum(axis=-1)


def moran(x, w: np.ndarray, *, permutations: int = 0, seed: int | None = None,
          alternative: str = "greater") -> MoranResult:
    """Global Moran's I (see the module docstring); ``w`` row-standardised (n, n).

    A constant ``x`` has no deviations: I, its variance, z and both p-values are NaN
    (the expectation −1/(n' − 1) is still given).

    >>> a = np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]], float)
    >>> m = moran(np.full(4, 7.0), row_standardise(a), permutations=9, seed=1)
    >>> bool(np.isnan(m.I)), bool(np.isnan(m.p_permutation))
    (True, True)
    """
    x = np.asarray(x, dtype=float)
    n = x.size
    n_eff = n - int((w.sum(axis=1) == 0).sum())
    s0 = float(w.sum())
    s1 = 0.5 * float(((w + w.T) ** 2).sum())
    s2 = float(((w.sum(axis=1) + w.sum(axis=0)) ** 2).sum())
    z = x - x.mean()
    ei = -1.0 / (n_eff - 1)
    if not np.any(z != 0):  # constant outcome: I = 0/0, nothing to test
        nan = float("nan")
        return MoranResult(nan, ei, nan, nan, nan, nan, n, n_eff, permutations, seed, alternative)
    k = n * (z ** 4).sum() / ((z ** 2).sum() ** 2)
    i_obs = float(_moran_i(z, w, n_eff, s0))
    nn = n_eff * n_eff
    vi = n_eff * (s1 * (nn - 3 * n_eff + 3) - n_eff * s2 + 3 * s0 ** 2)
    vi -= k * (s1 * (nn - n_eff) - 2 * n_eff * s2 + 6 * s0 ** 2)
    vi = vi / ((n_eff - 1) * (n_eff - 2) * (n_eff - 3) * s0 ** 2) - ei ** 2
    zi = (i_obs - ei) / math.sqrt(vi)
    two = alternative == "two.sided"
    p_rand = 2 * stats.norm.sf(abs(zi)) if two else stats.norm.sf(zi)
    p_perm = float("nan")
    if permutations > 0:
        rng = np.random.default_rng(seed)
        sims = _moran_i(rng.permuted(np.tile(z, (permutations, 1)), axis=1), w, n_eff, s0)
        extreme = np.abs(sims - ei) >= abs(i_obs - ei) - 1e-12 if two else sims >= i_obs - 1e-12
        p_perm = (1 + int(extreme.sum())) / (permutations + 1)
    return MoranResult(i_obs, ei, float(vi), float(zi), float(p_rand), p_perm, n, n_eff,
                       permutations, seed, alternative)


def local_moran(x, w: np.ndarray, *, permutations: int = 999, seed: int | None = None,
                alpha: float = 0.05) -> pd.DataFrame:
    """Local Moran I_i, quadrant and conditional-permutation pseudo p-values.

    Columns: ``Ii, z, lag, quadrant, n_neighbours, p_permutation, cluster`` (``cluster`` is
    the quadrant where p ≤ ``alpha``, ``ns`` otherwise, ``island`` without neighbours).
    Ties: a simulated :math:`I_i` equal to the observed one (within floating-point
    rounding, relative 10⁻¹⁰) counts as "at least as large" only — PySAL's rule
    (``alternative="directed"``), except that esda's floating-point sums can put an exact tie
    just below :math:`I_i` and so count it as smaller; hence
    :math:`p_i = (1 + \\min(L, P - L)) / (P + 1)` with :math:`L = \\#\\{I_i^{sim} \\ge I_i\\}`.
    A constant ``x`` has no deviations: I_i and the p-values are NaN, quadrant and cluster
    ``undefined``.
    """
    x = np.asarray(x, dtype=float)
    n = x.size
    z = x - x.mean()
    m2 = (z * z).sum() / n
    lag = w @ z
    card = (w > 0).sum(axis=1)
    if m2 == 0:
        undefined = np.where(card == 0, "island", "undefined")
        return pd.DataFrame({"Ii": np.full(n, np.nan), "z": z, "lag": lag, "quadrant": undefined,
                             "n_neighbours": card, "p_permutation": np.full(n, np.nan),
                             "cluster": undefined})
    ii = z * lag / m2
    quadrant = np.where(z > 0, np.where(lag > 0, "HH", "HL"), np.where(lag > 0, "LH", "LL"))
    quadrant = np.where(card == 0, "island", quadrant)
    pvals = np.full(n, np.nan)
    if permutations > 0:
        rng = np.random.default_rng(seed)
        for i in range(n):
            k = int(card[i])
            if k == 0:
                continue
            others = np.delete(z, i)
            weights = w[i, w[i] > 0]  # row-standardised: all 1/k, kept general
            draws = rng.permuted(np.tile(others, (permutations, 1)), axis=1)[:, :k]
            sims = z[i] * (draws @ weights) / m2
            tol = 1e-10 * max(1.0, abs(ii[i]))  # the observed configuration, summed differently
            larger = int((sims >= ii[i] - tol).sum())
            pvals[i] = (1 + min(larger, permutations - larger)) / (permutations + 1)
    cluster = np.where(card == 0, "island",
                       np.where(pvals <= alpha, quadrant, "ns"))
    return pd.DataFrame({"Ii": ii, "z": z, "lag": lag, "quadrant": quadrant,
                         "n_neighbours": card, "p_permutation": pvals, "cluster": cluster})
