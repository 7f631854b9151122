"""Agreement between two independent collections: percent agreement, Cohen's kappa,
weighted kappa and Lin's concordance correlation coefficient.

Kernels work on arrays; :func:`agreement_table` applies them per indicator.

* Percent agreement  p_o = (pairs that agree) / (pairs compared). Pairs blank on both
  sides are *not* compared (they are neither agreement nor disagreement); a pair blank
  on one side only is a disagreement.
* Cohen's kappa (Cohen 1960), for binary indicators::

      κ = (p_o − p_e) / (1 − p_e),   p_e = Σ_k p_A(k) · p_B(k)

* Weighted kappa (Cohen 1968), for ordinal indicators, with disagreement weights
  w_ij = |i − j| (``linear``, Cicchetti & Allison 1971) or (i − j)² (``quadratic``,
  Fleiss & Cohen 1973) on the level positions::

      κ_w = 1 − Σ w_ij O_ij / Σ w_ij E_ij

  O the observed and E the chance-expected (outer product of the margins) proportions.
  Equal to scikit-learn's ``cohen_kappa_score(a, b, labels=levels, weights=...)``.
* Lin's concordance correlation coefficient (Lin 1989), for numeric indicators and dates
  (as day numbers), with 1/n moments::

      ρ_c = 2 s_AB / (s_A² + s_B² + (m_A − m_B)²)

  plus the share of pairs within the indicator's tolerance.

Kappa uses the pairs where both collectors entered a level; κ is undefined (NaN) when
chance agreement is 1 (everyone in one category).

>>> round(cohen_kappa([1, 1, 0, 0, 1, 0], [1, 0, 0, 0, 1, 1]), 6)
0.333333
>>> round(weighted_kappa([0, 1, 2, 2], [0, 2, 2, 1], [0, 1, 2], "linear"), 6)
0.428571
>>> round(lin_ccc([1.0, 2.0, 3.0], [1.0, 2.0, 3.5]), 6)
0.952381
"""

from __future__ import annotations

from datetime import date
from typing import Sequence

import numpy as np
import pandas as pd

from ..frameworks.schema import Indicator
from .compare import NUMERIC_KINDS, values_equal

__all__ = ["WEIGHTS", "percent_agreement", "cohen_kappa", "weighted_kappa", "lin_ccc",
           "agreement_table", "PairSet", "AGREEMENT_COLUMNS"]

WEIGHTS = {"linear": lambda d: np.abs(d), "quadratic": lambda d: d.astype(float) ** 2}

AGREEMENT_COLUMNS = ["indicator", "name_zh", "name_en", "kind", "pairs", "agreements",
                     "percent_agreement", "statistic", "value", "pairs_statistic",
                     "within_tolerance", "tolerance_abs", "tolerance_rel", "blank_both"]


def percent_agreement(agree: Sequence[bool]) -> float:
    """Share of agreeing pairs; NaN without pairs.

    >>> percent_agreement([True, True, False, True])
    0.75
    """
    agree = np.asarray(agree, dtype=bool)
    return float(agree.mean()) if agree.size else float("nan")


def _confusion(a, b, labels) -> np.ndarray:
    index = {v: i for i, v in enumerate(labels)}
    table = np.zeros((len(labels), len(labels)))
    for x, y in zip(a, b):
        table[index[x], index[y]] += 1
    return table


def weighted_kappa(a: Sequence, b: Sequence, labels: Sequence, weights: str | None = "linear") -> float:
    """Cohen's kappa with disagreement weights on the positions of ``labels``
    (``None`` = unweighted). NaN when undefined (no pairs, or chance disagreement 0)."""
    if len(a) != len(b):
        raise ValueError("a and b must have the same length")
    if not len(a):
        return float("nan")
    observed = _confusion(a, b, labels)
    observed /= observed.sum()
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    k = len(labels)
    diff = np.subtract.outer(np.arange(k), np.arange(k))
    w = (diff != 0).astype(float) if weights is None else WEIGHTS[weights](diff)
    denominator = float((w * expected).sum())
    if denominator <= 1e-15:
        return float("nan")
    return 1.0 - float((w * observed).sum()) / denominator


def cohen_kappa(a: Sequence, b: Sequence, labels: Sequence | None = None) -> float:
    """Unweighted Cohen's kappa; ``labels`` default to the values seen."""
    labels = sorted(set(a) | set(b)) if labels is None else list(labels)
    return weighted_kappa(a, b, labels, None)


def lin_ccc(a: Sequence[float], b: Sequence[float]) -> float:
    """Lin's concordance correlation coefficient (1/n moments); NaN with < 2 pairs or no spread."""
    x = np.asarray(a, dtype=float)
    y = np.asarray(b, dtype=float)
    if x.size < 2:
        return float("nan")
    sxy = float(np.mean((x - x.mean()) * (y - y.mean())))
    denominator = float(x.var() + y.var() + (x.mean() - y.mean()) ** 2)
    if denominator <= 0:
        return float("nan")
    return 2.0 * sxy / denominator


class PairSet:
    """The paired cells of one indicator: (status_A, value_A, status_B, value_B) per unit
    present once in both files."""

    def __init__(self, indicator: Indicator):
        self.indicator = indicator
        self.pairs: list[tuple[str, object, str, object]] = []

    def add(self, status_a: str, value_a, status_b: str, value_b) -> None:
        self.pairs.append((status_a, value_a, status_b, value_b))


def _as_number(value) -> float:
    return float(value.toordinal()) if isinstance(value, date) else float(value)


def _row(pairs: PairSet, weights: str) -> dict:
    ind = pairs.indicator
    agree, both_ok = [], []
    blank_both = 0
    for sa, va, sb, vb in pairs.pairs:
        if sa == "missing" and sb == "missing":
            blank_both += 1
            continue
        if sa == "ok" and sb == "ok":
            agree.append(values_equal(va, vb, ind))
            both_ok.append((va, vb))
        else:
            agree.append(sa == sb)
    row = {"indicator": ind.id, "name_zh": ind.name_zh, "name_en": ind.name_en, "kind": ind.kind,
           "pairs": len(agree), "agreements": int(sum(agree)),
           "percent_agreement": percent_agreement(agree), "statistic": "", "value": float("nan"),
           "pairs_statistic": len(both_ok), "within_tolerance": float("nan"),
           "tolerance_abs": ind.tolerance_abs, "tolerance_rel": ind.tolerance_rel, "blank_both": blank_both}
    a = [p[0] for p in both_ok]
    b = [p[1] for p in both_ok]
    if ind.kind == "binary":
        row["statistic"] = "cohen_kappa"
        row["value"] = cohen_kappa(a, b, [lv.value for lv in ind.all_levels()])
    elif ind.kind == "ordinal":
        levels = sorted(lv.value for lv in ind.all_levels())
        row["statistic"] = f"weighted_kappa_{weights}"
        row["value"] = weighted_kappa(a, b, levels, weights)
    elif ind.kind in NUMERIC_KINDS or ind.kind == "date":
        row["statistic"] = "lin_ccc"
        row["value"] = lin_ccc([_as_number(x) for x in a], [_as_number(y) for y in b])
        row["within_tolerance"] = percent_agreement([values_equal(x, y, ind) for x, y in both_ok])
    return row


def agreement_table(pair_sets: dict[str, PairSet], weights: str = "linear") -> pd.DataFrame:
    """One row per indicator (in the order of ``pair_sets``) and an ``overall`` row (pairs
    and agreements summed over indicators; kappa and CCC are per indicator only)."""
    if weights not in WEIGHTS:
        raise ValueError(f"weights must be one of {sorted(WEIGHTS)}")
    rows = [_row(pairs, weights) for pairs in pair_sets.values()]
    pairs = sum(r["pairs"] for r in rows)
    agreements = sum(r["agreements"] for r in rows)
    rows.append({"indicator": "overall", "name_zh": "全部指标", "name_en": "all indicators", "kind": "",
                 "pairs": pairs, "agreements": agreements,
                 "percent_agreement": agreements / pairs if pairs else float("nan"), "statistic": "",
                 "value": float("nan"), "pairs_statistic": sum(r["pairs_statistic"] for r in rows),
                 "within_tolerance": float("nan"), "tolerance_abs": float("nan"),
                 "tolerance_rel": float("nan"), "blank_both": sum(r["blank_both"] for r in rows)})
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
