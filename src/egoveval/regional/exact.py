"""Exact Fisher–Freeman–Halton test for r×c contingency tables.

Under independence with both margins fixed, a table :math:`x` has the multivariate
hypergeometric probability

.. math::

    P(x) = \\frac{\\prod_i r_i! \\prod_j c_j!}{n! \\prod_{ij} x_{ij}!} .

The two-sided p-value is the total probability of all tables with the observed margins
that are no more probable than the observed one,
:math:`p = \\sum_{y : P(y) \\le P(x)(1 + 10^{-7})} P(y)`, the relative tolerance R's
``fisher.test`` uses (``relErr``) so that tables tied with the observed one are counted
despite rounding (Freeman & Halton 1951; Mehta & Patel 1983).

The sum is computed with the network algorithm of Mehta & Patel (1983, 1986; FEXACT):

* the table is filled column by column (rows are the smaller dimension; columns from the
  smallest total to the largest); a **node** is keyed by its stage and the *sorted* vector of
  remaining row totals, so partial tables that leave the same multiset of row totals share
  one sub-network;
* a **past path** carries the log-probability of its partial filling,
  :math:`\\log\\prod_j P(v_j \\mid \\text{node}_j)` with the multivariate hypergeometric step
  :math:`P(v \\mid r, c) = \\prod_i \\binom{r_i}{v_i} / \\binom{\\sum r}{c}`, and the total
  probability of the partial tables it stands for; past paths at one node are merged when
  their log-probabilities fall into the same cell of width ``TOL`` (10⁻⁹, well inside R's
  ``relErr``; the probabilities are summed exactly, only the value used to classify is
  rounded);
* at each node, bounds on the probability of the remaining part (the most and the least
  probable completions: exact with at most three columns left, from the row- and the
  column-wise spread of the margins before) decide,
  per past path, that *every* completion counts (its whole probability is added: the
  completions of a node sum to one), that *none* counts (dropped), or that it is expanded;
* with two columns left, the last column is fixed by the first: the log-probabilities of
  all fillings of the node are sorted once and every past path is resolved by a binary
  search on their cumulative sums.

Size limit (stated in every result): the exact algorithm runs while its work — node
fillings times past paths, plus merged paths — stays within ``EXACT_MAX_WORK``
(1.5 × 10⁷ steps, a few seconds; the p-values then agree with R's ``fisher.test`` to
about 10⁻¹²). The limit is set by the number of tables about as probable as the observed
one, not by n alone: near independence, 4×4 tables are exact up to n ≈ 120–150 and 5×4
tables up to n ≈ 80–100 (strongly associated tables need more work, not less); 3×4 and
2×c tables to several hundred; any 32-unit study is exact in well under a second. A 5×4 table of the
337-city survey near independence is beyond it — R's FEXACT itself needs minutes for
such a table at n = 300 and fails at n = 400 with ``workspace = 2e8``. Beyond the limit the
p-value is estimated by Monte Carlo over random tables with the same margins (seeded,
``B`` replicates, p = (1 + #{P(y) ≤ P(x)}) / (B + 1) as R's ``simulate.p.value``) and its
standard error is reported.

References
----------
Freeman, G. H., & Halton, J. H. (1951). Note on an exact treatment of contingency,
goodness of fit and other problems of significance. *Biometrika*, 38, 141–149.
Mehta, C. R., & Patel, N. R. (1983). A network algorithm for performing Fisher's exact
test in r×c contingency tables. *JASA*, 78, 427–434. Mehta, C. R., & Patel, N. R. (1986).
Algorithm 643: FEXACT, a FORTRAN subroutine for Fisher's exact test on unordered r×c
contingency tables. *ACM TOMS*, 12, 154–161.

Examples
--------
>>> r = fisher_exact_rxc([[3, 1], [1, 3]])
>>> round(r.p, 6), r.method
(0.485714, 'exact')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["FisherResult", "fisher_exact_rxc", "cramers_v", "EXACT_MAX_N", "EXACT_MAX_WORK",
           "REL_ERR", "TOL"]

EXACT_MAX_N = 100_000  # only a guard for the factorial table; the work limit decides
EXACT_MAX_WORK = 15_000_000
REL_ERR = 1 + 1e-7
TOL = 1e-9


@dataclass(frozen=True)
class FisherResult:
    """p-value of the Fisher–Freeman–Halton test.

    ``method`` is ``"exact"`` or ``"monte_carlo"``; ``se`` is the Monte Carlo standard
    error :math:`\\sqrt{p(1-p)/B}` (0 for exact); ``replicates`` is B (0 for exact).
    """

    p: float
    method: str
    se: float = 0.0
    replicates: int = 0
    seed: int | None = None


class _TooLarge(Exception):
    pass


def _clean(table) -> np.ndarray:
    x = np.asarray(table)
    if x.ndim != 2 or np.any(x < 0) or not np.all(np.equal(np.mod(x, 1), 0)):
        raise ValueError("a table of non-negative integer counts is needed")
    x = x.astype(np.int64)
    return x[x.sum(axis=1) > 0][:, x.sum(axis=0) > 0]


def fisher_exact_rxc(table, *, seed: int | None = None, replicates: int = 100_000,
                     max_n: int = EXACT_MAX_N, max_work: int = EXACT_MAX_WORK) -> FisherResult:
    """Two-sided Fisher–Freeman–Halton p-value of an r×c table of counts.

    Parameters
    ----------
    table : array_like of int, shape (r, c)
        Counts. Empty rows and columns are dropped (they do not change the test).
    seed : int, optional
        Seed of the Monte Carlo fallback (used only beyond the size limits).
    replicates : int
        Monte Carlo replicates B for the fallback.
    max_n, max_work : int
        Size limits of the exact algorithm (see the module docstring).

    Returns
    -------
    FisherResult

    Examples
    --------
    >>> round(fisher_exact_rxc([[2, 0, 1], [0, 3, 1]]).p, 6)
    0.142857
    """
    x = _clean(table)
    if x.shape[0] < 2 or x.shape[1] < 2:
        return FisherResult(1.0, "exact")
    if x.sum() <= max_n:
        try:
            return FisherResult(min(1.0, _exact(x, max_work)), "exact")
        except _TooLarge:
            pass
    return _monte_carlo(x, seed, replicates)


# -- exact network algorithm ---------------------------------------------------------

def _exact(x: np.ndarray, max_work: int) -> float:
    """The exact p-value by the network algorithm (see the module docstring)."""
    net = _Network(x, max_work)
    codes, lps, mass = net.root()
    for j in range(net.k - 1):  # the last stage is resolved inside stage k − 2
        codes, lps, mass = net.stage(j, codes, lps, mass)
        if codes.size == 0:
            break
    return net.p


class _Network:
    """State of one network run: margins, the threshold, the running p and the work count.

    Rows are the smaller dimension (a node is the sorted vector of remaining row totals);
    columns are processed from the smallest to the largest, so the two largest columns are
    the last two stages, resolved by a sorted array instead of being expanded.
    """

    def __init__(self, x: np.ndarray, max_work: int):
        if x.shape[0] > x.shape[1]:
            x = x.T
        self.n = n = int(x.sum())
        self.lf = lf = np.array([math.lgamma(v + 1) for v in range(n + 1)])
        self.rows = np.sort(x.sum(axis=1))[::-1]
        self.cols = np.sort(x.sum(axis=0))
        self.m, self.k = len(self.rows), len(self.cols)
        if (n + 1) ** self.m >= 2 ** 62:
            raise _TooLarge  # node codes would not fit in 64 bits
        lp_obs = float(lf[self.rows].sum() + lf[self.cols].sum() - lf[n] - lf[x.ravel()].sum())
        self.thr = lp_obs + math.log(REL_ERR)
        self.suffix = np.concatenate([np.cumsum(self.cols[::-1])[::-1], [0]])
        self.base = n + 1
        self.radix = self.base ** np.arange(self.m - 1, -1, -1, dtype=np.int64)
        self.max_work, self.work, self.p = max_work, 0, 0.0
        self._ranges: dict[tuple[int, int], tuple[float, float]] = {}

    def spend(self, units: int) -> None:
        self.work += int(units)
        if self.work > self.max_work:
            raise _TooLarge

    def root(self):
        return (np.array([int(self.rows @ self.radix)], dtype=np.int64), np.zeros(1), np.ones(1))

    def bounds(self, rem: np.ndarray, j: int) -> tuple[float, float]:
        """Lowest and highest log-probability of a completion of node ``rem`` from column j:
        exact with at most three columns left (from the sorted last-but-one stage), else
        from the row- and column-wise spread of the margins."""
        if j >= self.k - 3:
            return self._exact_range(rem, j)
        lf, cs = self.lf, self.cols[j:]
        const = lf[rem].sum() + lf[cs].sum() - lf[self.suffix[j]]
        smin = max(sum(_min_spread(int(c), rem, lf) for c in cs),
                   sum(_min_spread(int(r), cs, lf) for r in rem))
        smax = min(sum(_max_concentrate(int(c), rem, lf) for c in cs),
                   sum(_max_concentrate(int(r), cs, lf) for r in rem))
        return float(const - smax), float(const - smin)

    def _exact_range(self, rem: np.ndarray, j: int) -> tuple[float, float]:
        code = int(rem @ self.radix)
        if (code, j) in self._ranges:
            return self._ranges[code, j]
        v, dl = self.step(rem, j)
        self.spend(v.shape[0])
        if j == self.k - 2:
            out = (float(dl.min()), float(dl.max()))
        else:
            child = np.sort(rem[None, :] - v, axis=1)[:, ::-1] @ self.radix
            kids, back = np.unique(child, return_inverse=True)
            ranges = np.array([self._exact_range((c // self.radix) % self.base, j + 1) for c in kids])
            lo, hi = ranges[back.ravel(), 0], ranges[back.ravel(), 1]
            out = (float((dl + lo).min()), float((dl + hi).max()))
        self._ranges[code, j] = out
        return out

    def step(self, rem: np.ndarray, j: int):
        """Every filling v of column j from node ``rem`` and its log-probability
        log P(v | rem, c_j) = Σ_i log C(rem_i, v_i) − log C(N_rem, c_j)."""
        lf, c, total = self.lf, int(self.cols[j]), int(self.suffix[j])
        v = _fillings(c, rem)
        dl = (lf[rem].sum() - lf[v].sum(axis=1) - lf[rem[None, :] - v].sum(axis=1)
              - (lf[total] - lf[c] - lf[total - c]))
        return v, dl

    def stage(self, j: int, codes, lps, mass):
        """Process every node of stage j; returns the merged past paths of stage j + 1."""
        order = np.argsort(codes, kind="stable")
        codes, lps, mass = codes[order], lps[order], mass[order]
        uniq, start = np.unique(codes, return_index=True)
        stops = np.append(start[1:], codes.size)
        out = []
        for code, a, b in zip(uniq, start, stops):
            rem = (code // self.radix) % self.base
            lp, ms = self._decide(rem, j, lps[a:b], mass[a:b])
            if lp.size:
                out.append(self._expand(rem, j, lp, ms))
        out = [o for o in out if o is not None]
        if not out:
            return np.zeros(0, np.int64), np.zeros(0), np.zeros(0)
        return self._merge(*(np.concatenate(parts) for parts in zip(*out)))

    def _decide(self, rem, j, lp, ms):
        """Add the pasts whose every completion counts; return those still undecided."""
        lo, hi = self.bounds(rem, j)
        every = lp + hi <= self.thr
        self.p += float(ms[every].sum())
        open_ = ~every & (lp + lo <= self.thr)
        return lp[open_], ms[open_]

    def _expand(self, rem, j, lp, ms):
        v, dl = self.step(rem, j)
        if j == self.k - 2:  # the last column is then fixed: resolve all pasts at once
            self.spend(v.shape[0] + lp.size)
            srt = np.sort(dl)
            cum = np.concatenate([[0.0], np.cumsum(np.exp(srt))])
            self.p += float((ms * cum[np.searchsorted(srt, self.thr - lp, side="right")]).sum())
            return None
        self.spend(v.shape[0] * (1 + lp.size))
        child = np.sort(rem[None, :] - v, axis=1)[:, ::-1] @ self.radix
        key = np.stack([child, np.round(dl / TOL).astype(np.int64)], axis=1)
        _, first, count = np.unique(key, axis=0, return_index=True, return_counts=True)
        cc, dd = child[first], dl[first]
        return (np.repeat(cc, lp.size), (dd[:, None] + lp[None, :]).ravel(),
                ((count * np.exp(dd))[:, None] * ms[None, :]).ravel())

    def _merge(self, codes, lps, mass):
        """Merge past paths at the same node whose log-probabilities share a TOL cell."""
        cell = np.floor(lps / TOL).astype(np.int64)
        o = np.lexsort((cell, codes))
        codes, cell, lps, mass = codes[o], cell[o], lps[o], mass[o]
        new = np.ones(codes.size, bool)
        new[1:] = (codes[1:] != codes[:-1]) | (cell[1:] != cell[:-1])
        at = np.flatnonzero(new)
        self.spend(codes.size)
        return codes[at], lps[at], np.add.reduceat(mass, at)


def _fillings(c: int, caps) -> np.ndarray:
    """All vectors v (rows of an (F, m) array) with Σ v = c and 0 ≤ v_i ≤ caps_i.

    >>> _fillings(2, [1, 2]).tolist()
    [[0, 2], [1, 1]]
    """
    caps = np.asarray(caps, dtype=np.int64)
    room = np.concatenate([np.cumsum(caps[::-1])[::-1], [0]])
    out = np.zeros((1, 0), dtype=np.int64)
    s = np.zeros(1, dtype=np.int64)
    for i in range(len(caps)):
        lo = np.maximum(0, c - s - room[i + 1])
        count = np.maximum(np.minimum(caps[i], c - s) - lo + 1, 0)
        idx = np.repeat(np.arange(s.size), count)
        v = lo[idx] + np.arange(idx.size) - (np.cumsum(count) - count)[idx]
        out, s = np.column_stack([out[idx], v]), s[idx] + v
    return out

def _min_spread(total: int, caps, lf) -> float:
    """min Σ log v_i! with Σ v = total, v_i ≤ caps_i (as even as the caps allow)."""
    caps = sorted(caps)
    out, left, k = 0.0, total, len(caps)
    for i, cap in enumerate(caps):
        share = left // (k - i)
        if cap <= share:
            out += lf[cap]
            left -= cap
        else:
            # remaining cells all have caps ≥ share + 1: spread evenly
            m = k - i
            q, r = divmod(left, m)
            return out + r * lf[q + 1] + (m - r) * lf[q]
    return out


def _max_concentrate(total: int, caps, lf) -> float:
    """max Σ log v_i! with Σ v = total, v_i ≤ caps_i (fill the largest caps first)."""
    out, left = 0.0, total
    for cap in sorted(caps, reverse=True):
        take = min(cap, left)
        out += lf[take]
        left -= take
        if left == 0:
            break
    return out


# -- Monte Carlo fallback ----------------------------------------------------------

def _monte_carlo(x: np.ndarray, seed: int | None, replicates: int) -> FisherResult:
    rng = np.random.default_rng(seed)
    r, c = x.shape
    row_lab = np.repeat(np.arange(r), x.sum(axis=1))
    col_lab = np.repeat(np.arange(c), x.sum(axis=0))
    n = len(row_lab)
    lf = np.array([math.lgamma(k + 1) for k in range(n + 1)])
    s_obs = lf[x].sum()
    thr = s_obs - math.log(REL_ERR)
    hits, done, chunk = 0, 0, max(1, 2_000_000 // n)
    while done < replicates:
        b = min(chunk, replicates - done)
        perm = rng.permuted(np.tile(col_lab, (b, 1)), axis=1)
        cell = row_lab[None, :] * c + perm
        counts = np.zeros((b, r * c), dtype=np.int64)
        np.add.at(counts, (np.repeat(np.arange(b), n), cell.ravel()), 1)
        hits += int((lf[counts].sum(axis=1) >= thr).sum())
        done += b
    p = (1 + hits) / (replicates + 1)
    se = math.sqrt(p * (1 - p) / replicates)
    return FisherResult(p, "monte_carlo", se, replicates, seed)


def cramers_v(table) -> float:
    """Cramér's V = sqrt(χ² / (n · (min(r, c) − 1))), χ² Pearson's without continuity
    correction, after dropping empty rows and columns (Cramér 1946).

    >>> round(cramers_v([[10, 0], [0, 10]]), 6)
    1.0
    """
    x = _clean(table).astype(float)
    n = x.sum()
    k = min(x.shape) - 1
    if k < 1 or n == 0:
        return float("nan")
    expected = np.outer(x.sum(axis=1), x.sum(axis=0)) / n
    chi2 = float(((x - expected) ** 2 / expected).sum())
    return math.sqrt(chi2 / (n * k))

