"""Agglomerative trees: six linkages, five distances.

Ward's merge cost is the increase of the within-cluster error sum of squares,
ΔESS(A,B) = |A||B|/(|A|+|B|)·‖μ_A − μ_B‖² (Ward 1963). SciPy's ``linkage(X, "ward")``
reports the height √(2·ΔESS), exactly as R's ``hclust(dist(X), "ward.D2")``
(Murtagh & Legendre 2014), so those heights are kept as the tree's heights.

Linkages (Lance & Williams 1967; Everitt et al. 2011, ch. 4), with d the chosen distance:

========= ============================================= ===================================
method    merge level of clusters A and B                R equivalent (same merges, heights)
========= ============================================= ===================================
ward      √(2·ΔESS(A,B)) (Euclidean geometry)            ``hclust(dist(X), "ward.D2")``
average   mean of d(a,b) over a∈A, b∈B (UPGMA; SPSS's    ``hclust(d, "average")``
          "between-groups linkage")
complete  max d(a,b)                                     ``hclust(d, "complete")``
single    min d(a,b)                                     ``hclust(d, "single")``
centroid  ‖μ_A − μ_B‖ (Euclidean) or its square          ``hclust(dist(X)^2, "centroid")``
median    ‖m_A − m_B‖, m the midpoint of the two         ``hclust(dist(X)^2, "median")``
          children's m (Gower 1967), or its square
========= ============================================= ===================================

Ward, centroid and median are defined in Euclidean geometry; they accept only
``euclidean`` or ``sqeuclidean`` (anything else is an :class:`~egoveval.errors.InputError`).
R's ``centroid``/``median`` apply the Lance–Williams update to whatever they are given
and are only geometrically meaningful on *squared* Euclidean distances; their heights
are then squared centroid distances. Here ``metric="euclidean"`` reports the centroid
distance itself (SciPy's convention) and ``metric="sqeuclidean"`` its square (R's
``hclust(dist(X)^2, ...)`` and SPSS's default squared Euclidean interval); the merges
are the same. For Ward both metrics give the same tree and the ward.D2 heights (SPSS
runs Ward on squared Euclidean distances and reports the running ESS, see
:mod:`.schedule`). For average, complete and single, ``sqeuclidean`` really clusters on
squared distances (average linkage then gives a different tree).

>>> import numpy as np
>>> t = build_tree(np.array([[0.0], [1.0], [5.0]]), ["a", "b", "c"])
>>> [round(float(h), 6) for h in heights(t)]
[1.0, 5.196152]
>>> [round(float(h), 6) for h in heights(build_tree(np.array([[0.0], [1.0], [5.0]]), "abc", "centroid", "sqeuclidean"))]
[1.0, 20.25]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import linkage
from scipy.spatial.distance import pdist

from ..errors import InputError, Problem

__all__ = ["Tree", "build_tree", "heights", "to_r_merge", "linkage_matrix", "pairwise",
           "check_method", "method_names", "metric_names", "METHODS", "METRICS", "EUCLIDEAN_ONLY"]

METHODS = ("ward", "average", "complete", "single", "centroid", "median")
METRICS = ("euclidean", "sqeuclidean", "manhattan", "chebyshev", "correlation")
EUCLIDEAN_ONLY = ("ward", "centroid", "median")
_SCIPY_METRIC = {"manhattan": "cityblock"}


@dataclass(frozen=True)
class Tree:
    """A SciPy linkage matrix ``Z`` with its units. ``labels`` are unit ids in case order."""

    Z: np.ndarray
    labels: tuple[str, ...]
    method: str = "ward"
    metric: str = "euclidean"

    @property
    def n(self) -> int:
        return len(self.labels)


def method_names(method: str) -> dict[str, str]:
    """``method_zh`` / ``method_en``: the linkage's name in both languages, as message parameters.

    >>> method_names("average")["method_en"]
    'average (between-groups) linkage'
    """
    from ..messages import text

    return {f"method_{lang}": text(f"cluster.method.{method}", lang) for lang in ("zh", "en")}


def metric_names(metric: str) -> dict[str, str]:
    """``metric_zh`` / ``metric_en``: the distance's name in both languages."""
    from ..messages import text

    return {f"metric_{lang}": text(f"cluster.distance.{metric}", lang) for lang in ("zh", "en")}


def check_method(method: str, metric: str) -> None:
    """Raise an :class:`InputError` (bilingual) for an unknown or incompatible method/metric."""
    problems = []
    if method not in METHODS:
        problems.append(Problem.of("cluster.unknown_method", column="--method", value=method,
                                   choices=", ".join(METHODS)))
    if metric not in METRICS:
        problems.append(Problem.of("cluster.unknown_metric", column="--metric", value=metric,
                                   choices=", ".join(METRICS)))
    if not problems and method in EUCLIDEAN_ONLY and metric not in ("euclidean", "sqeuclidean"):
        problems.append(Problem.of("cluster.method_needs_euclidean", column="--metric",
                                   value=metric, **method_names(method)))
    if problems:
        raise InputError(problems)


def pairwise(X: np.ndarray, metric: str = "euclidean") -> np.ndarray:
    """Condensed distance vector of the rows of ``X`` (as SciPy ``pdist``; R ``dist``)."""
    d = pdist(np.asarray(X, dtype=float), metric=_SCIPY_METRIC.get(metric, metric))
    if not np.all(np.isfinite(d)):
        raise InputError([Problem.of("cluster.distance_undefined", column="--metric", value=metric)])
    return d


def linkage_matrix(X: np.ndarray, method: str = "ward", metric: str = "euclidean") -> np.ndarray:
    """The kernel: SciPy linkage matrix of the rows of ``X`` with the heights documented above."""
    X = np.asarray(X, dtype=float)
    if method in EUCLIDEAN_ONLY:
        Z = linkage(X, method=method, metric="euclidean")
        if method != "ward" and metric == "sqeuclidean":
            Z[:, 2] = Z[:, 2] ** 2
        return Z
    return linkage(pairwise(X, metric), method=method)


def build_tree(X: np.ndarray, labels, method: str = "ward", metric: str = "euclidean") -> Tree:
    """Cluster the rows of ``X`` (already standardised)."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] < 2:
        raise ValueError("need at least two units to cluster")
    check_method(method, metric)
    return Tree(linkage_matrix(X, method, metric), tuple(str(x) for x in labels), method, metric)


def heights(tree: Tree) -> np.ndarray:
    """Merge heights in stage order (R ``hclust$height``; see the table above)."""
    return tree.Z[:, 2].copy()


def to_r_merge(tree: Tree) -> np.ndarray:
    """The merge matrix in R's ``hclust$merge`` convention.

    Singletons are −(case number), earlier stages +stage; in each row a singleton
    comes first, two singletons in increasing order, two clusters by stage.
    """
    n = tree.n
    merge = np.zeros((n - 1, 2), dtype=int)
    for s, (a, b) in enumerate(tree.Z[:, :2].astype(int)):
        pair = [-(a + 1) if a < n else a - n + 1, -(b + 1) if b < n else b - n + 1]
        if pair[0] < 0 and pair[1] < 0:
            pair.sort(reverse=True)
        elif pair[0] > 0 and pair[1] > 0:
            pair.sort()
        elif pair[0] > 0:
            pair.reverse()
        merge[s] = pair
    return merge
