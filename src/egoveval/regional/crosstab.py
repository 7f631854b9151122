"""A categorical outcome (cluster, tier) × region: counts, percentages and the exact test.

>>> t = crosstab(["A", "A", "B", "B", "B"], ["East", "East", "East", "West", "West"],
...              regions=("East", "West"))
>>> t.counts.to_dict("list")
{'East': [2, 1], 'West': [0, 2]}
>>> t.row_pct.loc["B"].round(1).tolist()
[33.3, 66.7]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .exact import FisherResult, cramers_v, fisher_exact_rxc

__all__ = ["Crosstab", "crosstab", "category_order"]


@dataclass(frozen=True)
class Crosstab:
    """Counts (categories × regions), row and column percentages, the exact test, Cramér's V."""

    counts: pd.DataFrame
    row_pct: pd.DataFrame
    col_pct: pd.DataFrame
    fisher: FisherResult
    cramers_v: float


def category_order(values) -> list:
    """Categories in natural order: numerically when all look like numbers, else as text.

    >>> category_order(["10", "9", "1"]), category_order(["b", "a"])
    (['1', '9', '10'], ['a', 'b'])
    """
    uniq = list(pd.unique(pd.Series(list(values), dtype=object)))
    nums = pd.to_numeric(pd.Series(uniq, dtype=object), errors="coerce")
    if nums.notna().all():
        return [u for _, u in sorted(zip(nums, uniq))]
    return sorted(uniq, key=str)


def crosstab(categories, regions_of, *, regions=None, seed: int | None = None,
             order=None) -> Crosstab:
    """Cross-tabulate categories (rows) against regions (columns) and test independence.

    Rows follow ``order`` (e.g. development types by rank; categories it omits follow in
    natural order), else :func:`category_order`. Regions without units are kept as zero
    columns in the counts but do not enter the test (an empty margin does not change the
    Fisher–Freeman–Halton p-value).

    >>> crosstab(["低", "高", "中"], ["East", "West", "West"], order=["高", "中", "低"]).counts.index.tolist()
    ['高', '中', '低']
    """
    cats = pd.Series(list(categories), dtype=object)
    regs = pd.Series(list(regions_of), dtype=object)
    present = category_order(cats)
    row_order = [c for c in (order or []) if c in set(present)] if order is not None else []
    row_order += [c for c in present if c not in row_order]
    col_order = list(regions) if regions is not None else list(pd.unique(regs))
    counts = (pd.crosstab(pd.Categorical(cats, row_order), pd.Categorical(regs, col_order),
                          dropna=False).reindex(index=row_order, columns=col_order, fill_value=0))
    counts.index.name, counts.columns.name = "category", "region"
    counts = counts.astype(int)
    arr = counts.to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        row_pct = counts.div(counts.sum(axis=1), axis=0) * 100
        col_pct = counts.div(counts.sum(axis=0), axis=1) * 100
    return Crosstab(counts, row_pct, col_pct, fisher_exact_rxc(arr, seed=seed), cramers_v(arr))
