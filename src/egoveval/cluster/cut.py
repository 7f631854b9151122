"""Cutting a tree into k clusters numbered as R's ``cutree`` and SPSS's saved memberships:
by first appearance in case order (the first unit is in cluster 1, the next unit not in
cluster 1 starts cluster 2, …). SciPy's ``fcluster`` numbers differently; this does not
use it. The cut applies the first n − k merges, as ``cutree(k=)`` does.

>>> import numpy as np
>>> from egoveval.cluster.tree import build_tree
>>> t = build_tree(np.array([[5.0], [0.0], [5.1], [0.2]]), list("abcd"))
>>> cut(t, 2).tolist()
[1, 2, 1, 2]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .tree import Tree

__all__ = ["cut", "memberships", "renumber_by_first_appearance"]


def renumber_by_first_appearance(labels) -> np.ndarray:
    mapping: dict = {}
    out = np.empty(len(labels), dtype=int)
    for i, lab in enumerate(labels):
        if lab not in mapping:
            mapping[lab] = len(mapping) + 1
        out[i] = mapping[lab]
    return out


def cut(tree: Tree, k: int) -> np.ndarray:
    n = tree.n
    if not 1 <= k <= n:
        raise ValueError(f"k must be between 1 and {n}")
    parent = list(range(2 * n - 1))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for s in range(n - k):
        a, b = int(tree.Z[s, 0]), int(tree.Z[s, 1])
        parent[find(a)] = n + s
        parent[find(b)] = n + s
    return renumber_by_first_appearance([find(i) for i in range(n)])


def memberships(tree: Tree, ks) -> pd.DataFrame:
    """One column ``k<K>`` per k, rows in case order, indexed by unit id."""
    return pd.DataFrame({f"k{k}": cut(tree, k) for k in ks}, index=pd.Index(tree.labels, name="unit"))
