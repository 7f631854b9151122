"""Reading what collectors send, through ``reconcile``: collection A is a clean synthetic
CSV; each B holds the *same* values written the way people write them, so reconcile must
find no discrepancy (or exactly the one planted)."""

from __future__ import annotations

import copy
from datetime import datetime

import openpyxl
import pytest

from egoveval.collect.reconcile import reconcile_collections
from egoveval.errors import InputError

from .conftest import synthetic_truth
from .files import FW, excel_serial, rows_of, set_cached_values, write_csv_rows, write_xlsx_rows

BJ, TJ = "110000", "120000"


@pytest.fixture(scope="module")
def truth():
    return synthetic_truth(99)


@pytest.fixture()
def a_path(tmp_path, truth):
    return write_csv_rows(tmp_path / "A_clean_synthetic.csv", rows_of(truth))


def _agree(a, b):
    result = reconcile_collections(a, b)
    kinds = list(zip(result.discrepancies["unit_code"], result.discrepancies["indicator"],
                     result.discrepancies["kind"]))
    assert kinds == [], f"expected no discrepancies, got {kinds[:5]}"
    return result


def _xlsx_values(truth):
    """Typed cells: numbers as numbers, dates as datetimes."""
    return rows_of(truth, fmt=None)


def test_merged_cells(tmp_path, a_path, truth):
    same = copy.deepcopy(truth)
    same[TJ]["mp_wechat"] = same[BJ]["mp_wechat"]
    a = write_csv_rows(tmp_path / "A_synthetic.csv", rows_of(same))
    b = write_xlsx_rows(tmp_path / "B_merged_synthetic.xlsx", _xlsx_values(same))
    wb = openpyxl.load_workbook(b)
    ws = wb.active
    col = [c.value for c in ws[1]].index("微信小程序开通情况") + 1
    ws.cell(3, col).value = None
    ws.merge_cells(start_row=2, start_column=col, end_row=3, end_column=col)
    wb.save(b)
    result = _agree(a, b)
    assert "io.merged" in {p.rule for p in result.warnings}


def test_numbers_stored_as_text(tmp_path, a_path, truth):
    rows = rows_of(truth)  # every value a text cell, as pasted from a web page
    _agree(a_path, write_xlsx_rows(tmp_path / "B_text_numbers_synthetic.xlsx", rows))


def test_full_width_digits(tmp_path, a_path, truth):
    wide = str.maketrans("0123456789.", "０１２３４５６７８９．")
    rows = rows_of(truth, fmt=lambda v: "" if v is None else
                   (v.date().isoformat() if isinstance(v, datetime) else str(v).translate(wide)))
    _agree(a_path, write_csv_rows(tmp_path / "B_fullwidth_synthetic.csv", rows))


def test_thousands_separators_and_chinese_punctuation(tmp_path, a_path, truth):
    def fmt(v):
        if isinstance(v, datetime):
            return f"{v.year}年{v.month}月{v.day}日"
        if isinstance(v, float):
            return str(v).replace(".", "。") + "分"
        if isinstance(v, int) and v >= 1000:
            return f"{v:,}".replace(",", "，") if v % 2 else f"{v:,}"
        return str(v)
    _agree(a_path, write_csv_rows(tmp_path / "B_punctuation_synthetic.csv", rows_of(truth, fmt=fmt)))


@pytest.mark.parametrize("epoch_1904", [False, True])
def test_serial_dates_in_both_date_systems(tmp_path, a_path, truth, epoch_1904):
    def fmt(v):
        return excel_serial(v.date(), epoch_1904) if isinstance(v, datetime) else v
    b = write_xlsx_rows(tmp_path / f"B_serial_{int(epoch_1904)}_synthetic.xlsx", rows_of(truth, fmt=fmt),
                        epoch_1904=epoch_1904)
    _agree(a_path, b)


def test_formulas_with_cached_values_and_na(tmp_path, a_path, truth):
    rows = _xlsx_values(truth)
    col = rows[0].index("个人服务项目数")
    letter = openpyxl.utils.get_column_letter(col + 1)
    value = truth[BJ]["nat_personal_items"]
    rows[1][col] = f"={value - 1}+1"
    b = write_xlsx_rows(tmp_path / "B_formulas_synthetic.xlsx", rows)
    set_cached_values(b, {f"{letter}2": value})
    _agree(a_path, b)
    # the same file with a formula whose cached result is #N/A: a problem at that cell
    rows[2][col] = "=VLOOKUP(1,Z1:Z2,2,FALSE)"
    bad = write_xlsx_rows(tmp_path / "B_na_synthetic.xlsx", rows)
    set_cached_values(bad, {f"{letter}2": value, f"{letter}3": "#N/A"})
    with pytest.raises(InputError) as info:
        reconcile_collections(a_path, bad)
    (problem,) = info.value.errors
    assert (problem.rule, problem.row, problem.column, problem.value) == ("cell.excel_error", 3, "个人服务项目数", "#N/A")


def test_gb18030_csv(tmp_path, a_path, truth):
    b = write_csv_rows(tmp_path / "B_gb18030_synthetic.csv", rows_of(truth), encoding="gb18030")
    assert b.read_bytes().decode("gb18030")  # really GB18030, not UTF-8
    with pytest.raises(UnicodeDecodeError):
        b.read_bytes().decode("utf-8")
    _agree(a_path, b)


def test_blank_rows_and_columns_keep_file_row_numbers(tmp_path, a_path, truth):
    changed = copy.deepcopy(truth)
    changed[TJ]["ios_updates"] += 2
    rows = rows_of(changed)
    width = len(rows[0])
    rows = [rows[0], [""] * width, rows[1], [""] * width, [""] * width] + rows[2:]  # Tianjin now on row 6
    rows = [r[:3] + [""] + r[3:] for r in rows]  # a blank column
    result = reconcile_collections(a_path, write_csv_rows(tmp_path / "B_blank_synthetic.csv", rows))
    disc = result.discrepancies
    assert len(disc) == 1 and disc.loc[0, "unit_code"] == TJ and disc.loc[0, "row_B"] == "6"


def test_reordered_and_renamed_columns(tmp_path, a_path, truth):
    ids = list(reversed(FW.ids))
    styles = {i: ("id", "both", "zh", "en")[n % 4] for n, i in enumerate(ids)}
    rows = rows_of(truth, ids=ids, styles=styles)
    _agree(a_path, write_csv_rows(tmp_path / "B_reordered_synthetic.csv", rows))


def test_the_wrong_sheet(tmp_path, a_path, truth):
    b = write_xlsx_rows(tmp_path / "B_wrong_sheet_synthetic.xlsx", _xlsx_values(truth), sheet="Sheet2",
                        before=["说明", "备注"])
    result = _agree(a_path, b)
    assert "obs.sheet_chosen" in {p.rule for p in result.warnings}
    assert result.manifest["files_B"]["sheet"] == "Sheet2"
