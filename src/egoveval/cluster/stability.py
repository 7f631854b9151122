"""Stability of a cut: bootstrap Jaccard per cluster beside a null reference, tied merges,
and the partition's dependence on the order of the units.

**Bootstrap Jaccard** (Hennig 2007; R ``fpc::clusterboot(bootmethod = "boot")`` with its
default ``multipleboot = FALSE``): draw n units with replacement, keep the distinct ones
(set S), recluster X[S] with the same linkage and cut at the same k; for each original
cluster C the similarity is max_j J(C ∩ S, D_j) over the new clusters D_j, with
J(A, B) = |A ∩ B| / |A ∪ B| (0 when C ∩ S is empty, ``zerobyzero = 0``). The cluster's
stability is the mean over B resamples. Bands (Hennig 2007; METHODS.md): ≤ 0.5 dissolved,
< 0.6 not trustworthy, 0.6–0.75 doubtful, ≥ 0.75 stable, ≥ 0.85 highly stable.

**Null reference**: the same procedure on data whose columns are permuted independently
(each indicator keeps its values, the association between indicators is destroyed), cut
at the same k. With ~30 units noise alone gives 0.64–0.69 for Ward at k = 4, so a
cluster is credible only when it clearly beats the null. R = ⌈√B⌉ null data sets are
drawn, each with a fresh within-column permutation, clustered at k and bootstrapped with
B₀ = ⌈B/R⌉ resamples (≈ B + R trees, the cost of one clusterboot); each of the R·k noise
clusters gets its mean Jaccard over its B₀ resamples. ``null_jaccard_mean`` is the mean
of these R·k values and ``null_jaccard_p05`` / ``null_jaccard_p95`` their 5th and 95th
percentiles (linear interpolation): the range of stabilities that noise clusters reach.
The null's clusters do not correspond to the real ones, so the reference is one value
and one range for all clusters. Because B₀ < B, the range also carries more resampling
noise than a real cluster's mean over B resamples: it is a conservative (wide) band.
Permuting columns keeps each indicator's distribution: when clusters separate along few
indicators, the permuted data keep their multimodal margins and are themselves clustered
(three synthetic blobs in 6 dimensions: null mean ≈ 0.89), which makes the reference
stricter still. On structureless synthetic data the null mean equals the clusters' own
mean Jaccard (0.616 vs 0.613 over six noise sets, tested).

**Tied merges**: the agglomeration is replayed with the Lance–Williams update of the
linkage (Lance & Williams 1967) along the merges actually made; at each stage the number
of pairs of current clusters whose merge cost is within ``rtol``·|cost| (+``atol``) of the
minimum is counted. More than one such pair means another merge was equally good and the
result depends on the order of the units (IBM documents this for SPSS). The replay costs
O(n³); above ``exact_limit`` units only equal merge levels in the schedule are flagged.

**Order stability**: the units are shuffled P times, reclustered and cut at k; reported
are the share of shuffles whose partition differs from the original (up to renumbering)
and the range of the adjusted Rand index (Hubert & Arabie 1985) against the original.

**Engines.** The bootstrap and null trees are built as described in :mod:`._parallel`
(SciPy up to 1,000 units, fastcluster above when installed); the unit-order check
always uses SciPy, the engine of the study's tree.

>>> jaccard_max(np.array([1, 1, 2, 2]), np.array([1, 1, 1, 2]), 2)
array([0.66666667, 0.5       ])
>>> stability_band(0.8)
'stable'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd
from scipy.spatial.distance import squareform

from ._parallel import Pool, resample_engine, resample_linkage, shared
from .fastcut import cut_many
from .tree import Tree, linkage_matrix, pairwise

__all__ = ["Bootstrap", "NullReference", "OrderStability", "STABILITY_COLUMNS", "NULL_COLUMNS", "BANDS",
           "stability_band", "jaccard_max", "clusterboot", "null_clusterboot", "null_design", "permute_columns",
           "tied_merges", "adjusted_rand", "order_stability", "start_clusterboot", "start_null_clusterboot",
           "start_order_stability"]

STABILITY_COLUMNS = ["cluster", "size", "jaccard_mean", "band", "null_jaccard_mean"]
NULL_COLUMNS = ["null_sets", "null_resamples", "null_clusters", "jaccard_mean", "jaccard_p05", "jaccard_p50",
                "jaccard_p95"]
BANDS = ("dissolved", "not_trustworthy", "doubtful", "stable", "highly_stable")


def stability_band(j: float) -> str:
    if j <= 0.5:
        return "dissolved"
    if j < 0.6:
        return "not_trustworthy"
    if j < 0.75:
        return "doubtful"
    if j < 0.85:
        return "stable"
    return "highly_stable"


def jaccard_max(original: np.ndarray, new: np.ndarray, k: int) -> np.ndarray:
    """For each original cluster 1..k, the best Jaccard similarity with a cluster of ``new``
    (both label vectors over the same units)."""
    kn = int(new.max())
    C = np.zeros((k, kn))
    np.add.at(C, (original - 1, new - 1), 1.0)
    a = C.sum(axis=1, keepdims=True)
    b = C.sum(axis=0, keepdims=True)
    union = a + b - C
    J = np.divide(C, union, out=np.zeros_like(C), where=union > 0)
    return J.max(axis=1)


@dataclass(frozen=True)
class NullReference:
    """Mean Jaccard of each noise cluster: ``jaccard[r, c]`` for null data set r (a fresh
    within-column permutation) and its cluster c, over ``resamples`` bootstrap resamples."""

    jaccard: np.ndarray  # sets × k
    resamples: int

    @property
    def values(self) -> np.ndarray:
        return self.jaccard.ravel()

    @property
    def mean(self) -> float:
        return float(self.values.mean())

    def percentile(self, q: float) -> float:
        return float(np.percentile(self.values, q))

    def table(self) -> pd.DataFrame:
        """One row: the design and the distribution of the noise clusters' stabilities."""
        sets, k = self.jaccard.shape
        return pd.DataFrame([{"null_sets": sets, "null_resamples": self.resamples, "null_clusters": sets * k,
                              "jaccard_mean": self.mean, "jaccard_p05": self.percentile(5),
                              "jaccard_p50": self.percentile(50), "jaccard_p95": self.percentile(95)}])[NULL_COLUMNS]


@dataclass(frozen=True)
class Bootstrap:
    jaccard: np.ndarray  # B × k
    labels: np.ndarray  # the partition assessed (1..k, case order)
    B: int
    seed: int

    @property
    def means(self) -> np.ndarray:
        return self.jaccard.mean(axis=0)

    @property
    def dissolved(self) -> np.ndarray:
        """How often each cluster was dissolved (Jaccard ≤ 0.5), as clusterboot's bootbrd."""
        return (self.jaccard <= 0.5).sum(axis=0)

    def table(self, null: NullReference | None = None) -> pd.DataFrame:
        """:data:`STABILITY_COLUMNS`, and with a null also ``null_jaccard_p05`` / ``_p95``."""
        k = self.jaccard.shape[1]
        sizes = np.bincount(self.labels, minlength=k + 1)[1:]
        out = pd.DataFrame({"cluster": np.arange(1, k + 1), "size": sizes,
                            "jaccard_mean": self.means,
                            "band": [stability_band(j) for j in self.means],
                            "null_jaccard_mean": null.mean if null is not None else np.nan})[STABILITY_COLUMNS]
        if null is not None:
            out["null_jaccard_p05"] = null.percentile(5)
            out["null_jaccard_p95"] = null.percentile(95)
        return out


def _resample_jaccard(X: np.ndarray, labels: np.ndarray, idx: np.ndarray, method: str, metric: str,
                      k: int, engine: str) -> np.ndarray:
    """One clusterboot step: the tree grown on the resample ``X[idx]`` (unique rows) cut at k
    (at fewer when the resample has fewer rows), and for each cluster 1..k of ``labels`` its
    best Jaccard with a cluster of that cut (:func:`jaccard_max`, on the resampled units)."""
    kk = min(k, len(idx))
    new = cut_many(resample_linkage(X[idx], method, metric, engine), [kk])[kk]
    return jaccard_max(labels[idx], new, k)


def _boot_task(task) -> np.ndarray:
    idx, method, metric, k, xkey, lkey, engine = task
    return _resample_jaccard(shared(xkey), shared(lkey), idx, method, metric, k, engine)


def start_clusterboot(pool: Pool, xkey: str, lkey: str, method: str = "ward", metric: str = "euclidean",
                      B: int = 200, seed: int = 0) -> Callable[[], Bootstrap]:
    """Start :func:`clusterboot` on the pool's arrays ``xkey`` (data) and ``lkey`` (labels 1..k);
    the getter returns the :class:`Bootstrap`."""
    labels = shared(lkey)
    n, k = len(labels), int(labels.max())
    rng = np.random.default_rng(seed)
    engine = resample_engine(n, method)
    tasks = [(np.unique(rng.integers(0, n, n)), method, metric, k, xkey, lkey, engine) for _ in range(B)]
    get = pool.map(_boot_task, tasks)
    return lambda: Bootstrap(np.array(get()).reshape(B, k), labels, B, seed)


def clusterboot(X: np.ndarray, labels: np.ndarray, method: str = "ward", metric: str = "euclidean",
                B: int = 200, seed: int = 0, n_jobs: int = 1) -> Bootstrap:
    """Bootstrap Jaccard of each cluster of ``labels`` (1..k), as ``fpc::clusterboot``."""
    X = np.asarray(X, dtype=float)
    labels = np.asarray(labels, dtype=np.int64)
    with Pool(n_jobs, boot_X=X, boot_labels=labels) as pool:
        return start_clusterboot(pool, "boot_X", "boot_labels", method, metric, B, seed)()


def permute_columns(X: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Each column shuffled independently (the null of no association between indicators)."""
    return np.column_stack([rng.permutation(col) for col in np.asarray(X, dtype=float).T])


def null_design(B: int) -> tuple[int, int]:
    """(R, B₀): R = ⌈√B⌉ null data sets with B₀ = ⌈B/R⌉ resamples each.

    >>> null_design(200), null_design(20), null_design(1)
    ((15, 14), (5, 4), (1, 1))
    """
    sets = max(1, int(np.ceil(np.sqrt(B))))
    return sets, max(1, int(np.ceil(B / sets)))


def _null_task(task) -> np.ndarray:
    seed_seq, resamples, method, metric, k, xkey, engine = task
    rng = np.random.default_rng(seed_seq)
    Xn = permute_columns(shared(xkey), rng)
    n = len(Xn)
    labels = cut_many(resample_linkage(Xn, method, metric, engine), [k])[k]
    J = np.zeros(k)
    for _ in range(resamples):
        J += _resample_jaccard(Xn, labels, np.unique(rng.integers(0, n, n)), method, metric, k, engine)
    return J / resamples


def start_null_clusterboot(pool: Pool, xkey: str, k: int, method: str = "ward", metric: str = "euclidean",
                           B: int = 200, seed: int = 0) -> Callable[[], NullReference]:
    """Start the null reference (module docstring) on the pool's array ``xkey``: R data sets,
    each a task with its own random stream (``SeedSequence([seed, 1]).spawn(R)``)."""
    sets, resamples = null_design(B)
    engine = resample_engine(len(shared(xkey)), method)
    seeds = np.random.SeedSequence([seed, 1]).spawn(sets)
    get = pool.map(_null_task, [(s, resamples, method, metric, k, xkey, engine) for s in seeds])
    return lambda: NullReference(np.array(get()).reshape(sets, k), resamples)


def null_clusterboot(X: np.ndarray, k: int, method: str = "ward", metric: str = "euclidean",
                     B: int = 200, seed: int = 0, n_jobs: int = 1) -> NullReference:
    """The null reference: clusterboot of noise clusters in column-permuted data cut at k."""
    with Pool(n_jobs, null_X=np.asarray(X, dtype=float)) as pool:
        return start_null_clusterboot(pool, "null_X", k, method, metric, B, seed)()


# --- ties -------------------------------------------------------------------------------

def _initial_costs(X: np.ndarray, method: str, metric: str) -> np.ndarray:
    if method in ("ward", "centroid", "median"):
        return squareform(pairwise(X, "sqeuclidean"))
    return squareform(pairwise(X, metric))


def _lance_williams(method, dki, dkj, dij, ni, nj, nk):
    if method == "single":
        return np.minimum(dki, dkj)
    if method == "complete":
        return np.maximum(dki, dkj)
    if method == "average":
        return (ni * dki + nj * dkj) / (ni + nj)
    if method == "ward":  # on squared distances (= 2ΔESS)
        return ((ni + nk) * dki + (nj + nk) * dkj - nk * dij) / (ni + nj + nk)
    if method == "centroid":
        return (ni * dki + nj * dkj) / (ni + nj) - ni * nj * dij / (ni + nj) ** 2
    if method == "median":
        return 0.5 * dki + 0.5 * dkj - 0.25 * dij
    raise ValueError(method)


def _candidates_exact(X: np.ndarray, tree: Tree, rtol: float, atol: float) -> np.ndarray:
    n = tree.n
    M = _initial_costs(X, tree.method, tree.metric).astype(float)
    np.fill_diagonal(M, np.inf)
    size = np.ones(n)
    slot = {i: i for i in range(n)}
    counts = np.zeros(n - 1, dtype=int)
    for s, (a, b) in enumerate(tree.Z[:, :2].astype(int)):
        i, j = slot.pop(a), slot.pop(b)
        m = M.min()
        thr = m + max(atol, rtol * abs(m))
        counts[s] = int((M <= thr).sum() // 2)
        dij = M[i, j]
        new = _lance_williams(tree.method, M[:, i], M[:, j], dij, size[i], size[j], size)
        M[:, i] = new
        M[i, :] = new
        M[i, i] = np.inf
        M[:, j] = np.inf
        M[j, :] = np.inf
        size[i] += size[j]
        slot[n + s] = i
    return counts


def tied_merges(X: np.ndarray, tree: Tree, rtol: float = 1e-8, atol: float = 1e-12,
                exact_limit: int = 1000) -> pd.DataFrame:
    """The SPSS schedule with ``candidates`` (pairs at the minimal merge cost at that stage;
    NaN when not replayed) and ``tied`` (another merge was equally good)."""
    from .schedule import spss_schedule

    sched = spss_schedule(tree)
    if tree.n <= exact_limit:
        cand = _candidates_exact(np.asarray(X, dtype=float), tree, rtol, atol)
        sched["candidates"] = cand
        sched["tied"] = cand > 1
    else:
        h = tree.Z[:, 2]
        tol = np.maximum(atol, rtol * np.abs(h))
        same_prev = np.r_[False, np.abs(np.diff(h)) <= tol[1:]]
        same_next = np.r_[same_prev[1:], False]
        sched["candidates"] = np.nan
        sched["tied"] = same_prev | same_next
    return sched


# --- order of the units ------------------------------------------------------------------

def adjusted_rand(a: np.ndarray, b: np.ndarray) -> float:
    """Adjusted Rand index (Hubert & Arabie 1985) of two labelings 1..k."""
    C = np.zeros((int(a.max()), int(b.max())))
    np.add.at(C, (a - 1, b - 1), 1.0)

    def comb2(x):
        return (x * (x - 1) / 2.0).sum()

    n = len(a)
    index, ra, rb = comb2(C), comb2(C.sum(axis=1)), comb2(C.sum(axis=0))
    expected = ra * rb / (n * (n - 1) / 2.0)
    maximum = (ra + rb) / 2.0
    return 1.0 if maximum == expected else float((index - expected) / (maximum - expected))


@dataclass(frozen=True)
class OrderStability:
    ari: np.ndarray  # one value per permutation
    changed: np.ndarray  # bool per permutation
    P: int
    seed: int

    @property
    def share_changed(self) -> float:
        return float(self.changed.mean()) if self.P else float("nan")

    @property
    def ari_range(self) -> tuple[float, float]:
        return (float(self.ari.min()), float(self.ari.max())) if self.P else (np.nan, np.nan)


def _order_task(task) -> tuple[float, bool]:
    perm, method, metric, k, xkey, lkey = task
    from .fastcut import first_appearance

    X, labels = shared(xkey), shared(lkey)
    lab = cut_many(linkage_matrix(X[perm], method, metric), [k])[k]
    out = np.empty_like(lab)
    out[perm] = lab
    return adjusted_rand(labels, out), not np.array_equal(first_appearance(out), labels)


def start_order_stability(pool: Pool, xkey: str, lkey: str, method: str = "ward",
                          metric: str = "euclidean", P: int = 100,
                          seed: int = 0) -> Callable[[], OrderStability]:
    """Start :func:`order_stability` on the pool's arrays; the getter returns the result."""
    labels = shared(lkey)
    k = int(labels.max())
    rng = np.random.default_rng([seed, 2])
    tasks = [(rng.permutation(len(labels)), method, metric, k, xkey, lkey) for _ in range(P)]
    get = pool.map(_order_task, tasks)

    def result() -> OrderStability:
        res = get()
        ari = np.array([r[0] for r in res], dtype=float)
        changed = np.array([r[1] for r in res], dtype=bool)
        return OrderStability(ari, changed, P, seed)
    return result


def order_stability(X: np.ndarray, labels: np.ndarray, method: str = "ward",
                    metric: str = "euclidean", P: int = 100, seed: int = 0,
                    n_jobs: int = 1) -> OrderStability:
    """Recluster under P random orders of the units and compare with ``labels``."""
    X = np.asarray(X, dtype=float)
    labels = np.asarray(labels, dtype=np.int64)
    with Pool(n_jobs, order_X=X, order_labels=labels) as pool:
        return start_order_stability(pool, "order_X", "order_labels", method, metric, P, seed)()
