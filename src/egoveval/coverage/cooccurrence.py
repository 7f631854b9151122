"""Channel co-occurrence: which channels cities provide together.

A city *has* a channel when it provides it in at least one service area (``scope =
"any_area"``), or in one named area (``scope = <area id>``). For channels A and B over
the cities where both are known, with the 2 × 2 counts ``both`` (a), ``a_only`` (b),
``b_only`` (c), ``neither`` (d):

* ``share_both`` = a / n — the share of cities providing both;
* ``phi`` = (ad − bc) / √((a+b)(c+d)(a+c)(b+d)) — Pearson's correlation of the two 0/1
  variables (NaN when a channel is constant);
* ``jaccard`` = a / (a + b + c) — overlap of the two sets of cities (Jaccard 1912;
  NaN when neither channel occurs).

>>> import pandas as pd
>>> x = pd.DataFrame({"A": [1, 1, 0, 0], "B": [1, 0, 0, 0]}, dtype=float)
>>> t = pair_table(x)
>>> t[(t.channel_a == "A") & (t.channel_b == "B")][["both", "share_both", "phi", "jaccard"]].round(4).values.tolist()
[[1.0, 0.25, 0.5774, 0.5]]
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .layout import CoverageData

__all__ = ["pair_table", "channel_presence", "cooccurrence"]

_COLUMNS = ["scope", "channel_a", "channel_b", "n", "both", "a_only", "b_only", "neither", "share_both",
            "phi", "jaccard"]


def channel_presence(data: CoverageData, area: str | None = None) -> pd.DataFrame:
    """Cities × channels: 1 if provided (in any area, or in ``area``), 0 if not, NaN if unknown
    (all relevant cells missing, or — for "any area" — none provided and some missing)."""
    cells = data.layout.cells
    out = {}
    for channel in data.layout.channels:
        ids = list(cells.loc[(cells["channel"] == channel) & ((cells["area"] == area) if area else True), "indicator"])
        block = data.values[ids]
        anyone = (block == 1.0).any(axis=1)
        complete = block.notna().all(axis=1)
        out[channel] = np.where(anyone, 1.0, np.where(complete, 0.0, np.nan))
    return pd.DataFrame(out, index=data.values.index)


def pair_table(presence: pd.DataFrame, scope: str = "any_area") -> pd.DataFrame:
    """Every ordered pair of columns (including A with itself) of a 0/1/NaN frame."""
    rows = []
    for a in presence.columns:
        for b in presence.columns:
            both_known = presence[a].notna() & presence[b].notna()
            x, y = presence.loc[both_known, a], presence.loc[both_known, b]
            n = int(both_known.sum())
            n11 = int(((x == 1) & (y == 1)).sum())
            n10 = int(((x == 1) & (y == 0)).sum())
            n01 = int(((x == 0) & (y == 1)).sum())
            n00 = n - n11 - n10 - n01
            denom = (n11 + n10) * (n01 + n00) * (n11 + n01) * (n10 + n00)
            phi = (n11 * n00 - n10 * n01) / math.sqrt(denom) if denom > 0 else math.nan
            union = n11 + n10 + n01
            rows.append({"scope": scope, "channel_a": a, "channel_b": b, "n": n, "both": n11, "a_only": n10,
                         "b_only": n01, "neither": n00, "share_both": n11 / n if n else math.nan,
                         "phi": phi, "jaccard": n11 / union if union else math.nan})
    return pd.DataFrame(rows, columns=_COLUMNS)


def cooccurrence(data: CoverageData, area: str | None = None) -> pd.DataFrame:
    """Channel × channel co-occurrence over all cities (long table, framework order)."""
    return pair_table(channel_presence(data, area), area or "any_area")
