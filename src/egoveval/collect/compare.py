"""Kind-aware comparison of two collected values of one indicator.

Rules (the same for every unit):

* binary, ordinal — exact equality of the level codes (是 = 1 = yes);
* multi_choice — the same set of levels;
* count, number, rating, share — equal within the indicator's tolerance::

      |a − b| ≤ max(tol_abs, tol_rel · max(|a|, |b|))

  (relative tolerance against the larger magnitude, so the verdict does not depend on
  which collector is A). Both tolerances 0 means exact. A difference that equals the
  bound up to floating-point rounding (4.10 vs 4.15 with tol_abs 0.05) counts as within;
* date — the same calendar day, whatever way it was written;
* text — equal after normalisation (NFKC full-width → half-width, whitespace collapsed,
  case folded).

Cells are compared by status first: two blank cells agree (and are not counted by the
agreement statistics), two "not built" cells agree, blank against anything else is a
"missing" difference.

>>> from egoveval.frameworks import load_framework
>>> fw = load_framework("provincial-channels")
>>> within_tolerance(4.10, 4.15, fw.indicator("ios_rating")), within_tolerance(4.10, 4.16, fw.indicator("ios_rating"))
(True, False)
>>> within_tolerance(1000, 1010, fw.indicator("android_downloads"))
True
>>> values_equal(1, 1.0, fw.indicator("mp_wechat")), values_equal(3, 4, fw.indicator("nat_personal_items"))
(True, False)
>>> texts_equal("ＡＢＣ  def", "abc def")
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..frameworks.schema import Indicator
from ..io.cells import Cell, normalise_text

__all__ = ["NUMERIC_KINDS", "CellComparison", "within_tolerance", "tolerance_bound", "values_equal",
           "texts_equal", "compare_cells"]

NUMERIC_KINDS = ("count", "number", "rating", "share")

# A difference this close to the bound (relative) is the bound itself written in floating point.
_ROUNDING = 1e-9


def tolerance_bound(a: float, b: float, indicator: Indicator) -> float:
    """max(tol_abs, tol_rel · max(|a|, |b|))."""
    return max(indicator.tolerance_abs, indicator.tolerance_rel * max(abs(a), abs(b)))


def within_tolerance(a: float, b: float, indicator: Indicator) -> bool:
    diff = abs(float(a) - float(b))
    bound = tolerance_bound(float(a), float(b), indicator)
    if diff <= bound:
        return True
    scale = max(abs(float(a)), abs(float(b)), bound, 1.0)
    return diff - bound <= _ROUNDING * scale


def texts_equal(a: object, b: object) -> bool:
    return normalise_text(a).casefold() == normalise_text(b).casefold()


def values_equal(a: object, b: object, indicator: Indicator) -> bool:
    """Two parsed (status ``ok``) values of ``indicator`` agree."""
    kind = indicator.kind
    if kind in NUMERIC_KINDS:
        return within_tolerance(a, b, indicator)
    if kind in ("binary", "ordinal"):
        return int(a) == int(b)
    if kind == "multi_choice":
        return frozenset(a) == frozenset(b)
    if kind == "date":
        return a == b
    return texts_equal(a, b)


@dataclass(frozen=True)
class CellComparison:
    """``agree``: the two cells say the same; ``kind``: '' when they agree, else
    'value', 'missing in A' or 'missing in B'; ``both_blank``: neither has a value
    (such pairs are left out of the agreement statistics)."""

    agree: bool
    kind: str
    both_blank: bool


def compare_cells(a: Cell, b: Cell, indicator: Indicator) -> CellComparison:
    """Compare two parsed cells (status ok / missing / unbuilt; errors are not compared).

    >>> from egoveval.frameworks import load_framework
    >>> ind = load_framework("provincial-channels").indicator("ios_rating")
    >>> compare_cells(Cell("ok", 4.1), Cell("missing"), ind).kind
    'missing in B'
    >>> compare_cells(Cell("missing"), Cell("missing"), ind)
    CellComparison(agree=True, kind='', both_blank=True)
    """
    if a.status == "error" or b.status == "error":
        raise ValueError("cells with parse errors cannot be compared")
    if a.status == "missing" and b.status == "missing":
        return CellComparison(True, "", True)
    if a.status == "missing":
        return CellComparison(False, "missing in A", False)
    if b.status == "missing":
        return CellComparison(False, "missing in B", False)
    if a.status == "unbuilt" or b.status == "unbuilt":
        same = a.status == b.status
        return CellComparison(same, "" if same else "value", False)
    same = values_equal(a.value, b.value, indicator)
    return CellComparison(same, "" if same else "value", False)
