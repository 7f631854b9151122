"""Adoption rates: the share of cities that provide a channel for a service area.

For a cell (channel, area) and a set of cities, ``n`` is the number of cities whose
cell is observed (missing cells are left out), ``provided`` the number with 1, and
``rate = provided / n`` with a Wilson 95 % interval (:mod:`.intervals`). The rate over
``all`` cities is the national average of the survey population (every city counts
once, whatever its group).

The intervals treat the cities as a sample from a wider population of possible
outcomes; when the data are a census, they describe that model-based uncertainty, not
sampling from a finite list.

>>> import pandas as pd
>>> vals = pd.DataFrame({"c__a": [1.0, 0.0, 1.0, float("nan")]}, index=list("wxyz"))
>>> cell_counts(vals, pd.Series(["key", "key", "prefecture", "prefecture"], index=list("wxyz")))
  indicator       group  n  provided
0      c__a         key  2         1
1      c__a  prefecture  1         1
2      c__a         all  3         2
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .intervals import wilson_interval
from .layout import REGION_ORDER, CoverageData

__all__ = ["cell_counts", "adoption_rates", "rates_by_region", "pooled_rates", "ADOPTION_COLUMNS",
           "with_wilson"]

ADOPTION_COLUMNS = ["channel", "area", "group", "n", "provided", "rate", "ci_low", "ci_high"]


def cell_counts(values: pd.DataFrame, groups: pd.Series, *, order=None, total: str | None = "all") -> pd.DataFrame:
    """Observed and provided counts per indicator × group (plus ``total`` over all units)."""
    order = list(order) if order is not None else list(dict.fromkeys(groups))
    observed = values.notna()
    provided = values.fillna(0.0) == 1.0
    rows = []
    for ind in values.columns:
        for g in order:
            mask = (groups == g).to_numpy()
            rows.append((ind, g, int(observed[ind].to_numpy()[mask].sum()), int(provided[ind].to_numpy()[mask].sum())))
        if total is not None:
            rows.append((ind, total, int(observed[ind].sum()), int(provided[ind].sum())))
    return pd.DataFrame(rows, columns=["indicator", "group", "n", "provided"])


def with_wilson(frame: pd.DataFrame, level: float = 0.95, *, rate: str = "rate") -> pd.DataFrame:
    """Add ``rate``, ``ci_low``, ``ci_high`` from the ``n`` and ``provided`` columns."""
    out = frame.copy()
    n = out["n"].to_numpy(dtype=float)
    k = out["provided"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        out[rate] = np.where(n > 0, k / n, np.nan)
    out["ci_low"], out["ci_high"] = wilson_interval(k, n, level)
    return out


def _cells(data: CoverageData, counts: pd.DataFrame) -> pd.DataFrame:
    lay = data.layout.cells.set_index("indicator")
    counts = counts.copy()
    counts.insert(0, "area", counts["indicator"].map(lay["area"]))
    counts.insert(0, "channel", counts["indicator"].map(lay["channel"]))
    # framework order: channel, then area, then group as given
    ch = {c: i for i, c in enumerate(data.layout.channels)}
    ar = {a: i for i, a in enumerate(data.layout.areas)}
    counts["_c"], counts["_a"] = counts["channel"].map(ch), counts["area"].map(ar)
    counts["_r"] = range(len(counts))
    return counts.sort_values(["_c", "_a", "_r"]).drop(columns=["_c", "_a", "_r", "indicator"]).reset_index(drop=True)


def adoption_rates(data: CoverageData, level: float = 0.95) -> pd.DataFrame:
    """``channel, area, group, n, provided, rate, ci_low, ci_high`` for each city group and ``all``."""
    groups = data.units.set_index("code")["group"].reindex(data.values.index)
    counts = cell_counts(data.values, groups, order=data.groups)
    return with_wilson(_cells(data, counts), level)[ADOPTION_COLUMNS]


def rates_by_region(data: CoverageData, level: float = 0.95) -> pd.DataFrame:
    """Rates per channel × area × group (and ``all``) × region (NBS four regions, East first)."""
    units = data.units.set_index("code").reindex(data.values.index)
    regions = [r for r in REGION_ORDER if r in set(units["region"])] + \
        sorted(set(units["region"]) - set(REGION_ORDER) - {""})
    parts = []
    for g in (*data.groups, "all"):
        in_group = units["group"] == g if g != "all" else pd.Series(True, index=units.index)
        sub = data.values[in_group.to_numpy()]
        counts = cell_counts(sub, units.loc[in_group, "region"], order=regions, total=None)
        counts = counts.rename(columns={"group": "region"})
        counts.insert(1, "group", g)
        parts.append(counts)
    counts = pd.concat(parts, ignore_index=True)
    cells = _cells(data, counts.rename(columns={"region": "_region", "group": "group"}))
    cells = cells.rename(columns={"_region": "region"})
    out = with_wilson(cells, level)
    gorder = {g: i for i, g in enumerate((*data.groups, "all"))}
    rorder = {r: i for i, r in enumerate(regions)}
    ch = {c: i for i, c in enumerate(data.layout.channels)}
    ar = {a: i for i, a in enumerate(data.layout.areas)}
    out = out.assign(_g=out["group"].map(gorder), _r=out["region"].map(rorder),
                     _c=out["channel"].map(ch), _a=out["area"].map(ar))
    out = out.sort_values(["_c", "_a", "_g", "_r"]).drop(columns=["_g", "_r", "_c", "_a"]).reset_index(drop=True)
    return out[["channel", "area", "group", "region", "n", "provided", "rate", "ci_low", "ci_high"]]


def pooled_rates(adoption: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Per channel × group, the share of (city, area) cells provided, pooled over the areas
    (``area = "all"``): the average adoption across areas weighted by observed cities.

    The Wilson interval on pooled cells treats the cells as independent; cells of one city
    are usually correlated, so the interval is too narrow when they are (design effect).
    """
    pooled = adoption.groupby(["channel", "group"], sort=False)[["n", "provided"]].sum().reset_index()
    pooled.insert(1, "area", "all")
    return with_wilson(pooled, level)[ADOPTION_COLUMNS]
