"""Writing XLSX workbooks that are safe and byte-for-byte reproducible.

* :func:`put` writes one cell: text that a spreadsheet would evaluate (``=``, ``+``,
  ``-``, ``@``, tab, CR) gets a leading ``'`` (:func:`egoveval.io.writers.neutralise`)
  and every text cell is typed as a string (``data_type = "s"``), so nothing written
  here can become a formula; characters XML cannot hold are dropped.
* :func:`workbook_bytes` saves with fixed document timestamps and fixed ZIP member
  times, so the same content gives the same bytes (openpyxl stamps "now" otherwise).

>>> import openpyxl
>>> ws = openpyxl.Workbook().active
>>> c = put(ws, 1, 1, "=1+1"); (c.value, c.data_type)
("'=1+1", 's')
>>> workbook_bytes(ws.parent) == workbook_bytes(ws.parent)
True
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ..io.writers import atomic_file, neutralise

__all__ = ["put", "workbook_bytes", "save_workbook", "FIXED_TIME"]

FIXED_TIME = datetime(2000, 1, 1)
_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)")


def put(ws, row: int, column: int, value, number_format: str | None = None):
    """Write ``value`` into ``ws`` at (row, column), injection-safe; return the cell."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", neutralise(value))
        cell.value = text
        cell.data_type = "s"
    elif isinstance(value, float) and value != value:  # NaN → blank
        cell.value = None
    elif isinstance(value, (datetime, date)) or value is None or isinstance(value, (int, float)):
        cell.value = value
    else:
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", neutralise(str(value)))
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def workbook_bytes(wb) -> bytes:
    """The workbook as XLSX bytes with fixed timestamps."""
    wb.properties.created = FIXED_TIME
    wb.properties.creator = "egoveval"
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _STAMP.sub(rb"\g<1>2000-01-01T00:00:00Z\g<2>", data)
            member = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            dst.writestr(member, data)
    return out.getvalue()


def save_workbook(wb, path: Path) -> Path:
    path = Path(path)
    data = workbook_bytes(wb)
    with atomic_file(path) as tmp:
        tmp.write_bytes(data)
    return path
