"""The dendrogram as SPSS draws it: horizontal, unit names on the left, merge levels
rescaled to 0–25 ("Rescaled Distance Cluster Combine"), with the cut at k and the
clusters coloured.

SPSS rescales the merge levels linearly so that the last merge is at 25; for Ward
we rescale the schedule coefficients (the running within-cluster SS), for other
linkages the merge heights: x = 25 · c_s / c_{n−1}.

Beyond ``MAX_LABELLED_LEAVES`` units (a city survey has 337) a leaf per unit would make the
figure metres tall, so the tree is drawn truncated to its last ``TRUNCATED_LEAVES`` clusters
(SciPy ``truncate_mode="lastp"``, as R's ``cut(as.dendrogram(h), h)$upper``), each leaf
labelled with its number of units in parentheses; the membership table lists every unit.
"""

from __future__ import annotations

from functools import partial
from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from scipy.cluster.hierarchy import dendrogram

from ..messages import in_lang
from ..report.fonts import figure_style, render
from .cut import cut
from .schedule import coefficients
from .tree import Tree, method_names

__all__ = ["dendrogram_figure", "CLUSTER_COLOURS", "rescaled_levels"]

CLUSTER_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2",
                   "#17becf", "#bcbd22", "#7f7f7f")


#: Above this many units the dendrogram is truncated (see the module docstring).
MAX_LABELLED_LEAVES = 80
TRUNCATED_LEAVES = 30


def rescaled_levels(tree: Tree) -> np.ndarray:
    c = coefficients(tree)
    top = c[-1] if c[-1] > 0 else 1.0
    return 25.0 * c / top


_label = partial(in_lang, sep="\n")  # a catalogue text in the figure's language (both: two lines)


def dendrogram_figure(tree: Tree, names: Sequence[str], k: int | None = None,
                      lang: str = "both") -> tuple[bytes, bytes]:
    n = tree.n
    Z = tree.Z.copy()
    Z[:, 2] = np.maximum.accumulate(rescaled_levels(tree))  # monotone for drawing
    membership = cut(tree, k) if k else np.ones(n, dtype=int)
    # node id → cluster if all its leaves share one, else None
    node_cluster: dict[int, int | None] = {i: int(membership[i]) for i in range(n)}
    for s, (a, b) in enumerate(Z[:, :2].astype(int)):
        ca, cb = node_cluster[a], node_cluster[b]
        node_cluster[n + s] = ca if ca is not None and ca == cb else None

    def colour(node: int) -> str:
        c = node_cluster.get(node)
        return CLUSTER_COLOURS[(c - 1) % len(CLUSTER_COLOURS)] if (c is not None and k) else "#555555"

    with figure_style():
        leaves = n if n <= MAX_LABELLED_LEAVES else max(TRUNCATED_LEAVES, k or 0)
        truncated = {} if leaves == n else {"truncate_mode": "lastp", "p": leaves, "show_leaf_counts": True}
        fig, ax = plt.subplots(figsize=(8, max(4.0, 0.28 * leaves + 1.5)))
        drawn = dendrogram(Z, orientation="right", labels=list(names), ax=ax, link_color_func=colour,
                           leaf_font_size=9, **truncated)
        ax.set_xlim(-0.5, 26)
        ax.set_xticks(range(0, 26, 5))
        ax.set_xlabel(_label("figure.dendrogram.axis", lang))
        ax.set_title(_label("figure.dendrogram", lang, **method_names(tree.method)), fontsize=11)
        if k and 1 < k <= n:
            lo, hi = Z[n - k - 1, 2], Z[n - k, 2]
            x = (lo + hi) / 2
            ax.axvline(x, color="#999999", linestyle="--", linewidth=1)
            ax.text(x, ax.get_ylim()[1], " " + _label("figure.dendrogram.cut", lang, k=k).replace("\n", "\n "),
                    va="top", ha="left", fontsize=8, color="#666666")
            for lbl, idx in zip(ax.get_ymajorticklabels(), drawn["leaves"]):
                lbl.set_color(CLUSTER_COLOURS[((node_cluster[idx] or 1) - 1) % len(CLUSTER_COLOURS)])
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        fig.tight_layout()
        return render(fig)
