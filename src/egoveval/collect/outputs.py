"""Writing a reconciliation to its output folder.

``discrepancies.xlsx`` and ``discrepancies.csv`` (the list to adjudicate; filled in it
is file C), ``agreement.csv``, ``verified.csv`` (only when complete), ``audit.csv`` and
``manifest.json`` (inputs' and outputs' SHA-256, settings, counts; no timestamps). The
folder is written atomically (:func:`egoveval.io.writers.output_dir`); every text cell
is formula-safe; the same result gives byte-identical files.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..io.writers import output_dir, write_csv, write_json
from ..messages import msg
from .adjudication import COLUMN_LABELS
from .reconcile import ReconcileResult
from .xlsx import put, save_workbook

__all__ = ["write_reconciliation", "discrepancies_workbook", "OUTPUT_FILES"]

OUTPUT_FILES = ("discrepancies.xlsx", "discrepancies.csv", "agreement.csv", "verified.csv", "audit.csv",
                "manifest.json")
_INPUT_COLUMNS = ("decision", "value", "source", "checked_by", "checked_at", "note")
_WIDTHS = {"unit": 16, "indicator": 20, "indicator_name": 18, "kind": 20, "value_A": 16, "value_B": 16,
           "note_A": 24, "note_B": 24, "decision": 10, "value": 14, "source": 30, "checked_by": 12,
           "checked_at": 12, "note": 30}


def discrepancies_workbook(table: pd.DataFrame):
    wb = Workbook()
    ws = wb.active
    ws.title = "不一致 discrepancies"
    fill_head = PatternFill("solid", fgColor="DDEBF7")
    fill_input = PatternFill("solid", fgColor="FFF2CC")
    columns = list(table.columns)
    for c, key in enumerate(columns, 1):
        cell = put(ws, 1, c, f"{COLUMN_LABELS.get(key, key)}\n{key}")
        cell.font = Font(bold=True)
        cell.fill = fill_input if key in _INPUT_COLUMNS else fill_head
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = _WIDTHS.get(key, 10)
    for r, record in enumerate(table.itertuples(index=False), 2):
        for c, value in enumerate(record, 1):
            put(ws, r, c, "" if value is None else value)
    if len(table):
        col = get_column_letter(columns.index("decision") + 1)
        dv = DataValidation(type="list", formula1='"A,B,value"', allow_blank=True)
        dv.showInputMessage = dv.showErrorMessage = True
        dv.showDropDown = False
        dv.promptTitle = "决定 decision"
        dv.prompt = "A / B / value"
        dv.errorTitle = "取值无效 / invalid"
        dv.error = "A, B, value"
        ws.add_data_validation(dv)
        dv.add(f"{col}2:{col}{len(table) + 1}")
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "C2"
    info = wb.create_sheet("说明 instructions")
    howto = msg("disc.howto")
    for r, text in enumerate((howto.zh, howto.en), 1):
        put(info, r, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
        info.row_dimensions[r].height = 90
    info.column_dimensions["A"].width = 120
    return wb


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_reconciliation(result: ReconcileResult, out: str | Path, inputs=()) -> Path:
    """Write all outputs of ``result`` into the folder ``out`` (replaced as a whole; refused
    when ``out`` holds one of ``inputs`` or is a foreign non-empty folder)."""
    out = Path(out)
    with output_dir(out, inputs=inputs) as tmp:
        save_workbook(discrepancies_workbook(result.discrepancies), tmp / "discrepancies.xlsx")
        write_csv(result.discrepancies, tmp / "discrepancies.csv")
        write_csv(result.agreement, tmp / "agreement.csv")
        if result.complete and result.verified_table is not None:
            write_csv(result.verified_table, tmp / "verified.csv")
        write_csv(result.audit, tmp / "audit.csv")
        manifest = dict(result.manifest)
        manifest["outputs"] = {p.name: _sha256(p) for p in sorted(tmp.iterdir()) if p.is_file()}
        write_json(manifest, tmp / "manifest.json")
    return out.resolve()
