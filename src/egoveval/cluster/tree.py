"""Agglomerative trees.

Ward's merge cost is the increase of the within-cluster error sum of squares,
ΔESS(A,B) = |A||B|/(|A|+|B|)·‖μ_A − μ_B‖² (Ward 1963). SciPy's ``linkage(X, "ward")``
reports the height √(2·ΔESS), exactly as R's ``hclust(dist(X), "ward.D2")``
(Murtagh & Legendre 2014), so those heights are kept as the tree's heights.

>>> import numpy as np
>>> t = build_tree(np.array([[0.0], [1.0], [5.0]]), ["a", "b", "c"])
>>> [round(float(h), 6) for h in heights(t)]
[1.0, 5.196152]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.cluster.hierarchy import linkage

__all__ = ["Tree", "build_tree", "heights", "to_r_merge", "METHODS", "METRICS"]

METHODS = ("ward", "average", "complete", "single", "centroid", "median")
METRICS = ("euclidean", "sqeuclidean", "manhattan", "chebyshev", "correlation")


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


def build_tree(X: np.ndarray, labels, method: str = "ward", metric: str = "euclidean") -> Tree:
    """Cluster the rows of ``X`` (already standardised)."""
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] < 2:
        raise ValueError("need at least two units to cluster")
    if method not in METHODS:
        raise ValueError(f"unknown linkage {method!r}")
    if method == "ward" and metric != "euclidean":
        raise ValueError("Ward's method needs Euclidean distances")
    if method in ("ward", "centroid", "median"):
        Z = linkage(X, method=method, metric="euclidean")
    else:
        from scipy.spatial.distance import pdist

        scipy_metric = {"manhattan": "cityblock"}.get(metric, metric)
        Z = linkage(pdist(X, metric=scipy_metric), method=method)
    return Tree(Z, tuple(str(x) for x in labels), method, metric)


def heights(tree: Tree) -> np.ndarray:
    """Merge heights in stage order (R ``hclust$height`` for ward.D2)."""
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
