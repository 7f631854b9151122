"""The SPSS agglomeration schedule.

Columns: Stage; Cluster Combined (``cluster_1`` < ``cluster_2``; a cluster is named by
the 1-based case number of its smallest member); Coefficients; Stage Cluster First
Appears (the stage at which each combined cluster was formed, 0 for a single case);
Next Stage (the stage at which the new cluster is merged again, 0 at the end).

For Ward's method SPSS's coefficient is the running within-cluster sum of squares,
C_s = Σ_{t≤s} ΔESS_t = Σ_{t≤s} h_t²/2 with h the ward.D2 heights; with z-scores the
last coefficient equals (n − 1)·p. For the other linkages the coefficient is the
merge level itself (the distance or dissimilarity at which the clusters join).

>>> import numpy as np
>>> from egoveval.cluster.tree import build_tree
>>> s = spss_schedule(build_tree(np.array([[0.0], [1.0], [5.0]]), list("abc")))
>>> s[["stage", "cluster_1", "cluster_2", "first_appears_1", "first_appears_2", "next_stage"]].values.tolist()
[[1, 1, 2, 0, 0, 2], [2, 1, 3, 1, 0, 0]]
>>> s["coefficient"].round(6).tolist()
[0.5, 14.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .tree import Tree

__all__ = ["spss_schedule", "coefficients", "SCHEDULE_COLUMNS"]

SCHEDULE_COLUMNS = ["stage", "cluster_1", "cluster_2", "coefficient", "first_appears_1",
                    "first_appears_2", "next_stage"]


def coefficients(tree: Tree) -> np.ndarray:
    h = tree.Z[:, 2]
    if tree.method == "ward":
        return np.cumsum(h ** 2 / 2.0)
    return h.copy()


def spss_schedule(tree: Tree) -> pd.DataFrame:
    n = tree.n
    smallest = list(range(1, n + 1)) + [0] * (n - 1)  # case number naming each node
    formed_at = [0] * n + list(range(1, n))  # stage at which each node was formed
    rows = []
    merged_in: dict[int, int] = {}
    coef = coefficients(tree)
    for s, (a, b) in enumerate(tree.Z[:, :2].astype(int), start=1):
        node = n + s - 1
        smallest[node] = min(smallest[a], smallest[b])
        first, second = sorted((a, b), key=lambda x: smallest[x])
        merged_in[first] = merged_in[second] = s
        rows.append([s, smallest[first], smallest[second], coef[s - 1], formed_at[first],
                     formed_at[second], node])
    for row in rows:
        row[6] = merged_in.get(row[6], 0)
    frame = pd.DataFrame(rows, columns=SCHEDULE_COLUMNS)
    return frame.astype({c: int for c in SCHEDULE_COLUMNS if c != "coefficient"})
