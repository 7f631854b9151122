"""How collected values are shown in the reconciliation outputs.

:func:`display` renders a raw cell as the collector wrote it (``1234`` not ``1234.0``,
dates as ISO); :func:`canonical` renders a parsed cell in a form that
:func:`egoveval.io.cells.parse_cell` reads back to the same value.

>>> from datetime import datetime
>>> display(1234.0), display(4.15), display(datetime(2019, 3, 5)), display(None)
('1234', '4.15', '2019-03-05', '')
>>> from egoveval.frameworks import load_framework
>>> from egoveval.io.cells import Cell
>>> fw = load_framework("provincial-channels")
>>> canonical(Cell("ok", 1234.0), fw.indicator("android_downloads")), canonical(Cell("unbuilt"), fw.indicator("ios_rating"))
('1234', '未建设')
"""

from __future__ import annotations

import math
from datetime import date, datetime

from ..frameworks.schema import Indicator
from ..io.cells import Cell

__all__ = ["display", "canonical", "UNBUILT_TEXT", "unneutralise"]

UNBUILT_TEXT = "未建设"
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _number(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    if float(value).is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(float(value))


def display(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _number(float(value))
    return str(value)


def canonical(cell: Cell, indicator: Indicator) -> str:
    if cell.status == "missing":
        return ""
    if cell.status == "unbuilt":
        return UNBUILT_TEXT
    if cell.status != "ok":
        raise ValueError("only parsed cells have a canonical form")
    value = cell.value
    if indicator.kind == "multi_choice":
        return "、".join(str(v) for v in sorted(value))
    if indicator.kind == "date":
        return value.isoformat()
    if indicator.kind in ("binary", "ordinal"):
        return str(int(value))
    return _number(float(value))


def unneutralise(value: object) -> object:
    """Undo :func:`egoveval.io.writers.neutralise` on text read back from our own exports."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_DANGEROUS):
        return value[1:]
    return value
