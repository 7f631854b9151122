"""Choosing k: silhouette, Calinski–Harabasz, Davies–Bouldin, R², gap statistic, the elbow
of the schedule, and a vote across them (NbClust's majority rule).

For a partition of n units into k clusters C_1…C_k (sizes n_c, centroids μ_c, grand mean μ):

* **Silhouette** (Rousseeuw 1987; Kaufman & Rousseeuw 1990): a(i) = mean dissimilarity of i
  to the other members of its cluster, b(i) = min over other clusters of the mean
  dissimilarity to their members, s(i) = (b − a)/max(a, b); s(i) = 0 for a singleton.
  Dissimilarities are the tree's own (its metric), except for Ward, centroid and median,
  which are defined in Euclidean geometry: their ``sqeuclidean`` option changes only the
  reported heights, so their silhouettes use Euclidean distances (squared distances would
  inflate the widths: UN 2018, Ward, k = 2: 0.504 on Euclidean, 0.705 on squared
  distances). Average-width bands: > 0.70 strong, 0.51–0.70 reasonable, 0.26–0.50 weak,
  ≤ 0.25 no substantial structure. Equals R ``cluster::silhouette(cutree(h, k), dist(X))``.
* **Calinski–Harabasz** (1974): CH = [B/(k − 1)] / [W/(n − k)], W = Σ_c Σ_{i∈C_c} ‖x_i − μ_c‖²
  (pooled within SS), B = T − W, T = Σ_i ‖x_i − μ‖². Equals ``fpc::calinhara``.
* **Davies–Bouldin** (1979): S_c = mean ‖x_i − μ_c‖ over C_c, DB = (1/k) Σ_c max_{d≠c}
  (S_c + S_d)/‖μ_c − μ_d‖ (lower is better; as scikit-learn).
* **R²** = 1 − W(k)/T. For Ward it is read off the schedule: W(k) = T − ½·Σ h² over the
  last k − 1 merges (h the ward.D2 heights); for other linkages W(k) is computed from the
  partition.
* **Gap** (Tibshirani, Walther & Hastie 2001): Gap(k) = E*[log W*_k] − log W_k with W_k the
  pooled within SS (i.e. Tibshirani's Σ_r D_r/(2n_r) with squared Euclidean D_r, which is
  ``clusGap(d.power = 2)``'s W times 2 — the factor cancels in the gap), E* estimated from
  B reference sets drawn uniformly over the range of each column (``spaceH0 = "original"``;
  ``"scaledPCA"`` draws in the principal-component box, clusGap's default), each clustered
  by the same linkage and cut at k. s_k = sd(log W*_k)·√(1 + 1/B) with the (B − 1) sd, as
  clusGap. k̂ = the smallest k with Gap(k) ≥ Gap(k + 1) − s_{k+1} (``maxSE(method =
  "Tibs2001SEmax")``); k runs from 1 to the top of the range + 1, so k̂ = 1 means "no
  cluster structure". When the rule holds at no k, clusGap reports the largest k computed;
  here that case (and a k̂ outside the range, such as 1) casts no vote and the vote table
  says so (``vote_note``: ``none_in_range`` or ``no_structure``).
* **Elbow**: c(k) = the schedule coefficient when k clusters remain (for Ward the running
  ESS, c(k) = W(k); otherwise the merge level). The elbow is the k of the range with the
  largest ratio [c(k − 1) − c(k)] / [c(k) − c(k + 1)]: the merge that would take k clusters
  to k − 1 costs most relative to the merge that made k (the "big jump in the
  coefficients" read off an SPSS schedule, made scale-free; a zero denominator counts
  as a ratio of 10¹²).
* **Votes**: each index names its k (max silhouette, max CH, min DB, gap rule, elbow);
  the suggested k is the k within the range with most votes, ties to the smaller k
  (NbClust's majority rule, Charrad et al. 2014). An index whose k falls outside the range
  shows no k (``<NA>``) and a ``vote_note``.

>>> import numpy as np
>>> X = np.array([[0.0], [0.2], [5.0], [5.3]])
>>> s, _ = silhouette_samples(np.abs(X - X.T), np.array([1, 1, 2, 2]))
>>> [round(float(v), 4) for v in s]
[0.9612, 0.9596, 0.9388, 0.9423]
>>> round(calinski_harabasz(X, np.array([1, 1, 2, 2])), 4)
784.6923
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np
import pandas as pd
from scipy.spatial.distance import squareform

from ._parallel import Pool, resample_engine, resample_linkage, shared
from .fastcut import cut_many
from .tree import EUCLIDEAN_ONLY, Tree, linkage_matrix, pairwise

__all__ = ["KSTATS_COLUMNS", "KChoice", "GapResult", "silhouette_samples", "calinski_harabasz",
           "davies_bouldin", "within_ss", "total_ss", "r_squared", "gap_statistic", "gap_rule",
           "elbow_scores", "silhouette_band", "k_statistics", "INDEX_VOTERS", "start_gap",
           "index_table", "choose_k", "k_range_of", "gap_k_max", "silhouette_metric", "VOTE_COLUMNS"]

KSTATS_COLUMNS = ["k", "silhouette", "calinski_harabasz", "davies_bouldin", "r2", "gap", "gap_se"]
INDEX_VOTERS = ("silhouette", "calinski_harabasz", "davies_bouldin", "gap", "elbow")
VOTE_COLUMNS = ["index", "k", "vote_note"]


def silhouette_metric(method: str, metric: str) -> str:
    """The dissimilarity of the silhouettes: Euclidean for Ward, centroid and median (see the
    module docstring), the tree's metric otherwise.

    >>> silhouette_metric("ward", "sqeuclidean"), silhouette_metric("average", "sqeuclidean")
    ('euclidean', 'sqeuclidean')
    """
    return "euclidean" if method in EUCLIDEAN_ONLY else metric


def _onehot(labels: np.ndarray) -> np.ndarray:
    k = int(labels.max())
    return (labels[:, None] == np.arange(1, k + 1)[None, :]).astype(float)


def silhouette_samples(D: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """s(i) and the neighbouring cluster of each unit from a square dissimilarity matrix ``D``
    and labels 1..k (k ≥ 2)."""
    labels = np.asarray(labels, dtype=np.int64)
    H = _onehot(labels)
    sizes = H.sum(axis=0)
    sums = D @ H
    own = labels - 1
    rows = np.arange(len(labels))
    own_size = sizes[own]
    a = np.where(own_size > 1, sums[rows, own] / np.maximum(own_size - 1, 1), 0.0)
    other = sums / sizes
    other[rows, own] = np.inf
    neighbour = other.argmin(axis=1)
    b = other[rows, neighbour]
    denom = np.maximum(a, b)
    s = np.where((own_size > 1) & (denom > 0), (b - a) / np.where(denom > 0, denom, 1.0), 0.0)
    return s, neighbour + 1


def total_ss(X: np.ndarray) -> float:
    Xc = X - X.mean(axis=0)
    return float((Xc ** 2).sum())


def within_ss(X: np.ndarray, labels: np.ndarray) -> float:
    """Pooled within-cluster sum of squares W."""
    H = _onehot(np.asarray(labels, dtype=np.int64))
    Xc = X - X.mean(axis=0)
    sums = H.T @ Xc
    return float((Xc ** 2).sum() - ((sums ** 2).sum(axis=1) / H.sum(axis=0)).sum())


def calinski_harabasz(X: np.ndarray, labels: np.ndarray) -> float:
    n, k = len(labels), int(np.max(labels))
    W = within_ss(X, labels)
    B = total_ss(X) - W
    return float((B / (k - 1)) / (W / (n - k))) if W > 0 else float("inf")


def davies_bouldin(X: np.ndarray, labels: np.ndarray) -> float:
    H = _onehot(np.asarray(labels, dtype=np.int64))
    sizes = H.sum(axis=0)
    centroids = (H.T @ X) / sizes[:, None]
    spread = (H.T @ np.linalg.norm(X - centroids[labels - 1], axis=1)) / sizes
    M = np.linalg.norm(centroids[:, None, :] - centroids[None, :, :], axis=2)
    M[M == 0] = np.inf
    R = (spread[:, None] + spread[None, :]) / M
    np.fill_diagonal(R, -np.inf)
    return float(R.max(axis=1).mean())


def r_squared(X: np.ndarray, tree: Tree, k: int, labels: np.ndarray | None = None) -> float:
    """1 − W(k)/T; for Ward from the schedule (W(k) = T − ½Σ h² of the last k − 1 merges)."""
    T = total_ss(X)
    if tree.method == "ward":
        h = tree.Z[:, 2]
        top = h[len(h) - (k - 1):] if k > 1 else h[:0]
        return float(0.5 * (top ** 2).sum() / T)
    return 1.0 - within_ss(X, labels) / T


@dataclass(frozen=True)
class GapResult:
    table: pd.DataFrame  # k, log_w, e_log_w, gap, se (k = 1..k_max)
    k_best: int  # as clusGap's maxSE: k_max when the rule holds at no k
    B: int
    space: str
    seed: int
    found: bool = True  # the 1-SE rule holds at some k < k_max


def gap_rule(gap: np.ndarray, se: np.ndarray, ks: Sequence[int]) -> tuple[int, bool]:
    """Tibshirani's 1-SE rule: the smallest k with Gap(k) ≥ Gap(k+1) − s_{k+1}, and whether
    the rule holds at some k; when it holds nowhere, the largest k (as clusGap's maxSE) and
    False.

    >>> gap_rule(np.array([0.1, 0.5, 0.55]), np.array([0.1, 0.1, 0.1]), [1, 2, 3])
    (2, True)
    """
    ok = gap[:-1] >= gap[1:] - se[1:]
    return (int(ks[int(np.argmax(ok))]), True) if ok.any() else (int(ks[-1]), False)


def _log_w_all(X: np.ndarray, Z: np.ndarray, ks: Sequence[int]) -> np.ndarray:
    cuts = cut_many(Z, ks)
    return np.log([within_ss(X, cuts[k]) for k in ks])


def _reference(X: np.ndarray, space: str, rng: np.random.Generator) -> np.ndarray:
    mean = X.mean(axis=0)
    Xc = X - mean
    if space == "scaledPCA":
        V = np.linalg.svd(Xc, full_matrices=False)[2].T
        Xc = Xc @ V
    lo, hi = Xc.min(axis=0), Xc.max(axis=0)
    z = rng.uniform(lo, hi, size=Xc.shape)
    return (z @ V.T if space == "scaledPCA" else z) + mean


def _gap_task(task) -> np.ndarray:
    seed_seq, space, method, metric, ks, xkey, engine = task
    ref = _reference(shared(xkey), space, np.random.default_rng(seed_seq))
    return _log_w_all(ref, resample_linkage(ref, method, metric, engine), ks)


def start_gap(pool: Pool, xkey: str, method: str = "ward", metric: str = "euclidean", k_max: int = 8,
              B: int = 100, seed: int = 0, space: str = "original",
              Z: np.ndarray | None = None) -> Callable[[], GapResult]:
    """Start :func:`gap_statistic` on the pool's array ``xkey``; the getter returns the result."""
    if space not in ("original", "scaledPCA"):
        raise ValueError("space must be 'original' or 'scaledPCA'")
    X = shared(xkey)
    ks = list(range(1, k_max + 1))
    seeds = np.random.SeedSequence(seed).spawn(B)
    engine = resample_engine(len(X), method)
    get = pool.map(_gap_task, [(s, space, method, metric, ks, xkey, engine) for s in seeds])

    def result() -> GapResult:
        log_w = _log_w_all(X, linkage_matrix(X, method, metric) if Z is None else Z, ks)
        ref = np.array(get())
        e_log_w = ref.mean(axis=0)
        se = ref.std(axis=0, ddof=1) * np.sqrt(1 + 1 / B) if B > 1 else np.full(len(ks), np.nan)
        gap = e_log_w - log_w
        table = pd.DataFrame({"k": ks, "log_w": log_w, "e_log_w": e_log_w, "gap": gap, "se": se})
        k_best, found = gap_rule(gap, se, ks)
        return GapResult(table, k_best, B, space, seed, found)
    return result


def gap_statistic(X: np.ndarray, method: str = "ward", metric: str = "euclidean", k_max: int = 8,
                  B: int = 100, seed: int = 0, space: str = "original", n_jobs: int = 1,
                  Z: np.ndarray | None = None) -> GapResult:
    """Gap(k) for k = 1..k_max (see the module docstring for the convention)."""
    with Pool(n_jobs, gap_X=np.asarray(X, dtype=float)) as pool:
        return start_gap(pool, "gap_X", method, metric, k_max, B, seed, space, Z)()


def elbow_scores(tree: Tree, ks: Sequence[int]) -> pd.Series:
    """Jump ratio [c(k−1) − c(k)] / [c(k) − c(k+1)] of the schedule coefficient curve."""
    from .schedule import coefficients

    c = coefficients(tree)
    n = tree.n

    def level(k: int) -> float:  # coefficient when k clusters remain (c(n) = 0)
        return float(c[n - k - 1]) if k < n else 0.0

    def ratio(k: int) -> float:
        up, down = level(k - 1) - level(k), level(k) - level(k + 1)
        return up / down if down > 1e-12 * max(1.0, abs(up)) else (1e12 if up > 0 else 0.0)

    return pd.Series({k: ratio(k) for k in ks if 2 <= k < n}, dtype=float)


def silhouette_band(width: float) -> str:
    """Kaufman & Rousseeuw's reading of the average silhouette width."""
    if width > 0.70:
        return "strong"
    if width > 0.50:
        return "reasonable"
    if width > 0.25:
        return "weak"
    return "none"


@dataclass(frozen=True)
class KChoice:
    table: pd.DataFrame  # KSTATS_COLUMNS, one row per k
    votes: pd.DataFrame  # index, k (the k each index names)
    suggested_k: int
    elbow: pd.Series
    gap: GapResult | None


def index_table(X: np.ndarray, tree: Tree, ks: Sequence[int], D: np.ndarray | None = None) -> pd.DataFrame:
    """Silhouette, Calinski–Harabasz, Davies–Bouldin and R² of the tree's cuts at ``ks``."""
    X = np.asarray(X, dtype=float)
    D = squareform(pairwise(X, silhouette_metric(tree.method, tree.metric))) if D is None else D
    cuts = cut_many(tree.Z, ks)
    rows = []
    for k in ks:
        lab = cuts[k]
        rows.append({"k": k, "silhouette": float(silhouette_samples(D, lab)[0].mean()),
                     "calinski_harabasz": calinski_harabasz(X, lab),
                     "davies_bouldin": davies_bouldin(X, lab),
                     "r2": r_squared(X, tree, k, lab)})
    return pd.DataFrame(rows)


def k_range_of(tree: Tree, k_range: tuple[int, int]) -> list[int]:
    lo, hi = k_range
    ks = list(range(lo, min(hi, tree.n - 1) + 1))
    if not ks:
        raise ValueError("empty k range")
    return ks


def gap_k_max(tree: Tree, ks: Sequence[int]) -> int:
    """The gap is computed for k = 1..max(ks) + 1 (the 1-SE rule looks one k ahead)."""
    hi = max(ks)
    return hi + 1 if hi + 1 <= tree.n else hi


def choose_k(table: pd.DataFrame, tree: Tree, k_range: tuple[int, int], gap: GapResult | None) -> KChoice:
    """Add the gap columns to ``table`` (from :func:`index_table`) and take the vote."""
    table = table.copy()
    ks = [int(k) for k in table["k"]]
    lo, hi = k_range[0], ks[-1]
    if gap is not None:
        g = gap.table.set_index("k")
        table["gap"] = [float(g.loc[k, "gap"]) for k in ks]
        table["gap_se"] = [float(g.loc[k, "se"]) for k in ks]
    else:
        table["gap"] = np.nan
        table["gap_se"] = np.nan
    elbow = elbow_scores(tree, ks)
    named = {
        "silhouette": int(table.loc[table["silhouette"].idxmax(), "k"]),
        "calinski_harabasz": int(table.loc[table["calinski_harabasz"].idxmax(), "k"]),
        "davies_bouldin": int(table.loc[table["davies_bouldin"].idxmin(), "k"]),
    }
    notes = {name: "" for name in named}
    if gap is not None:
        in_range = gap.found and lo <= gap.k_best <= hi
        named["gap"] = gap.k_best if in_range else None
        notes["gap"] = "" if in_range else "no_structure" if gap.found and gap.k_best == 1 else "none_in_range"
    if len(elbow):
        named["elbow"] = int(elbow.idxmax())
        notes["elbow"] = ""
    votes = pd.DataFrame({"index": list(named), "k": pd.array(list(named.values()), dtype="Int64"),
                          "vote_note": [notes[n] for n in named]})[VOTE_COLUMNS]
    counts = votes[votes["k"].between(lo, hi).fillna(False)]["k"].astype(int).value_counts()
    best = max(counts) if len(counts) else 0
    suggested = min(k for k, c in counts.items() if c == best) if len(counts) else lo
    return KChoice(table[KSTATS_COLUMNS], votes, int(suggested), elbow, gap)


def k_statistics(X: np.ndarray, tree: Tree, k_range: tuple[int, int] = (2, 8), *, gap_b: int = 100,
                 seed: int = 0, gap_space: str = "original", n_jobs: int = 1,
                 D: np.ndarray | None = None) -> KChoice:
    """All k-choice indices for k in ``k_range`` (inclusive) on the clustered data ``X``."""
    X = np.asarray(X, dtype=float)
    ks = k_range_of(tree, k_range)
    table = index_table(X, tree, ks, D)
    gap = None
    if gap_b and gap_b > 0:
        gap = gap_statistic(X, tree.method, tree.metric, gap_k_max(tree, ks), gap_b, seed, gap_space,
                            n_jobs, Z=tree.Z)
    return choose_k(table, tree, k_range, gap)
