"""Generic numeric tables (one row per unit, an id column, numeric columns), as read by
``egoveval cluster``, ``index`` and ``regions``. Every problem is reported at once.

Cells are parsed with the same rules as indicator cells of kind ``number``
("1,234", "１２３", "3.5分", "1.2万" are understood; blank cells are missing).

Without a column list, the numeric columns are those where more than half of the filled
cells are numbers; their other cells are reported as problems (file, row, column,
value), so a typo in one cell never drops a variable silently. Columns that are mostly
text (names, notes) are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ..errors import InputError, Problem
from ..frameworks.schema import Indicator
from .cells import Cell, parse_cell
from .readers import read_table

__all__ = ["NumericTable", "read_numeric_table", "parse_column_list"]

_ANY_NUMBER = Indicator(id="value", name_zh="数值", name_en="value", channel="", kind="number")


@dataclass(frozen=True)
class NumericTable:
    data: pd.DataFrame  # index: id values (as text), columns: the numeric columns (float, NaN = blank)
    rows: pd.Series  # file row per id
    file: str
    id_column: str
    extra: pd.DataFrame  # the other columns, as read, same index


def parse_column_list(text: str | None) -> list[str] | None:
    if text is None:
        return None
    return [c.strip() for c in text.split(",") if c.strip()]


def read_numeric_table(path: str | Path, id_column: str, columns: list[str] | None = None, *,
                       allow_missing: bool = False, sheet: str | None = None) -> NumericTable:
    raw = read_table(path, sheet)
    frame, file = raw.frame, raw.file
    header_row = raw.rows[0] - 1 if raw.rows else 1
    problems: list[Problem] = []
    available = "、".join(map(str, frame.columns))
    if id_column not in frame.columns:
        problems.append(Problem.of("table.no_column", file=file, row=header_row, column=id_column,
                                   columns=available))
    wanted = columns
    if wanted is not None:
        for col in wanted:
            if col not in frame.columns:
                problems.append(Problem.of("table.no_column", file=file, row=header_row, column=col,
                                           columns=available))
    if problems:
        raise InputError(problems)
    ids = [("" if v is None else str(v).strip()) for v in frame[id_column]]
    seen: dict[str, int] = {}
    for pos, value in enumerate(ids):
        row = raw.rows[pos]
        if not value:
            problems.append(Problem.of("table.blank_id", file=file, row=row, column=id_column))
        elif value in seen:
            problems.append(Problem.of("table.duplicate_id", file=file, row=row, column=id_column,
                                       value=value, first=seen[value]))
        else:
            seen[value] = row
    # every cell parsed once: the same cells decide which columns are numeric and give the values
    candidates = wanted if wanted is not None else [c for c in frame.columns if c != id_column]
    parsed = {c: [parse_cell(v, _ANY_NUMBER, raw.epoch) for v in frame[c]] for c in candidates}
    if wanted is None:
        wanted = [c for c in candidates if _mostly_numeric(parsed[c])]
        if not wanted:
            raise InputError([Problem.of("table.no_numeric", file=file, columns=available)])
    values = np.full((len(frame), len(wanted)), np.nan)
    for j, col in enumerate(wanted):
        for pos, (cell_value, cell) in enumerate(zip(frame[col], parsed[col])):
            if cell.status == "ok":
                values[pos, j] = cell.value
            elif cell.status == "missing":
                if not allow_missing:
                    problems.append(Problem.of("table.missing", file=file, row=raw.rows[pos], column=col))
            else:
                problems.append(Problem.of("table.not_number", file=file, row=raw.rows[pos], column=col,
                                           value=cell_value))
    if problems:
        raise InputError(problems)
    index = pd.Index(ids, name=id_column)
    data = pd.DataFrame(values, index=index, columns=wanted)
    extra = frame.drop(columns=[c for c in wanted if c in frame.columns]).set_index(index)
    return NumericTable(data, pd.Series(list(raw.rows), index=index), file, id_column, extra)


def _mostly_numeric(parsed: Sequence[Cell]) -> bool:
    """More than half of the filled cells (of a column, parsed) are numbers.

    >>> cells = lambda values: [parse_cell(v, _ANY_NUMBER) for v in values]
    >>> _mostly_numeric(cells(["1", "2", "x"])), _mostly_numeric(cells(["a", "b", "3"])), _mostly_numeric(cells([""]))
    (True, False, False)
    """
    filled = [c for c in parsed if c.status != "missing"]
    return 2 * sum(c.status == "ok" for c in filled) > len(filled) > 0
