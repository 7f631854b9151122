"""The workbook: a contents sheet (the study spec, the recipe and the list of tables) and one
formatted sheet per table, in report order with the report's table numbers.

Each table sheet has the numbered caption in row 1, the column headers in Chinese (row 2)
and English (row 3), frozen below the headers; numbers keep full precision and are shown
with the column's declared number format (:mod:`egoveval.report.formats`); column widths
follow the content. Every text cell is written as text (data type ``s``) after
:func:`egoveval.io.writers.neutralise`, so ``=HYPERLINK(...)`` in a unit name stays
visible text and is never a formula. The archive has fixed timestamps, so re-runs are
byte-identical.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from typing import Iterable

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink

from ..io.writers import neutralise
from ..messages import pick
from .context import Context, context_of
from .formats import Fmt, is_missing, resolve_formats
from .html import _caption, _jsonable, spec_for_report, study_title
from .present import _sheet_name, _with_names, bi, column_label, export_table, plan, sheet_names, table_title

__all__ = ["workbook_bytes", "report_workbook", "deterministic_zip", "sheet_names"]

_FIXED = datetime(2000, 1, 1)
_HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
_EN_FILL = PatternFill("solid", fgColor="EEF2F7")
_RULE = Border(bottom=Side(style="thin", color="1F2933"))


def _cell_value(value):
    if isinstance(value, (list, tuple, set, frozenset)):
        value = "、".join(map(str, value))
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if is_missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return str(value)
    if not isinstance(value, (int, float, str, bool)):
        value = str(value)
    return neutralise(value)


def _put_text(ws, row: int, col: int, value: str, **style):
    cell = ws.cell(row=row, column=col)
    cell.value = neutralise(str(value))
    cell.data_type = "s"
    for k, v in style.items():
        setattr(cell, k, v)
    return cell


def _width(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0x2E80)


def _write_table(ws, frame: pd.DataFrame, headers: list[tuple[str, str]], formats: list[Fmt],
                 caption: str | None) -> None:
    """Caption (row 1, if any), zh and en header rows, data; frozen below the headers."""
    top = 1
    if caption:
        _put_text(ws, 1, 1, caption, font=Font(bold=True, size=12))
        top = 2
    bilingual = any(zh != en for zh, en in headers)
    for j, (zh, en) in enumerate(headers, 1):
        _put_text(ws, top, j, zh, font=Font(bold=True), fill=_HEADER_FILL,
                  alignment=Alignment(wrap_text=True, vertical="top"))
        if bilingual:
            _put_text(ws, top + 1, j, en, font=Font(bold=True, color="44546A"), fill=_EN_FILL,
                      alignment=Alignment(wrap_text=True, vertical="top"), border=_RULE)
    first = top + (2 if bilingual else 1)
    widths = [max(_width(zh), _width(en)) for zh, en in headers]
    for i, row in enumerate(frame.itertuples(index=False), first):
        for j, (value, fmt) in enumerate(zip(row, formats), 1):
            v = _cell_value(value)
            if v is None:
                continue
            cell = ws.cell(row=i, column=j)
            cell.value = v
            if isinstance(v, str):
                cell.data_type = "s"
                if len(v) > 40:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                if i - first < 300:
                    widths[j - 1] = max(widths[j - 1], min(_width(v), 60))
            elif isinstance(v, bool):
                pass
            else:
                cell.number_format = fmt.excel() if fmt.numeric else "General"
                if i - first < 300:
                    widths[j - 1] = max(widths[j - 1], len(f"{v:,.{max(fmt.decimals, 0)}f}")
                                        if isinstance(v, float) else len(str(v)))
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(8, w + 2), 62)
    ws.freeze_panes = ws.cell(row=first, column=1)


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


def _new_workbook() -> Workbook:
    wb = Workbook()
    wb.properties.created = _FIXED
    wb.properties.modified = _FIXED
    wb.properties.creator = "egoveval"
    return wb


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return deterministic_zip(buf.getvalue())


def workbook_bytes(sheets: Iterable[tuple[str, pd.DataFrame, str | None]],
                   contents: pd.DataFrame | None = None) -> bytes:
    """A plain workbook: ``sheets`` are (sheet name, table, caption shown above it).

    Headers are the column names as given; numbers get a format by their dtype.
    """
    wb = _new_workbook()
    first = wb.active
    if contents is not None:
        first.title = "contents"
        _write_table(first, contents, [(str(c), str(c)) for c in contents.columns],
                     list(resolve_formats(contents).values()), None)
    else:
        wb.remove(first)
    used = {"contents"} if contents is not None else set()
    for name, frame, title in sheets:
        ws = wb.create_sheet(_sheet_name(name, used))
        _write_table(ws, frame, [(str(c), str(c)) for c in frame.columns],
                     list(resolve_formats(frame).values()), title)
    return _save(wb)


def _lang_text(x: dict, lang: str) -> str:
    return pick(x["zh"], x["en"], lang)


def _flatten(prefix: str, value) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            out += _flatten(f"{prefix}.{k}" if prefix else str(k), v)
        return out
    if isinstance(value, list):
        return [(prefix, ", ".join(str(_jsonable(v)) for v in value))]
    return [(prefix, "" if value is None else str(value))]


def report_workbook(result, lang: str = "both", *, ctx: Context | None = None) -> bytes:
    """``tables.xlsx``: the contents sheet, then every table in report order."""
    ctx = ctx or context_of(result)
    wb = _new_workbook()
    ws = wb.active
    ws.title = "contents"
    title = study_title(result.spec)
    _put_text(ws, 1, 1, _lang_text(title, lang), font=Font(bold=True, size=14))
    row = 2
    if result.spec.get("synthetic"):
        _put_text(ws, 2, 1, _lang_text(bi("report.synthetic"), lang), font=Font(bold=True, color="9C5700"))
        row = 3
    items = [(ps, item) for ps in plan(result) for item in ps.items if item.kind == "table"]
    names = {item.name: item.sheet for _, item in items}
    row += 1
    heads = [bi("report.xlsx.number"), bi("report.xlsx.sheet"), bi("report.xlsx.section"), bi("report.xlsx.title")]
    for j, h in enumerate(heads, 1):
        _put_text(ws, row, j, h["zh"], font=Font(bold=True), fill=_HEADER_FILL)
        _put_text(ws, row + 1, j, h["en"], font=Font(bold=True, color="44546A"), fill=_EN_FILL, border=_RULE)
    header_row = row
    row += 2
    for ps, item in items:
        t = table_title(result, item.name)
        word = bi("report.table")
        _put_text(ws, row, 1, f"{word['zh']} {item.number}" if item.number else "–")
        cell = _put_text(ws, row, 2, names[item.name])
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=f"'{names[item.name]}'!A1")
        cell.font = Font(color="1F4E79", underline="single")
        _put_text(ws, row, 3, f"{ps.number} " + _lang_text(bi(ps.section.title), lang))
        _put_text(ws, row, 4, _lang_text(t, lang))
        row += 1
    row += 1
    _put_text(ws, row, 1, _lang_text(bi("report.methods.spec"), lang), font=Font(bold=True))
    row += 1
    recipe = {"study_file": result.recipe.get("study_file", ""),
              "inputs_sha256": dict(result.recipe.get("inputs", {})),
              "options": {k: dict(v) for k, v in result.recipe.get("settings", {}).items()},
              "versions": dict(result.recipe.get("versions", {}))}
    for key, value in _flatten("", {"study": _jsonable(spec_for_report(result.spec)), **_jsonable(recipe)}):
        _put_text(ws, row, 1, key)
        _put_text(ws, row, 2, value)
        row += 1
    for col, width in zip("ABCD", (22, 34, 30, 60)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = ws.cell(row=header_row + 2, column=1)
    for ps, item in items:
        frame = _with_names(export_table(result, item.name, ctx), ctx)
        entry = item.entry
        formats = resolve_formats(frame, indicators=ctx.indicators, declared=entry.formats,
                                  min_decimals=entry.min_decimals)
        headers = [column_label(str(c), ctx, result.tables[item.name].stage) for c in frame.columns]
        caption = _lang_text(_caption("report.table", item.number, table_title(result, item.name)), lang)
        sheet = wb.create_sheet(names[item.name])
        _write_table(sheet, frame, headers, [formats[str(c)] for c in frame.columns], caption)
    return _save(wb)
