"""Development types: clusters ordered by overall level and labelled.

Overall level of cluster c = mean over indicators j of d_j · z̄_cj, where z̄_cj is the
cluster's mean standardised value and d_j the indicator's direction (+1 higher is
better, −1 lower is better). For k = 4 the source study's labels apply, highest
level first: 引领开拓型 (leading and pioneering), 稳健进取型 (steady and
enterprising), 稳步推进型 (steadily advancing), 相对滞后型 (relatively lagging).
For other k a ranked scheme is used; labels can be overridden in the study file.

>>> import pandas as pd
>>> means = pd.DataFrame({"x": [0.5, -1.0, 1.2]}, index=[1, 2, 3])
>>> t = type_clusters(means, {"x": 1})
>>> t[["cluster", "rank", "label_en"]].values.tolist()
[[3, 1, 'Level 1 of 3 (highest)'], [1, 2, 'Level 2 of 3'], [2, 3, 'Level 3 of 3 (lowest)']]
"""

from __future__ import annotations

from typing import Mapping, Sequence

import pandas as pd

from ..messages import text

__all__ = ["type_clusters", "default_labels"]


def default_labels(k: int) -> list[tuple[str, str]]:
    """(zh, en) labels, highest level first."""
    if k == 4:
        return [(text(f"types.k4.{r}", "zh"), text(f"types.k4.{r}", "en")) for r in range(1, 5)]
    labels = []
    for r in range(1, k + 1):
        key = "types.ranked.top" if r == 1 else "types.ranked.bottom" if r == k else "types.ranked.middle"
        labels.append((text(key, "zh", rank=r, k=k), text(key, "en", rank=r, k=k)))
    return labels


def type_clusters(standardized_means: pd.DataFrame, directions: Mapping[str, int],
                  labels: Sequence[Sequence[str]] | Sequence[str] | None = None) -> pd.DataFrame:
    """One row per cluster: cluster, overall level, rank (1 = highest), label_zh, label_en.

    ``standardized_means`` has one row per cluster (the ``overall`` row, if any, is
    ignored). ``labels`` overrides the defaults, highest first: a list of strings
    (used for both languages) or of (zh, en) pairs.
    """
    means = standardized_means.drop(index="overall", errors="ignore")
    signs = pd.Series({c: directions.get(c, 1) for c in means.columns})
    level = (means * signs).mean(axis=1)
    # ties keep cluster order so the ranking is deterministic
    order = sorted(level.index, key=lambda c: (-round(float(level[c]), 12), int(c)))
    k = len(order)
    if labels is None:
        chosen = default_labels(k)
    else:
        if len(labels) != k:
            raise ValueError(f"{len(labels)} type labels given for {k} clusters")
        chosen = [(lab, lab) if isinstance(lab, str) else (lab[0], lab[1]) for lab in labels]
    rows = [{"cluster": int(c), "level": float(level[c]), "rank": r,
             "label_zh": chosen[r - 1][0], "label_en": chosen[r - 1][1]}
            for r, c in enumerate(order, start=1)]
    return pd.DataFrame(rows)
