"""Variance-based sensitivity: Sobol first-order and total indices (Saltelli design, Jansen).

Design (Saltelli 2002; Saltelli et al. 2010): two independent N × D matrices A and B of
U(0, 1) inputs and, for each factor (or group of columns) j, the matrix AB_j equal to A
with the columns of j taken from B — N·(d + 2) model runs for d factors. With
f_A, f_B, f_ABj the outputs and V the variance of f over A and B together,

* first order (Jansen 1999):  S_j  = [V − ½ · mean((f_B − f_ABj)²)] / V
* total (Jansen 1999):        ST_j = ½ · mean((f_A − f_ABj)²) / V

Confidence intervals: percentile bootstrap over the N rows (the same resampled rows
for A, B and every AB_j), ``n_boot`` resamples, seeded.

A factor may span several columns (a *group*, e.g. all weight perturbations): its
index is then the group's closed index (Jansen & Sobol's grouping).

Inputs are drawn by :func:`saltelli_sample` either with NumPy's generator
(``sampler="random"``) or a scrambled Sobol sequence (``"sobol"``, N a power of 2;
A and B are the two halves of a 2D-dimensional sequence).

Proof of the estimator: :func:`ishigami` has analytic indices
(:data:`ISHIGAMI_ANALYTIC`); the tests recover them.

References: Jansen, M.J.W. (1999) *Comput. Phys. Commun.* 117, 35–43; Saltelli, A. et al.
(2010) *Comput. Phys. Commun.* 181, 259–270 (Table 2, estimators (f) and Jansen);
Ishigami & Homma (1990); COINr ``R/sensitivity.R``.

>>> res = sobol_indices(ishigami, [1, 1, 1], n=4096, seed=1, sampler="sobol", n_boot=50)
>>> [round(v, 1) for v in res.first_order], [round(v, 1) for v in res.total]
([0.3, 0.4, 0.0], [0.6, 0.4, 0.2])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import pandas as pd

__all__ = ["saltelli_sample", "saltelli_matrices", "jansen_indices", "SobolResult",
           "sobol_indices", "ishigami", "ISHIGAMI_ANALYTIC"]


def saltelli_sample(n: int, dims: int, rng: np.random.Generator,
                    sampler: str = "random") -> tuple[np.ndarray, np.ndarray]:
    """A and B, each (n, dims), uniform on [0, 1)."""
    if sampler == "random":
        return rng.random((n, dims)), rng.random((n, dims))
    if sampler == "sobol":
        from scipy.stats import qmc

        m = int(np.log2(n))
        if 2 ** m != n:
            raise ValueError("sampler='sobol' needs n to be a power of 2")
        u = qmc.Sobol(d=2 * dims, scramble=True, seed=rng).random_base2(m)
        return u[:, :dims], u[:, dims:]
    raise KeyError(sampler)


def saltelli_matrices(a: np.ndarray, b: np.ndarray, groups: Sequence[int]) -> np.ndarray:
    """Stack [A; B; AB_1; …; AB_d] → (n·(d + 2), D). ``groups`` gives each factor's column count."""
    blocks = [a, b]
    start = 0
    for size in groups:
        ab = a.copy()
        ab[:, start:start + size] = b[:, start:start + size]
        blocks.append(ab)
        start += size
    if start != a.shape[1]:
        raise ValueError("group sizes must add up to the number of columns")
    return np.vstack(blocks)


def _jansen(fa: np.ndarray, fb: np.ndarray, fab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """fa, fb (..., n); fab (..., d, n) → first (…, d), total (…, d); NaN where V = 0."""
    var = np.var(np.concatenate([fa, fb], axis=-1), axis=-1, ddof=1)[..., None]
    safe = np.where(var > 0, var, np.nan)
    first = (var - 0.5 * np.mean((fb[..., None, :] - fab) ** 2, axis=-1)) / safe
    total = 0.5 * np.mean((fa[..., None, :] - fab) ** 2, axis=-1) / safe
    return first, total


def _interval(values: np.ndarray, q: tuple[float, float]) -> tuple[float, float]:
    """Percentile interval of the finite values (NaN, NaN when there are none)."""
    ok = values[np.isfinite(values)]
    if not ok.size:
        return (np.nan, np.nan)
    lo, hi = np.quantile(ok, q)
    return (float(lo), float(hi))


@dataclass(frozen=True)
class SobolResult:
    """Indices per factor with bootstrap percentile intervals (``conf`` level)."""

    names: tuple[str, ...]
    first_order: tuple[float, ...]
    total: tuple[float, ...]
    first_ci: tuple[tuple[float, float], ...]
    total_ci: tuple[tuple[float, float], ...]
    n: int
    conf: float

    def table(self) -> pd.DataFrame:
        """``assumption, first_order, total, ci_low, ci_high`` (CI of the total index),
        plus the first-order CI in ``first_ci_low``/``first_ci_high``."""
        return pd.DataFrame({
            "assumption": list(self.names),
            "first_order": list(self.first_order),
            "total": list(self.total),
            "ci_low": [c[0] for c in self.total_ci],
            "ci_high": [c[1] for c in self.total_ci],
            "first_ci_low": [c[0] for c in self.first_ci],
            "first_ci_high": [c[1] for c in self.first_ci],
        })


def jansen_indices(fa: np.ndarray, fb: np.ndarray, fab: np.ndarray, *,
                   names: Sequence[str] | None = None, n_boot: int = 500, conf: float = 0.95,
                   rng: np.random.Generator | None = None) -> SobolResult:
    """Jansen first-order and total indices from model outputs, with bootstrap CIs.

    ``fa``, ``fb`` (n,), ``fab`` (d, n). An output without variance (V = 0) has undefined
    indices: they are NaN, as are the intervals (bootstrap resamples with V = 0 are left
    out of the percentiles).
    """
    fa, fb, fab = (np.asarray(v, dtype=float) for v in (fa, fb, fab))
    d, n = fab.shape
    first, total = _jansen(fa, fb, fab)
    rng = rng if rng is not None else np.random.default_rng(0)
    lo_q, hi_q = (1 - conf) / 2, 1 - (1 - conf) / 2
    f_ci = t_ci = [(np.nan, np.nan)] * d
    if n_boot > 0:
        firsts, totals = [], []
        for chunk in np.array_split(np.arange(n_boot), max(1, n_boot * n // 2_000_000)):
            idx = rng.integers(0, n, size=(len(chunk), n))
            f_b, t_b = _jansen(fa[idx], fb[idx], np.moveaxis(fab[:, idx], 0, 1))
            firsts.append(f_b)
            totals.append(t_b)
        fb_all, tb_all = np.vstack(firsts), np.vstack(totals)
        f_ci = [_interval(fb_all[:, j], (lo_q, hi_q)) for j in range(d)]
        t_ci = [_interval(tb_all[:, j], (lo_q, hi_q)) for j in range(d)]
    names = tuple(names) if names is not None else tuple(f"x{j + 1}" for j in range(d))
    return SobolResult(names, tuple(map(float, first)), tuple(map(float, total)),
                       tuple((float(a), float(b)) for a, b in f_ci),
                       tuple((float(a), float(b)) for a, b in t_ci), n, conf)


def sobol_indices(func: Callable[[np.ndarray], np.ndarray], groups: Sequence[int], *, n: int,
                  seed: int | np.random.Generator = 0, names: Sequence[str] | None = None,
                  sampler: str = "random", n_boot: int = 500, conf: float = 0.95) -> SobolResult:
    """Sobol indices of ``func`` (rows of U(0,1) inputs → one output per row), one per group."""
    rng = np.random.default_rng(seed)
    a, b = saltelli_sample(n, int(sum(groups)), rng, sampler)
    y = np.asarray(func(saltelli_matrices(a, b, groups)), dtype=float)
    d = len(groups)
    y = y.reshape(d + 2, n)
    return jansen_indices(y[0], y[1], y[2:], names=names, n_boot=n_boot, conf=conf, rng=rng)


def ishigami(u: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    """Ishigami function on U(0,1)³ inputs mapped to (−π, π)³:
    f = sin x1 + a sin² x2 + b x3⁴ sin x1."""
    x = (2 * np.asarray(u, dtype=float) - 1) * np.pi
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def _ishigami_analytic(a: float = 7.0, b: float = 0.1) -> dict[str, tuple[float, ...]]:
    pi = np.pi
    v1 = 0.5 * (1 + b * pi ** 4 / 5) ** 2
    v2 = a ** 2 / 8
    v13 = b ** 2 * pi ** 8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return {"first_order": (v1 / v, v2 / v, 0.0), "total": ((v1 + v13) / v, v2 / v, v13 / v)}


#: Analytic Sobol indices of the Ishigami function with a = 7, b = 0.1.
ISHIGAMI_ANALYTIC = _ishigami_analytic()
