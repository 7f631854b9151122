"""Per-city coverage score, its ranking, and the list of gaps.

**Score.** The framework's weights aggregated arithmetically with the composite index
module (:func:`egoveval.index.aggregate.aggregate`, :func:`~egoveval.index.weights.make_weights`):
each channel's sub-score is the weighted share of its areas provided, and the score is
the weighted mean of the channel sub-scores. With the equal weights of the built-in
``city-multichannel`` framework this is simply the share of the 42 channel × area cells
a city provides (0–1). Binary cells need no normalisation (they are already 0–1). A
city with a missing cell gets no score and no rank (the index module's rule); its
``observed`` and ``provided`` counts are still shown.

**Rank.** Standard competition ranking ("1224", as the UN E-Government Survey) on the
score rounded to ``SCORE_DECIMALS`` decimals, so cities providing the same cells tie
exactly; ``rank_in_group`` ranks within the city group. ``rank_method="dense"`` gives the
"1223" ranks of Chinese provincial reports.

**Gaps.** One row per city × channel × area not provided (``status = not_provided``) or
not observed (``status = missing``); per city, ``channels_absent`` lists channels not
provided in any area and ``areas_uncovered`` the areas no channel serves.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..frameworks.schema import Framework
from ..index.aggregate import aggregate
from ..index.rank import rank_scores
from ..index.weights import make_weights
from .layout import CoverageData

__all__ = ["city_scores", "gaps", "SCORE_DECIMALS", "RANK_METHODS"]

SCORE_DECIMALS = 6
RANK_METHODS = ("competition", "dense")


def _weights(data: CoverageData, framework: Framework):
    cells = data.layout.cells
    return make_weights(dict(zip(cells["indicator"], cells["channel"])),
                        {i.id: i.weight for i in framework.indicators},
                        {c.id: c.weight for c in framework.channels})


def city_scores(data: CoverageData, framework: Framework, rank_method: str = "competition",
                lang: str = "zh") -> pd.DataFrame:
    """One row per city: code, name, group, province, region, cells, observed, provided,
    score, rank, rank_in_group, n_gaps, channels_absent, areas_uncovered, then one
    sub-score column per channel (``score_<channel>``); sorted by rank, then code."""
    if rank_method not in RANK_METHODS:
        raise KeyError(rank_method)
    lay = data.layout
    ids = list(lay.cells["indicator"])
    x = data.values[ids]
    agg = aggregate(x, _weights(data, framework), "arithmetic")
    score = agg.index.round(SCORE_DECIMALS)
    units = data.units.set_index("code").reindex(x.index)
    out = pd.DataFrame({"code": x.index, "name": units["name"].to_numpy(), "group": units["group"].to_numpy(),
                        "province": units["province"].to_numpy(), "region": units["region"].to_numpy(),
                        "cells": len(ids), "observed": x.notna().sum(axis=1).to_numpy(),
                        "provided": (x == 1.0).sum(axis=1).to_numpy(), "score": score.to_numpy()})
    out["rank"] = rank_scores(score, rank_method).to_numpy()
    out["rank_in_group"] = pd.array([pd.NA] * len(out), dtype="Int64")
    for _, idx in out.groupby("group").groups.items():
        r = rank_scores(out.loc[idx, "score"], rank_method)
        out.loc[idx, "rank_in_group"] = r.to_numpy()
    out["n_gaps"] = (x == 0.0).sum(axis=1).to_numpy()
    sep = "、" if lang == "zh" else "; "
    ch_name = {c: lay.label("channel", c, lang) for c in lay.channels}
    ar_name = {a: lay.label("area", a, lang) for a in lay.areas}
    provided = (x == 1.0).to_numpy()
    col = {ind: j for j, ind in enumerate(ids)}
    has_ch = np.column_stack([provided[:, [col[i] for i in lay.cells.loc[lay.cells["channel"] == c, "indicator"]]].any(axis=1)
                              for c in lay.channels])
    has_ar = np.column_stack([provided[:, [col[i] for i in lay.cells.loc[lay.cells["area"] == a, "indicator"]]].any(axis=1)
                              for a in lay.areas])
    out["channels_absent"] = [sep.join(ch_name[c] for c, h in zip(lay.channels, row) if not h) for row in has_ch]
    out["areas_uncovered"] = [sep.join(ar_name[a] for a, h in zip(lay.areas, row) if not h) for row in has_ar]
    for c in lay.channels:
        out[f"score_{c}"] = agg.sub_indices[c].round(SCORE_DECIMALS).to_numpy()
    order = out["rank"].astype("Float64").fillna(np.inf)
    out = out.assign(_r=order.to_numpy(dtype=float)).sort_values(["_r", "code"], kind="stable").drop(columns="_r")
    return out.reset_index(drop=True)


def gaps(data: CoverageData) -> pd.DataFrame:
    """code, name, group, region, channel, area, channel_zh, area_zh, status — one row per
    cell a city does not provide (or that is missing), in unit then framework order."""
    lay = data.layout
    cells = lay.cells
    x = data.values[list(cells["indicator"])]
    long = x.stack(future_stack=True).rename("value").reset_index()
    long.columns = ["code", "indicator", "value"]
    long = long[long["value"] != 1.0]
    long = long.merge(cells, on="indicator", how="left").merge(
        data.units[["code", "name", "group", "region"]], on="code", how="left")
    long["channel_zh"] = long["channel"].map({c: lay.label("channel", c, "zh") for c in lay.channels})
    long["area_zh"] = long["area"].map({a: lay.label("area", a, "zh") for a in lay.areas})
    long["status"] = np.where(long["value"].isna(), "missing", "not_provided")
    return long[["code", "name", "group", "region", "channel", "area", "channel_zh", "area_zh",
                 "status"]].reset_index(drop=True)
