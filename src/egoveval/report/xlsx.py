"""The workbook: one formatted sheet per table, a contents sheet first.

Text that a spreadsheet would evaluate is written as text with a leading ' (never as a
formula). The archive is written with fixed timestamps so re-runs are byte-identical.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Iterable

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..io.writers import neutralise

__all__ = ["workbook_bytes", "deterministic_zip"]

_FIXED = datetime(2000, 1, 1)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def _cell_value(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        value = "、".join(map(str, value))
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    return neutralise(value)


def _write_sheet(ws, frame: pd.DataFrame, title: str | None = None) -> None:
    start = 1
    if title:
        ws.cell(row=1, column=1, value=neutralise(title)).font = Font(bold=True)
        start = 2
    for j, col in enumerate(frame.columns, 1):
        cell = ws.cell(row=start, column=j, value=neutralise(str(col)))
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, row in enumerate(frame.itertuples(index=False), start + 1):
        for j, value in enumerate(row, 1):
            v = _cell_value(value)
            cell = ws.cell(row=i, column=j, value=v)
            if isinstance(v, str):
                cell.data_type = "s"
            elif isinstance(v, float):
                cell.number_format = "0.000" if abs(v) < 1000 else "#,##0.00"
    for j, col in enumerate(frame.columns, 1):
        values = [str(col)] + [str(x) for x in frame.iloc[:, j - 1].head(200)]
        width = max(len(v) + sum(1 for ch in v if ord(ch) > 0x2E80) for v in values)
        ws.column_dimensions[get_column_letter(j)].width = min(max(8, width + 2), 60)
    ws.freeze_panes = ws.cell(row=start + 1, column=1)


def deterministic_zip(data: bytes) -> bytes:
    """Rewrite a ZIP (XLSX) with fixed member timestamps and order-preserving content."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            dst.writestr(fixed, data)
    return out.getvalue()


def workbook_bytes(sheets: Iterable[tuple[str, pd.DataFrame, str | None]],
                   contents: pd.DataFrame | None = None) -> bytes:
    """``sheets``: (sheet name ≤ 31 chars, table, title shown above it)."""
    wb = Workbook()
    wb.properties.created = _FIXED
    wb.properties.modified = _FIXED
    wb.properties.creator = "egoveval"
    first = wb.active
    if contents is not None:
        first.title = "contents"
        _write_sheet(first, contents)
    else:
        wb.remove(first)
    used = set()
    for name, frame, title in sheets:
        sheet_name = name[:31]
        while sheet_name in used:
            sheet_name = sheet_name[:28] + f"_{len(used)}"
        used.add(sheet_name)
        _write_sheet(wb.create_sheet(sheet_name), frame, title)
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_zip(buf.getvalue())
