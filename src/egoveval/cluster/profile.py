"""Cluster profiles (the study's Tables 3 and 4): sizes, members and means per cluster.

>>> import pandas as pd
>>> q = pd.DataFrame({"x": [1.0, 3.0, 10.0]}, index=["a", "b", "c"])
>>> p = profile(q, q, pd.Series([1, 1, 2], index=q.index))
>>> p.means_quantified["x"].tolist()
[2.0, 10.0, 4.666666666666667]
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

__all__ = ["Profile", "profile"]


@dataclass(frozen=True)
class Profile:
    sizes: pd.DataFrame  # cluster, size, members (unit ids in case order)
    means_quantified: pd.DataFrame  # index: 1..k then "overall"
    means_standardized: pd.DataFrame


def _means(data: pd.DataFrame, membership: pd.Series) -> pd.DataFrame:
    by = data.groupby(membership.reindex(data.index).to_numpy()).mean()
    by.index = [int(i) for i in by.index]
    overall = data.mean().to_frame().T
    overall.index = ["overall"]
    out = pd.concat([by, overall])
    out.index.name = "cluster"
    return out


def profile(quantified: pd.DataFrame, standardized: pd.DataFrame, membership: pd.Series) -> Profile:
    groups = membership.groupby(membership.to_numpy())
    sizes = pd.DataFrame({
        "cluster": [int(c) for c in groups.groups],
        "size": [len(v) for v in groups.groups.values()],
        "members": [list(membership.index[membership == c]) for c in groups.groups],
    })
    return Profile(sizes, _means(quantified, membership), _means(standardized, membership))
