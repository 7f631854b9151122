"""How numbers look in the report and the workbook: one declared format per column.

A column's format is resolved once per table, in this order:

1. an indicator column (its name is an indicator id of the study's framework) takes the
   indicator's ``decimals`` (or a default for its kind: counts and dates 0, ratings 1,
   other numbers 2), at least the table's ``min_decimals`` (cluster means show 2, as the
   source study's Table 4);
2. a table may declare formats for its numeric columns (``"*"`` for all of them);
3. a known column has a declared format in :data:`COLUMN_FORMATS` (p-values, shares,
   statistics);
4. a column of a declared family (:data:`COLUMN_FAMILIES`, by name pattern) takes the
   family's format: ``*_p`` are p-values (``<0.001``), ``p_*`` are probabilities of an
   outcome such as a tier (0.000–1.000, never ``<0.001``: a probability of 0 is 0),
   ``k2``… memberships, ``n_*`` counts, ``pct_*`` percentages;
5. otherwise the dtype decides: whole numbers show no decimals, other numbers 3.

Columns read together share their decimals within one table (:data:`SAME_DECIMALS`:
mean, median, sd, min and max; a total and its between/within parts), so a table never
shows a mean with 2 decimals beside a median with 3.

Large numbers are grouped in thousands when the column holds a value of 10 000 or more,
so a column is either grouped throughout or not at all. The same :class:`Fmt` gives the
HTML text (:func:`format_value`) and the Excel number format (:meth:`Fmt.excel`).

>>> fmt = Fmt("float", 2, group=True)
>>> format_value(12453.666, fmt), fmt.excel()
('12,453.67', '#,##0.00')
>>> format_value(0.0004, Fmt("p", 3)), format_value(0.25, Fmt("pct", 1)), format_value(0.0, PROB)
('<0.001', '25.0%', '0.000')
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from fnmatch import fnmatchcase
from typing import Mapping

import numpy as np
import pandas as pd

__all__ = ["Fmt", "COLUMN_FORMATS", "COLUMN_FAMILIES", "SAME_DECIMALS", "KIND_DECIMALS", "NO_GROUP", "PROB",
           "resolve_formats", "format_value", "is_missing"]


@dataclass(frozen=True)
class Fmt:
    """``kind``: int | float | p | pct | text; ``decimals``; ``group``: thousands separator."""

    kind: str
    decimals: int = 0
    group: bool = False

    @property
    def numeric(self) -> bool:
        return self.kind != "text"

    def excel(self) -> str:
        if self.kind == "text":
            return "@"
        if self.kind == "pct":
            return "0" + ("." + "0" * self.decimals if self.decimals else "") + "%"
        head = "#,##0" if self.group else "0"
        return head + ("." + "0" * self.decimals if self.decimals and self.kind != "int" else "")


F = lambda d: Fmt("float", d)  # noqa: E731 — the registry below reads better with it
P = Fmt("p", 3)  # a p-value: below 0.001 shows "<0.001"
PROB = Fmt("float", 3)  # a probability (of a tier, a share of replicates): 0 shows 0.000
PCT = Fmt("pct", 1)
INT = Fmt("int", 0)
STAT = Fmt("float", 3)  # descriptive statistics of an outcome

#: Declared formats of known columns (all tables).
COLUMN_FORMATS: Mapping[str, Fmt] = {
    # clusters and diagnostics
    "coefficient": F(3), "height": F(3), "level": F(3), "silhouette": F(3), "calinski_harabasz": F(2),
    "davies_bouldin": F(3), "r2": F(3), "gap": F(3), "gap_se": F(3), "jaccard_mean": F(3),
    "null_jaccard_mean": F(3), "kw_h": F(2), "kw_p": P, "epsilon2": F(3), "anova_f": F(2), "anova_p": P,
    "eta2": F(3), "k": INT, "stage": INT, "cluster": INT, "cluster_1": INT, "cluster_2": INT, "size": INT,
    "rank": INT, "row": INT, "n": INT,
    # index
    "score": F(4), "rank_median": INT, "rank_p05": INT, "rank_p95": INT, "replicates": INT, "seed": INT,
    "effective": F(3), "mean_rank_a": F(2), "mean_rank_b": F(2), "p_holm": P, "se": F(3), "df2": F(0), "first_order": F(3),
    "total_order": F(3), "loading": F(3), "explained": PCT, "weight": F(3), "channel_weight": F(3),
    # tests, inequality, spatial
    "statistic": F(3), "p": P, "effect": F(3), "df": F(0), "between": F(4), "within": F(4),
    "between_share": PCT, "I": F(3), "expectation": F(3), "variance": F(4), "z": F(2),
    "p_randomisation": P, "p_permutation": P, "Ii": F(3), "lag": F(3),
    "mean": STAT, "median": STAT, "sd": STAT, "min": STAT, "max": STAT,
    # reconciliation and coverage
    "percent_agreement": PCT, "within_tolerance": PCT, "adoption": PCT, "share": PCT,
    "tolerance_abs": F(2), "tolerance_rel": PCT,
}

#: Column families by name pattern (``fnmatch``), after the named columns above; first match wins.
#: ``p_*`` are probabilities (tier probabilities ``p_高``…), not p-values: the p-values named
#: ``p_…`` (``p_holm``, ``p_permutation``, ``p_randomisation``) are declared by name above.
COLUMN_FAMILIES: tuple[tuple[str, Fmt], ...] = (
    ("k[0-9]*", INT),  # memberships at k clusters (k2, k3, …)
    ("*_p", P),  # p-values: kw_p, anova_p, binom_p
    ("p_*", PROB),  # probabilities of an outcome (a tier)
    ("pct_*", F(1)),  # percentages already times 100
    ("n_*", INT),  # counts
)

#: Columns read together: within one table they share the largest of their decimals.
SAME_DECIMALS: tuple[frozenset[str], ...] = (
    frozenset({"mean", "median", "sd", "min", "max", "q1", "q3", "iqr"}),
    frozenset({"total", "between", "within"}),
    frozenset({"ci_low", "ci_high", "estimate"}),
)

#: Numeric columns never grouped in thousands (identifiers, seeds, years).
NO_GROUP = frozenset({"seed", "year", "row", "code", "adjudication_row", "row_A", "row_B"})

#: Decimals of an indicator's quantified values when the framework gives none.
KIND_DECIMALS: Mapping[str, int] = {"count": 0, "date": 0, "binary": 0, "ordinal": 0, "multi_choice": 0,
                                    "rating": 1, "share": 1, "number": 2}


def is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, tuple, dict, set)) else False
    except (TypeError, ValueError):
        return False


def _numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _auto(series: pd.Series) -> Fmt:
    values = pd.to_numeric(series, errors="coerce").dropna()
    finite = values[np.isfinite(values)]
    if pd.api.types.is_integer_dtype(series) or (len(finite) and (finite == finite.round()).all()):
        return INT
    return F(3)


def resolve_formats(frame: pd.DataFrame, *, indicators: Mapping[str, Mapping] | None = None,
                    declared: Mapping[str, Fmt] | None = None, min_decimals: int = 0) -> dict[str, Fmt]:
    """The format of every column of ``frame`` (see the module docstring for the order).

    >>> df = pd.DataFrame({"android_downloads": [8000.0, 12453.7], "kw_p": [0.2, 0.0001], "x": [1.0, 2.0]})
    >>> f = resolve_formats(df, indicators={"android_downloads": {"kind": "count", "decimals": None}},
    ...                     min_decimals=2)
    >>> f["android_downloads"], f["kw_p"].kind, f["x"].kind
    (Fmt(kind='float', decimals=2, group=True), 'p', 'int')
    """
    indicators = indicators or {}
    declared = declared or {}
    out: dict[str, Fmt] = {}
    for col in frame.columns:
        series = frame[col]
        name = str(col)
        if not _numeric(series):
            out[name] = Fmt("text")
            continue
        if name in declared or "*" in declared:
            fmt = declared.get(name, declared.get("*"))
        elif name in indicators:
            info = indicators[name]
            d = info.get("decimals")
            d = KIND_DECIMALS.get(info.get("kind", "number"), 2) if d is None else int(d)
            d = max(d, min_decimals)
            fmt = Fmt("float" if d else "int", d)
        elif name in COLUMN_FORMATS:
            fmt = COLUMN_FORMATS[name]
        else:
            fmt = next((f for pattern, f in COLUMN_FAMILIES if fnmatchcase(name, pattern)), None) or _auto(series)
        values = pd.to_numeric(series, errors="coerce")
        finite = values[np.isfinite(values)] if len(values) else values
        if fmt.kind == "pct" and len(finite) and (finite.abs() > 1.0).any():
            fmt = F(1)  # a "share" given in percent already
        if fmt.kind in ("int", "float") and name not in NO_GROUP and len(finite) and finite.abs().max() >= 10000:
            fmt = replace(fmt, group=True)
        out[name] = fmt
    return _shared_decimals(out, set(declared))


def _shared_decimals(formats: dict[str, Fmt], declared: set[str]) -> dict[str, Fmt]:
    """Columns of one :data:`SAME_DECIMALS` family take the family's largest decimals
    (columns a table declares itself keep theirs).

    >>> f = _shared_decimals({"mean": Fmt("float", 2), "min": Fmt("int"), "n": Fmt("int")}, set())
    >>> f["mean"], f["min"], f["n"]
    (Fmt(kind='float', decimals=2, group=False), Fmt(kind='float', decimals=2, group=False), Fmt(kind='int', decimals=0, group=False))
    """
    for family in SAME_DECIMALS:
        cols = [c for c in formats if c in family and c not in declared and formats[c].kind in ("int", "float")]
        if len(cols) < 2:
            continue
        d = max(formats[c].decimals for c in cols)
        for c in cols:
            formats[c] = replace(formats[c], kind="float" if d else formats[c].kind, decimals=d)
    return formats


def format_value(value, fmt: Fmt, *, yes_no: tuple[str, str] = ("yes", "no"), sep: str = "、") -> str:
    """The text shown for one cell (missing values: an en dash; a list joined by ``sep``)."""
    if isinstance(value, (list, tuple, set, frozenset)):
        return sep.join(map(str, value))
    if is_missing(value):
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return yes_no[0] if value else yes_no[1]
    if fmt.kind == "text" or not isinstance(value, (int, float, np.integer, np.floating)):
        return str(value)
    x = float(value)
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    sep = "," if fmt.group else ""
    if fmt.kind == "int":
        out = f"{round(x):{sep}d}"
    elif fmt.kind == "p":
        return "<0.001" if x < 0.001 else f"{x:.{fmt.decimals}f}"
    elif fmt.kind == "pct":
        out = f"{x * 100:.{fmt.decimals}f}%"
    else:
        out = f"{x:{sep}.{fmt.decimals}f}"
    if out.startswith("-"):  # a minus sign, and no "−0.000" for values that round to zero
        out = "−" + out[1:] if out.strip("-0.,%") else out[1:]
    return out
